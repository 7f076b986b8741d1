import Foundation

/// `inferlab serve` on a free port of its own, for a test: started, its port read from its first
/// line, stopped (SIGTERM) when done. Clients reach it with the environment of `inferlab env`.
final class EndpointServer {
    let runner: BinaryRunner
    let process = Process()
    private(set) var port = 0

    init(runner: BinaryRunner = BinaryRunner(), arguments: [String] = [], environment: [String: String] = [:]) throws {
        self.runner = runner
        process.executableURL = BinaryRunner.binary
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.arguments = ["--workspace", runner.workspace.path, "serve", "--port", "0"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "InferLab AWS endpoint on http://127.0.0.1:PORT for …"
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let port = Int(text[range].split(separator: ":").last ?? "") else {
            throw ServerError(message: "inferlab serve did not say where it listens: \(text)")
        }
        self.port = port
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The variables `inferlab env` prints, as a dictionary.
    func environment() throws -> [String: String] {
        let result = try runner.run(["env", "--port", String(port)])
        var variables: [String: String] = [:]
        for line in result.output.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            var value = pair[1]
            if value.hasPrefix("'") { value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "'\\''", with: "'") }
            variables[pair[0]] = value
        }
        return variables
    }

    /// Runs a course client (the venv's python or aws) with only `inferlab env`'s variables
    /// pointing it here.
    func client(_ arguments: [String], extra: [String: String] = [:], venv: URL = EndpointServer.venv) throws -> BinaryRunner.Result {
        let process = Process()
        process.executableURL = venv.appendingPathComponent("bin/\(arguments[0])")
        process.arguments = Array(arguments.dropFirst())
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment.merge(try self.environment()) { $1 }
        environment.merge(extra) { $1 }
        environment["HOME"] = FileManager.default.temporaryDirectory.path  // no ~/.aws of the machine's
        // Every Python client notes sockets it opens off loopback (Scripts/loopback_guard).
        let socketLog = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-sockets-\(UUID().uuidString).txt")
        environment["PYTHONPATH"] = Self.loopbackGuard.path
        environment["INFERLAB_TEST_SOCKET_LOG"] = socketLog.path
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if let reached = try? String(contentsOf: socketLog, encoding: .utf8) {
            offLoopback += reached.split(separator: "\n").map(String.init)
            try? FileManager.default.removeItem(at: socketLog)
        }
        return BinaryRunner.Result(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                                   error: String(decoding: err, as: UTF8.self))
    }

    /// The sockets the clients run so far opened off loopback ("client: host"); a test expects none.
    private(set) var offLoopback: [String] = []

    static let loopbackGuard = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/loopback_guard")

    /// The course venv that `scripts/setup.sh` makes (boto3, the aws CLI, the SageMaker SDK v2).
    static let venv = BinaryRunner.packageRoot.appendingPathComponent(".venv")
    /// The test venv with the SageMaker SDK v3's core (`sagemaker.core`), which cannot share a
    /// venv with v2: both are the package `sagemaker` (`scripts/setup.sh --test`).
    static let sdk3Venv = BinaryRunner.packageRoot.appendingPathComponent(".venv-sdk3")

    struct ServerError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
