import Foundation
import Testing
@testable import InferLabLabs

/// `verify` on zip bombs and bundles over the limits: a flag, quickly, in little memory.
@Suite struct BundleBombTests {
    /// A zip of one entry of `size` zero bytes, made from one deflated MiB repeated (each
    /// segment ends with a full flush, so segments join), with its true CRC: fast to make.
    static let bombScript = """
        import struct, sys, zlib
        size = int(sys.argv[2])
        block = bytes(1 << 20)
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        segment = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
        count = size // len(block)
        body = segment * count + b"\\x03\\x00"
        crc = 0
        for _ in range(count):
            crc = zlib.crc32(block, crc)
        name = b"events.jsonl"
        local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0, crc, len(body), size, len(name), 0) + name
        central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0, crc, len(body), size, len(name), 0, 0, 0, 0, 0o100644 << 16, 0) + name
        end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1, 1, len(central), len(local) + len(body), 0)
        with open(sys.argv[1], "wb") as f:
            f.write(local); f.write(body); f.write(central); f.write(end)
        """

    /// Runs a command and prints its exit status, seconds and peak RSS (KiB), then its output:
    /// RUSAGE_CHILDREN of this small wrapper counts the one child only.
    static let measureScript = """
        import resource, subprocess, sys, time
        start = time.monotonic()
        child = subprocess.run(sys.argv[1:], capture_output=True)
        seconds = time.monotonic() - start
        print(child.returncode, "%.3f" % seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        sys.stdout.write(child.stdout.decode(errors="replace"))
        """

    private func python(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aThreeGibibyteEntryIsFlaggedInUnderASecondAndLittleMemory() throws {
        let fixture = try BundleFixture.make()
        let bomb = try fixture.scratch().appendingPathComponent("bomb.zip")
        _ = try python(Self.bombScript, [bomb.path, String(3 << 30)])
        let zipSize = try #require(try FileManager.default.attributesOfItem(atPath: bomb.path)[.size] as? Int)
        #expect(zipSize < 4 << 20, "about 3 MB on disk")
        let workspace = try fixture.scratch().path
        let report = try python(Self.measureScript, [BinaryRunner.binary.path, "--workspace", workspace, "verify", bomb.path])
        let numbers = report.split(separator: "\n")[0].split(separator: " ")
        let status = Int(numbers[0]), seconds = try #require(Double(numbers[1])), peakKiB = try #require(Int(numbers[2]))
        #expect(status == 1, "flagged: \(report)")
        #expect(report.contains("entry events.jsonl inflates to more than 8 MiB (the limit for one file); not read further"))
        #expect(seconds < 1, "took \(seconds) s")
        #expect(peakKiB < 64 << 10, "peak RSS \(peakKiB) KiB")
        print("3 GiB bomb (\(zipSize) bytes): verify took \(seconds) s, peak RSS \(peakKiB) KiB")
    }

    /// A deflate stream that never ends (ZIPFoundation's reader loops forever on one).
    @Test(.timeLimit(.minutes(1))) func aDeflateStreamCutShortIsFlagged() throws {
        let fixture = try BundleFixture.make()
        let cut = try fixture.scratch().appendingPathComponent("cut.zip")
        // The bomb's script, without the final block.
        _ = try python(Self.bombScript.replacingOccurrences(of: "segment * count + b\"\\x03\\x00\"", with: "segment * count"), [cut.path, String(1 << 20)])
        let verdict = fixture.verifier.verify(cut)
        #expect(verdict.flags == ["entry events.jsonl is cut short: its deflate stream does not end"], "\(verdict.flags)")
    }

    @Test func everyLimitIsAFlag() throws {
        let fixture = try BundleFixture.make()
        func flags(_ change: (inout BundleLimits) -> Void) -> [String] {
            var limits = BundleLimits()
            change(&limits)
            return BundleVerifier(labs: fixture.verifier.labs, referenceModels: fixture.verifier.referenceModels, limits: limits).verify(fixture.alice).flags
        }
        #expect(flags { $0.entries = 3 } == ["the bundle has more than 3 entries; a real bundle has fewer than 50"])
        #expect(flags { $0.bundleBytes = 4 << 10 }.first?.hasPrefix("the bundle inflates to more than 4096 bytes") == true)
        #expect(flags { $0.entryBytes = 1 << 10 }.first?.contains("(the limit for one file); not read further") == true)
        #expect(flags { $0.ratioFloor = 64; $0.compressionRatio = 1 }.first?.contains("times its compressed size: a zip bomb") == true)
        #expect(flags { $0.metadataBytes = 64 } == ["manifest.json is larger than 64 bytes; the kit writes a few KiB: not read"])
        #expect(flags { $0.logBytes = 64 }.contains("events.jsonl is larger than 64 bytes (about 20,000 commands): not read"))
        #expect(flags { $0.predictionInputBytes = 8 }.contains { $0.contains("check predictions fails: the input is 33 bytes; verify recomputes predictions for at most 8 bytes") })
    }
}
