import Foundation
import Testing

/// Drives the interactive shell through a real pseudo-terminal with python's pexpect, which
/// `make test` installs when missing.
struct PseudoTerminalTests {
    /// Runs a pexpect script of `Scripts/` with the binary and a fresh workspace first; answers its
    /// exit status and everything it printed.
    private func runScript(_ name: String, _ arguments: [String] = []) throws -> (status: Int32, text: String) {
        let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/\(name)")
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-pty-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, BinaryRunner.binary.path, workspace.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func tabCompletionHistoryAndCtrlCWorkOnARealTerminal() throws {
        let (status, text) = try runScript("pty_shell.py")
        #expect(status == 0, "\(text)")
        #expect(text.contains("pty: all checks passed"))
    }

    /// Lab 1 typed as a learner types it (no `lab solve`): every checkpoint announced, the job
    /// watched going InProgress → Completed with the waiter's live line, Ctrl-C leaving it running.
    @Test func labOneDoneByHandAnnouncesEveryCheckpointAndShowsTheJobsProgress() throws {
        let (status, text) = try runScript("pty_lab_one.py", [BinaryRunner.packageRoot.path])
        #expect(status == 0, "\(text)")
        #expect(text.contains("pty lab one: all checks passed"))
    }

    /// The shell's own endpoint: named in the banner, reached by `!aws`, serving the lab's workspace
    /// inside a lab and the learner's outside.
    @Test func theShellServesTheWorkspaceTheLearnerIsIn() throws {
        let port = 20_000 + Int.random(in: 0..<20_000)
        let (status, text) = try runScript("pty_endpoint.py", [String(port), EndpointServer.venv.appendingPathComponent("bin").path,
                                                                 BinaryRunner.packageRoot.path])
        #expect(status == 0, "\(text)")
        #expect(text.contains("pty endpoint: all checks passed"))
    }

    /// The course's boto3, SageMaker SDK and aws CLI code, typed as `!COMMAND`, against the shell's
    /// embedded endpoint (not `inferlab serve`): the SDK's predictions equal the shell's `predict`.
    @Test func theCourseClientsRunAgainstTheShellsEndpoint() throws {
        let port = 20_000 + Int.random(in: 0..<20_000)
        let (status, text) = try runScript("pty_course_clients.py", [String(port), EndpointServer.venv.appendingPathComponent("bin").path,
                                                                       BinaryRunner.packageRoot.path])
        #expect(status == 0, "\(text)")
        #expect(text.contains("pty course clients: all checks passed"))
    }

    /// `lab submit` at the prompt asks the learner's name once and keeps it in the workspace.
    @Test func labSubmitAsksTheNameOnceAndKeepsIt() throws {
        let (status, text) = try runScript("pty_submit.py")
        #expect(status == 0, "\(text)")
        #expect(text.contains("pty submit: all checks passed"))
    }
}
