import Foundation
import Testing

/// The kit's `tar czf`: the archive a training job's sagemaker_submit_directory names, readable
/// by the system's tar, with names relative to `-C`; what it refuses leaves nothing behind.
struct TarCommandTests {
    private func codeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-tar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try Data("print('train')\n".utf8).write(to: folder.appendingPathComponent("train.py"))
        try Data("X = 1\n".utf8).write(to: folder.appendingPathComponent("lib/helpers.py"))
        return folder
    }

    private func systemTar(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tar"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func packsFilesAndFoldersRelativeToDashC() throws {
        let code = try codeFolder()
        let runner = BinaryRunner()
        let result = try runner.run(["-c", "tar czf lab-data/sourcedir.tar.gz -C \(code.path) train.py lib"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("lab-data/sourcedir.tar.gz: 2 file(s)"), "\(result.output)")
        let archive = runner.workspace.appendingPathComponent("lab-data/sourcedir.tar.gz")
        #expect(try systemTar(["tzf", archive.path]).split(separator: "\n") == ["lib/helpers.py", "train.py"])
        #expect(try systemTar(["xzOf", archive.path, "train.py"]) == "print('train')\n")
        // Uploaded, it is what a script-mode training job unpacks.
        let uploaded = try runner.run([], input: """
            aws s3 mb s3://code
            aws s3 cp lab-data/sourcedir.tar.gz s3://code/sourcedir.tar.gz
            """)
        #expect(uploaded.status == 0, "\(uploaded.error)")
    }

    @Test func refusesOtherModesEscapesAndLinksAndWritesNothing() throws {
        let code = try codeFolder()
        try FileManager.default.createSymbolicLink(at: code.appendingPathComponent("link.py"), withDestinationURL: code.appendingPathComponent("train.py"))
        let runner = BinaryRunner()
        let cases: [(String, Int32, String)] = [
            ("tar xzf lab-data/out.tar.gz", 252, "only creates gzip-compressed archives"),
            ("tar czf lab-data/out.tar.gz -C \(code.path) ../etc/passwd", 252, "outside the archive's folder"),
            ("tar czf lab-data/out.tar.gz -C \(code.path) train.py link.py", 255, "follows no links"),
            ("tar czf lab-data/out.tar.gz -C \(code.path) missing.py", 255, "missing.py: no such file or folder"),
            ("tar czf lab-data/out.tar.gz -v \(code.path)/train.py", 252, "takes no option -v"),
        ]
        for (line, status, message) in cases {
            let result = try runner.run(["-c", line])
            #expect(result.status == status && result.error.contains(message), "\(line): \(result.status) \(result.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: runner.workspace.appendingPathComponent("lab-data/out.tar.gz").path))
    }
}
