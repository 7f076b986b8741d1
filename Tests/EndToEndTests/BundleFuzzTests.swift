import Foundation
import Testing
@testable import InferLabLabs

/// Random and mutated bundles for a fixed time, from a fixed seed: `verify` never crashes and
/// always answers with a verdict, OK or flagged, whose flags are short printable sentences.
@Suite struct BundleFuzzTests {
    /// SplitMix64: the same cases on every machine, for as many as the budget allows.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let budget: Duration = .seconds(4)

    @Test func mutatedBundlesAlwaysGetAVerdict() throws {
        let fixture = try BundleFixture.make()
        let verifier = fixture.verifier
        let original = try Data(contentsOf: fixture.alice)
        let files = try SubmissionBundle.read(fixture.alice)
        let scratch = try fixture.scratch()
        let target = scratch.appendingPathComponent("case.zip")
        var random = Generator(state: 13)
        var cases = 0, flagged = 0
        let clock = ContinuousClock(), start = clock.now
        while clock.now - start < Self.budget {
            let kind = cases % 6
            var mustFlag = false
            switch kind {
            case 0: // bit flips
                var data = original
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    // Half of them in the headers at the end (the central directory).
                    let low = Bool.random(using: &random) ? max(0, data.count - 1_024) : 0
                    let index = Int.random(in: low..<data.count, using: &random)
                    data[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
                }
                try data.write(to: target)
            case 1: // truncation
                try original.prefix(Int.random(in: 0..<original.count, using: &random)).write(to: target)
                mustFlag = true
            case 2: // two entries' contents swapped, hashes left as they were
                var swapped = files
                let paths = files.keys.filter { $0 != "manifest.json" }.sorted()
                let a = paths.randomElement(using: &random)!, b = paths.randomElement(using: &random)!
                (swapped[a], swapped[b]) = (files[b], files[a])
                let manifest = try LabProgress.decoder.decode(SubmissionBundle.Manifest.self, from: files["manifest.json"]!)
                swapped.removeValue(forKey: "manifest.json")
                try SubmissionBundle.pack(swapped, manifest: manifest, to: target)
                mustFlag = files[a] != files[b]
            case 3: // random bytes, sometimes behind a zip signature
                var data = Data((0..<Int.random(in: 0...4096, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
                if Bool.random(using: &random) { data.insert(contentsOf: [0x50, 0x4B, 0x03, 0x04], at: 0) }
                try data.write(to: target)
                mustFlag = true
            case 4: // a file's text mutated, every hash and the seal rebuilt: the checks past the zip layer
                let paths = files.keys.filter { $0 != "manifest.json" }.sorted()
                let path = paths.randomElement(using: &random)!
                var text = Array(files[path]!)
                for _ in 0..<Int.random(in: 1...4, using: &random) where !text.isEmpty {
                    let at = Int.random(in: 0..<text.count, using: &random)
                    switch Int.random(in: 0...3, using: &random) {
                    case 0: text.replaceSubrange(at..<min(at + 3, text.count), with: Array(["9223372036854775807", "-9223372036854775808", "1e308", "-1", "null", "[[[[", "\"\\u0000\""].randomElement(using: &random)!.utf8))
                    case 1: text.remove(at: at)
                    case 2: text.insert(contentsOf: text[at..<min(at + 40, text.count)], at: at)
                    default: text[at] = UInt8.random(in: 32...126, using: &random)
                    }
                }
                try BundleFixture.forge(fixture.alice, to: target) { forged, _ in forged[path] = Data(text) }
            default: // a slice of the bundle copied over another place
                var data = original
                let length = Int.random(in: 1...256, using: &random)
                let from = Int.random(in: 0..<(data.count - length), using: &random), to = Int.random(in: 0..<(data.count - length), using: &random)
                data.replaceSubrange(to..<to + length, with: original[from..<from + length])
                try data.write(to: target)
            }
            let verdict = verifier.verify(target)
            cases += 1
            if !verdict.flags.isEmpty { flagged += 1 }
            if mustFlag { #expect(!verdict.flags.isEmpty, "case \(cases) (kind \(kind)) passed as OK") }
            for flag in verdict.flags {
                #expect(flag.count < 600 && !flag.unicodeScalars.contains { $0.properties.generalCategory == .control }, "case \(cases): \(flag)")
            }
            #expect(verdict.student.count <= 101 && verdict.labId.count <= 101)
        }
        #expect(cases >= 20, "the budget ran only \(cases) cases")
        print("fuzz: \(cases) cases in \(Self.budget), \(flagged) flagged")
    }
}
