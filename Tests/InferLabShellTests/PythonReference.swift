import Foundation
import InferLabEngine

/// Asks the course venv's Python (jmespath, awscli, PyYAML) for reference answers, in one
/// process per batch: see Differential/awscli_reference.py.
enum PythonReference {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = packageRoot.appendingPathComponent(".venv/bin/python")
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Differential/awscli_reference.py")

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: python.path) }

    static func answers(_ requests: [JSONValue]) throws -> [JSONValue] {
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path]
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONIOENCODING"] = "utf-8"
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let body = requests.map(\.compact).joined(separator: "\n") + "\n"
        let writer = Thread { 
            input.fileHandleForWriting.write(Data(body.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { try JSONValue.parse(String($0)) }
    }
}
