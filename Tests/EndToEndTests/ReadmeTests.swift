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

    @Test func quickStartIsTwoCommands() throws {
        let readme = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("make run"))
        #expect(readme.contains("make test"))
        let ci = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent(".ci/run"), encoding: .utf8)
        #expect(ci.contains("make test"))
    }
}
