import Foundation

/// Runs the built `inferlab` binary as a learner's terminal or a script would.
struct BinaryRunner {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// The `inferlab` built next to this test bundle.
    static let binary: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("inferlab"),
            Bundle.main.bundleURL.appendingPathComponent("inferlab"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("inferlab"),
            packageRoot.appendingPathComponent(".build/debug/inferlab"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[3]
    }()

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let workspace: URL

    init(workspace: URL = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-e2e-\(UUID().uuidString)")) {
        self.workspace = workspace
    }

    /// Runs `inferlab --workspace W ARGS` with `input` on standard input (not a terminal), started
    /// in `directory` (the checkout unless told), or `executable` instead of the built binary.
    func run(_ arguments: [String], input: String = "", environment: [String: String] = [:],
             in directory: URL = Self.packageRoot, executable: URL = Self.binary) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--workspace", workspace.path] + arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      output: String(decoding: output, as: UTF8.self),
                      error: String(decoding: error, as: UTF8.self))
    }

    /// Runs lines in script mode.
    func script(_ lines: String, _ arguments: [String] = []) throws -> Result {
        try run(arguments, input: lines)
    }
}
