import Foundation
import Testing

/// Every AWS command of every lab's solution, typed in the shell and through the real AWS CLI
/// (v1, the course venv's) against `inferlab serve`, on two workspaces kept in lockstep: the same
/// exit status, stdout and error code after each (Scripts/lab_differential.py says what is
/// normalised: times, ids, the order of parallel transfers; and the one answer that is per run).
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: EndpointServer.venv.appendingPathComponent("bin/aws").path)))
struct LabSolutionDifferentialTests {
    static let labs = ["batch-end-to-end", "batch-spread-and-batch", "async-inference", "choose-the-option", "batch-at-scale", "inference-pipeline"]

    @Test(arguments: labs)
    func theShellAnswersEveryAWSCommandAsTheRealCLIDoes(lab: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-labdiff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = EndpointServer.venv.appendingPathComponent("bin/python")
        process.arguments = [BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/lab_differential.py").path,
                             BinaryRunner.binary.path, EndpointServer.venv.appendingPathComponent("bin/aws").path, lab, folder.path]
        var environment = ProcessInfo.processInfo.environment
        environment["INFERLAB_LABS_DIR"] = BinaryRunner.packageRoot.appendingPathComponent("labs").path
        environment["INFERLAB_DATASETS_DIR"] = BinaryRunner.packageRoot.appendingPathComponent("datasets").path
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        let summary = text.split(separator: "\n").last.map(String.init) ?? ""
        let compared = Int(summary.split(separator: " ").dropFirst().first ?? "") ?? 0
        #expect(compared >= 9, "\(summary)")
    }
}
