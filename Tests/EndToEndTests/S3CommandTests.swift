#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

@Suite(.serialized)
struct S3CommandTests {
    private func fixture(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func theLessonUploadIsListedAndIsAPlainFile() throws {
        let runner = BinaryRunner()
        let data = try fixture("25,50000,2\n35,60000,3\n45,45000,1\n")
        let result = try runner.script("""
            aws s3 mb s3://loan-lab
            aws s3 cp \(data.path) s3://loan-lab/batch-input/data.csv
            aws s3 ls s3://loan-lab --recursive
            """)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("make_bucket: loan-lab"))
        #expect(result.output.contains("upload: \(data.path) to s3://loan-lab/batch-input/data.csv"))
        #expect(result.output.range(of: #"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +33 batch-input/data\.csv"#, options: .regularExpression) != nil)
        let stored = runner.workspace.appendingPathComponent("buckets/loan-lab/batch-input/data.csv")
        #expect(try Data(contentsOf: stored) == Data(contentsOf: data))
    }

    @Test func aKeyWithDotDotCannotWriteOutsideTheBucket() throws {
        let runner = BinaryRunner()
        let data = try fixture("x\n")
        let result = try runner.script("""
            aws s3 mb s3://loan-lab
            aws s3 cp \(data.path) s3://loan-lab/../../escaped.csv
            """)
        #expect(result.status == 1)
        #expect(result.error.contains("upload failed"))
        #expect(result.error.contains("InvalidArgument"))
        #expect(!FileManager.default.fileExists(atPath: runner.workspace.appendingPathComponent("escaped.csv").path))
        #expect(!FileManager.default.fileExists(atPath: runner.workspace.deletingLastPathComponent().appendingPathComponent("escaped.csv").path))
    }

    @Test func recursiveCopyFiltersSyncAndRemove() throws {
        let runner = BinaryRunner()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("a\n".utf8).write(to: folder.appendingPathComponent("a.csv"))
        try Data("b\n".utf8).write(to: folder.appendingPathComponent("sub/b.csv"))
        try Data("t\n".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let back = FileManager.default.temporaryDirectory.appendingPathComponent("back-\(UUID().uuidString)")
        let result = try runner.script("""
            aws s3 mb s3://tree-lab
            aws s3 cp \(folder.path) s3://tree-lab/in/ --recursive --exclude '*' --include '*.csv'
            aws s3 ls s3://tree-lab/in/
            aws s3 sync s3://tree-lab/in \(back.path)
            aws s3 sync s3://tree-lab/in \(back.path)
            aws s3 rm s3://tree-lab/in/ --recursive
            aws s3 rb s3://tree-lab
            """)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("upload: \(folder.path)/a.csv to s3://tree-lab/in/a.csv"))
        #expect(result.output.contains("upload: \(folder.path)/sub/b.csv to s3://tree-lab/in/sub/b.csv"))
        #expect(!result.output.contains("notes.txt"))
        #expect(result.output.contains("PRE sub/"))
        #expect(result.output.components(separatedBy: "download: ").count == 3, "the second sync copies nothing")
        #expect(try String(contentsOf: back.appendingPathComponent("sub/b.csv"), encoding: .utf8) == "b\n")
        #expect(result.output.contains("remove_bucket: tree-lab"))
    }

    @Test func s3apiShapesAndErrors() throws {
        let runner = BinaryRunner()
        let data = try fixture("1,2\n3,4\n")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("got-\(UUID().uuidString)")
        let result = try runner.script("""
            aws s3 mb s3://api-lab
            aws s3api put-object --bucket api-lab --key k.csv --body \(data.path) --content-type text/csv --metadata Owner=me
            aws s3api head-object --bucket api-lab --key k.csv
            aws s3api get-object --bucket api-lab --key k.csv --range bytes=4-7 \(out.path)
            aws s3api list-objects-v2 --bucket api-lab
            aws s3api delete-object --bucket api-lab --key k.csv
            aws s3api head-object --bucket api-lab --key k.csv
            """)
        #expect(result.status == 254)
        // The same ETag real S3 gave this body in the reference capture.
        #expect(result.output.contains(#""ETag": "\"00f7d50ab4278a7899d7499481c9603a\"""#))
        #expect(result.output.contains(#""ContentType": "text/csv""#))
        #expect(result.output.contains(#""owner": "me""#))
        #expect(result.output.contains(#""ContentRange": "bytes 4-7/8""#))
        #expect(result.output.contains(#""StorageClass": "STANDARD""#))
        #expect(try String(contentsOf: out, encoding: .utf8) == "3,4\n")
        #expect(result.error.contains("An error occurred (404) when calling the HeadObject operation: Not Found"))
    }

    @Test func noSuchBucketUsesAWSWordsAndExit254() throws {
        let result = try BinaryRunner().run(["-c", "aws s3 ls s3://missing-bucket"])
        #expect(result.status == 254)
        #expect(result.error.contains("An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist"))
    }

    /// `kill -9` in the middle of a large upload leaves no partial object, and the next start
    /// removes the temporary file.
    @Test func killDuringALargeCopyLeavesNoPartialObject() throws {
        let runner = BinaryRunner()
        #expect(try runner.run(["-c", "aws s3 mb s3://big-lab"]).status == 0)
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).bin")
        let chunk = Data(repeating: 0x61, count: 1 << 20)
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        for _ in 0..<200 { handle.write(chunk) }
        try handle.close()
        defer { try? FileManager.default.removeItem(at: big) }

        let process = Process()
        process.executableURL = BinaryRunner.binary
        process.arguments = ["--workspace", runner.workspace.path, "-c", "aws s3 cp \(big.path) s3://big-lab/big.bin"]
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        let incoming = runner.workspace.appendingPathComponent("buckets/.incoming")
        let deadline = Date().addingTimeInterval(20)
        var sawPartial = false
        while Date() < deadline, process.isRunning {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: incoming.path)) ?? []
            if let name = names.first,
               let size = try? FileManager.default.attributesOfItem(atPath: incoming.appendingPathComponent(name).path)[.size] as? Int,
               size > 0 {
                sawPartial = true
                break
            }
            usleep(200)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(sawPartial, "the copy finished before it could be killed")
        let object = runner.workspace.appendingPathComponent("buckets/big-lab/big.bin")
        #expect(!FileManager.default.fileExists(atPath: object.path), "no partial object is visible")
        let listing = try runner.run(["-c", "aws s3 ls s3://big-lab --recursive"])
        #expect(!listing.output.contains("big.bin"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: incoming.path).isEmpty, "the next start removed the leftover")
    }
}
