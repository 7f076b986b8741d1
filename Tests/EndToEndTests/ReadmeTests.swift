import Foundation
import Testing
@testable import InferLabShell

/// README.md's command reference is generated from the declarations; it must not drift.
struct ReadmeTests {
    @Test func commandReferenceMatchesTheDeclarations() throws {
        let readme = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- commands:begin -->\n"))
        let end = try #require(readme.range(of: "<!-- commands:end -->"))
        let documented = String(readme[begin.upperBound..<end.lowerBound])
        #expect(documented == HelpRenderer.markdownReference(AllCommands.registry()),
                "README.md is out of date: run `make docs`")
    }

    /// The short tour is a real run's transcript (scripts/readme-tour.py), normalised; it must
    /// equal a fresh run's, so a changed prompt or message shows here.
    @Test func tourIsAFreshRunsTranscript() throws {
        let readme = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- tour:begin -->\n"))
        let end = try #require(readme.range(of: "<!-- tour:end -->"))
        let documented = String(readme[begin.upperBound..<end.lowerBound])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", BinaryRunner.packageRoot.appendingPathComponent("scripts/readme-tour.py").path, BinaryRunner.binary.path]
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let fresh = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(problems)")
        #expect(fresh.contains("inferlab [batch-end-to-end 1/"), "the tour runs a lab: \(fresh)")
        #expect(documented == fresh, "README.md's tour is out of date: run `make docs`")
    }

    @Test func quickStartIsTwoCommands() throws {
        let readme = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("make run"))
        #expect(readme.contains("make test"))
        let ci = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent(".ci/run"), encoding: .utf8)
        #expect(ci.contains("make test"))
    }
}
