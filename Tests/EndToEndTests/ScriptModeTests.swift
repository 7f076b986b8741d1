import Foundation
import Testing

@Suite(.serialized)
struct ScriptModeTests {
    @Test func dashCRunsOneCommand() throws {
        let result = try BinaryRunner().run(["-c", "help"])
        #expect(result.status == 0)
        #expect(result.output.contains("InferLab commands"))
        #expect(!result.output.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    @Test func wordsAfterTheOptionsRunOneCommand() throws {
        let result = try BinaryRunner().run(["help", "history"])
        #expect(result.status == 0)
        #expect(result.output.contains("Usage: history [COUNT]"))
    }

    @Test func scriptModeStopsAtTheFirstFailure() throws {
        let result = try BinaryRunner().script("help\nfrobnicate\nhelp history\n")
        #expect(result.status == 252)
        #expect(result.error.contains("unknown command 'frobnicate'"))
        #expect(result.error.contains("stopped at input line 2"))
        #expect(!result.output.contains("Usage: history"), "line 3 must not run")
    }

    /// A script's `!COMMAND` reaches the kit as the shell's does: the first one starts the local
    /// endpoint (script mode starts none up front), and the real CLI it runs sees the script's bucket.
    @Test func aBangCommandInAScriptReachesTheKitsEndpoint() throws {
        let aws = EndpointServer.venv.appendingPathComponent("bin/aws").path
        let result = try BinaryRunner().run([], input: """
            aws s3 mb s3://script-bucket
            !\(aws) s3 ls
            !test -n "$AWS_ENDPOINT_URL"
            """, environment: ["INFERLAB_PORT": "0", "AWS_CONFIG_FILE": "/dev/null"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains(" script-bucket\n"), "\(result.output)")
        let once = try BinaryRunner().run(["-c", "!\(aws) s3 ls"], environment: ["INFERLAB_PORT": "0"])
        #expect(once.status == 0, "-c starts it too: \(once.error)")
    }

    @Test func keepGoingRunsEveryLineAndKeepsTheFirstFailure() throws {
        let result = try BinaryRunner().script("hlep\nhelp history\n", ["--keep-going"])
        #expect(result.status == 252)
        #expect(result.error.contains("did you mean 'help'?"))
        #expect(result.output.contains("Usage: history"))
    }

    @Test func commentsBlankLinesAndExitStatus() throws {
        let result = try BinaryRunner().script("# a comment\n\n   \nexit 7\nfrobnicate\n")
        #expect(result.status == 7)
        #expect(result.error.isEmpty)
    }

    @Test func theWorkspaceIsCreatedWhereAsked() throws {
        let runner = BinaryRunner()
        #expect(try runner.run(["-c", "help"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: runner.workspace.appendingPathComponent("buckets").path))
    }

    @Test func anUnusableWorkspaceIsAConfigurationError() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-dir-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        let process = Process()
        process.executableURL = BinaryRunner.binary
        process.arguments = ["--workspace", file.path, "-c", "help"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        let error = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 253)
        #expect(error.contains("is a file, not a folder"))
    }
}
