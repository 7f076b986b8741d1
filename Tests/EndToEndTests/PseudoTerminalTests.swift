import Foundation
import Testing

/// Drives the interactive shell through a real pseudo-terminal with python's pexpect, which
/// `make test` installs when missing.
struct PseudoTerminalTests {
    @Test func tabCompletionHistoryAndCtrlCWorkOnARealTerminal() throws {
        let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/pty_shell.py")
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-pty-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, BinaryRunner.binary.path, workspace.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("pty: all checks passed"))
    }

    /// The shell's own endpoint: named in the banner, reached by `!aws`, serving the lab's workspace
    /// inside a lab and the learner's outside.
    @Test func theShellServesTheWorkspaceTheLearnerIsIn() throws {
        let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/pty_endpoint.py")
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-pty-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let port = 20_000 + Int.random(in: 0..<20_000)
        process.arguments = ["python3", script.path, BinaryRunner.binary.path, workspace.path, String(port),
                             EndpointServer.venv.appendingPathComponent("bin").path, BinaryRunner.packageRoot.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("pty endpoint: all checks passed"))
    }
}
