import Foundation
import Testing
@testable import InferLabEngine

struct ModelArchiveTests {
    @Test func roundTripsFilesDeterministically() throws {
        let files = ["xgboost-model": Data("{\"learner\":{}}".utf8), "code/info.txt": Data(repeating: 7, count: 1_000)]
        let archive = try ModelArchive.write(files: files)
        #expect(archive.starts(with: [0x1F, 0x8B]))
        #expect(try ModelArchive.read(archive) == files)
        #expect(try ModelArchive.write(files: files) == archive, "same files, same bytes")
    }

    @Test func readsAnArchiveMadeByPythonsTarfile() throws {
        let folder = temporaryFolder()
        let archive = folder.appendingPathComponent("model.tar.gz")
        let script = """
        import io, tarfile, sys
        with tarfile.open(sys.argv[1], "w:gz") as tar:
            for name, body in [("xgboost-model", b'{"a": 1}'), ("./nested/dir/file.bin", bytes(range(256)) * 3)]:
                info = tarfile.TarInfo(name); info.size = len(body); tar.addfile(info, io.BytesIO(body))
            folder = tarfile.TarInfo("nested"); folder.type = tarfile.DIRTYPE; tar.addfile(folder)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, archive.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let files = try ModelArchive.read(Data(contentsOf: archive))
        #expect(files["xgboost-model"] == Data(#"{"a": 1}"#.utf8))
        #expect(files["nested/dir/file.bin"]?.count == 768)
        #expect(files.count == 2)
    }

    @Test func corruptArchivesAreClearErrors() throws {
        #expect { try ModelArchive.read(Data([0x1F, 0x8B, 0x08, 0x00, 1, 2, 3])) } throws: {
            "\($0)".contains("not a valid .tar.gz")
        }
        #expect { try ModelArchive.read(Data(repeating: 0x41, count: 1024)) } throws: { "\($0)".contains("not a tar archive") }
        let good = try ModelArchive.write(files: ["a": Data(repeating: 1, count: 5000)])
        #expect(throws: (any Error).self) { try ModelArchive.read(good.prefix(good.count / 2)) }
    }

    @Test func gzipStreamsAcrossChunksAndMembers() throws {
        let text = Data((0..<10_000).map { "line \($0)\n" }.joined().utf8)
        let member = try Gzip.compress(text)
        let inflater = try Inflater()
        var out = Data()
        for start in stride(from: 0, to: member.count, by: 777) {
            out.append(try inflater.push(member[start..<min(member.count, start + 777)]))
        }
        #expect(out == text)
        #expect(try Gzip.decompress(member + member) == text + text)
    }

    /// A small archive that inflates past the limit is refused while inflating, not after.
    @Test func anArchiveThatUnpacksPastTheLimitIsRefused() throws {
        let bomb = try ModelArchive.write(files: ["zeros.bin": Data(count: 4 << 20)])
        #expect(bomb.count < 64 << 10, "zeros compress to almost nothing")
        #expect(try ModelArchive.read(bomb, limit: 8 << 20)["zeros.bin"]?.count == 4 << 20)
        #expect {
            try ModelArchive.read(bomb, limit: 1 << 20)
        } throws: { error in
            "\(error)".contains("unpacks to more than 1 MiB")
        }
    }
}
