import Foundation
import Testing
import InferLabEngine
@testable import InferLabLabs

/// Each way a hostile student was seen to get a contradictory bundle past `verify`, reproduced
/// with every hash rebuilt, and flagged.
@Suite struct BundleTamperTests {
    @Test func honestBundlesVerifyWithoutFlags() throws {
        let fixture = try BundleFixture.make()
        let alice = fixture.verifier.verify(fixture.alice)
        #expect(alice.flags.isEmpty, "\(alice.flags)")
        #expect(alice.points == 4 && alice.maxPoints == 4 && alice.solvedSteps == 1 && alice.hintsUsed == 2)
        #expect(WorkspaceIdentity.isWellFormed(alice.workspaceId ?? ""))
        let mallory = fixture.verifier.verify(fixture.mallory)
        #expect(mallory.flags.isEmpty, "\(mallory.flags)")
        #expect(mallory.points == 0)
        #expect(mallory.workspaceId != alice.workspaceId)
    }
}

extension BundleTamperTests {
    private func forged(_ source: URL, reseal: Bool = true, _ edit: (inout [String: Data], inout SubmissionBundle.Manifest) throws -> Void) throws -> Verdict {
        let fixture = try BundleFixture.make()
        let target = try fixture.scratch().appendingPathComponent("forged.zip")
        try BundleFixture.forge(source, to: target, reseal: reseal, edit)
        return fixture.verifier.verify(target)
    }

    private func flags(_ verdict: Verdict, contain text: String) -> Bool { verdict.flags.contains { $0.contains(text) } }

    @Test func solvedStepsEmptiedWhileTheLogHoldsTheSolve() throws {
        let verdict = try forged(try BundleFixture.make().alice) { files, _ in
            try BundleFixture.editProgress(&files) { $0.solvedSteps = [] }
        }
        #expect(verdict.solvedSteps == 0)
        #expect(flags(verdict, contain: "progress.json says steps solved none, but its event log records score"), "\(verdict.flags)")
    }

    @Test func hintsEmptiedWhileTheLogHoldsTheHints() throws {
        let verdict = try forged(try BundleFixture.make().alice) { files, _ in
            try BundleFixture.editProgress(&files) { $0.hintsUsed = [:] }
        }
        #expect(verdict.hintsUsed == 0)
        #expect(flags(verdict, contain: "progress.json says hints used none, but its event log records score=1, think=1"), "\(verdict.flags)")
    }

    @Test func stepsAndAnswersThatNoEventBacks() throws {
        let verdict = try forged(try BundleFixture.make().mallory) { files, _ in
            try BundleFixture.editProgress(&files) { progress in
                progress.completedSteps = ["score", "think"]
                progress.answers = ["why": 2]
                progress.stepIndex = 2
            }
        }
        #expect(flags(verdict, contain: "steps done score, think, but its event log records none"), "\(verdict.flags)")
        #expect(flags(verdict, contain: "quiz answers why=2, but its event log records none"))
        #expect(flags(verdict, contain: "the current step 3, but its event log records 1"))
    }

    @Test func anotherStudentsStateAndProgressCopiedIn() throws {
        let fixture = try BundleFixture.make()
        let alice = try SubmissionBundle.read(fixture.alice)
        // Alice's progress and artefacts, Mallory's own event log.
        let verdict = try forged(fixture.mallory) { files, _ in
            for (path, data) in alice where path == "progress.json" || path.hasPrefix("state/") { files[path] = data }
        }
        #expect(verdict.points == 4, "the artefacts are Alice's and pass")
        #expect(flags(verdict, contain: "progress.json says steps solved score, but its event log records none"), "\(verdict.flags)")

        // Alice's event log too: consistent on its own, caught by the roster.
        let scratch = try fixture.scratch()
        let copy = scratch.appendingPathComponent("mallory.zip")
        try BundleFixture.forge(fixture.mallory, to: copy) { files, _ in
            for (path, data) in alice where path != "manifest.json" { files[path] = data }
        }
        var verdicts = [fixture.verifier.verify(fixture.alice), fixture.verifier.verify(copy)]
        #expect(verdicts[1].flags.isEmpty, "alone, a whole copy is consistent: \(verdicts[1].flags)")
        RosterChecks.flag(&verdicts)
        #expect(flags(verdicts[0], contain: "byte for byte the one in mallory.zip (mallory)"), "\(verdicts[0].flags)")
        #expect(flags(verdicts[1], contain: "byte for byte the one in alice.zip (alice)"))
    }

    @Test func labIdChangedToAnotherLab() throws {
        let fixture = try BundleFixture.make()
        let other = try fixture.scratch()
        try FileManager.default.copyItem(at: fixture.labs.appendingPathComponent("mini-batch"), to: other.appendingPathComponent("other-lab"))
        let yaml = other.appendingPathComponent("other-lab/lab.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8).replacingOccurrences(of: "id: mini-batch", with: "id: other-lab")
            .replacingOccurrences(of: "id: score", with: "id: score-other").replacingOccurrences(of: "id: think", with: "id: think-other")
        try text.write(to: yaml, atomically: true, encoding: .utf8)
        let labs = LabLoader.loadAll(from: fixture.labs).labs + LabLoader.loadAll(from: other).labs
        #expect(labs.count == 2)
        let target = other.appendingPathComponent("renamed.zip")
        try BundleFixture.forge(fixture.alice, to: target) { files, manifest in
            manifest.labId = "other-lab"
            try BundleFixture.editProgress(&files) { $0.labId = "other-lab" }
        }
        let verdict = BundleVerifier(labs: labs, referenceModels: fixture.verifier.referenceModels).verify(target)
        #expect(verdict.labId == "other-lab")
        #expect(flags(verdict, contain: "which lab other-lab does not have"), "\(verdict.flags)")
        #expect(flags(verdict, contain: "records progress in another lab than other-lab"))
    }

    @Test func twoEntriesWithTheSameName() throws {
        let fixture = try BundleFixture.make()
        let target = try fixture.scratch().appendingPathComponent("twice.zip")
        try python("""
            import sys, zipfile, warnings
            warnings.simplefilter("ignore")
            with zipfile.ZipFile(sys.argv[1]) as zin, zipfile.ZipFile(sys.argv[2], "w") as zout:
                for item in zin.infolist():
                    zout.writestr(item, zin.read(item.filename))
                zout.writestr("progress.json", b"{}")
            """, [fixture.alice.path, target.path])
        let verdict = fixture.verifier.verify(target)
        #expect(verdict.flags == ["entry progress.json appears twice; a bundle made by `lab submit` has each file once"])
    }

    @Test func aHugeStudentFieldIsFlaggedNotPrinted() throws {
        let fixture = try BundleFixture.make()
        let huge = try forged(fixture.alice) { _, manifest in manifest.student = String(repeating: "x", count: 50_000_000) }
        #expect(huge.student == "?")
        #expect(huge.flags.count == 1 && huge.flags[0].hasPrefix("entry manifest.json inflates more than 100 times"), "\(huge.flags)")
        let loose = try fixture.scratch()
        try FileManager.default.createDirectory(at: loose.appendingPathComponent("unpacked"), withIntermediateDirectories: true)
        try Data(repeating: UInt8(ascii: " "), count: 2 << 20).write(to: loose.appendingPathComponent("unpacked/manifest.json"))
        #expect(fixture.verifier.verify(loose.appendingPathComponent("unpacked")).flags == ["manifest.json is larger than 1 MiB; the kit writes a few KiB: not read"])
        let long = try forged(fixture.alice) { _, manifest in manifest.student = String(repeating: "y", count: 5_000) + "\u{1B}[2J" }
        #expect(long.student.count <= 101)
        #expect(flags(long, contain: "the student's name is 5004 characters long"))
        let escape = try forged(fixture.alice) { _, manifest in manifest.student = "eve\u{1B}[2J" }
        #expect(escape.student == "eve?[2J")
        #expect(flags(escape, contain: "control characters"))
    }

    @Test func aFolderWithALinkOutOfItIsRefused() throws {
        let fixture = try BundleFixture.make()
        let scratch = try fixture.scratch()
        let folder = scratch.appendingPathComponent("unpacked")
        for (path, data) in try SubmissionBundle.read(fixture.alice) {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        #expect(fixture.verifier.verify(folder).flags.isEmpty, "an unpacked honest bundle verifies")
        let secret = scratch.appendingPathComponent("secret.txt")
        try Data("not part of any bundle\n".utf8).write(to: secret)
        let events = folder.appendingPathComponent("events.jsonl")
        try FileManager.default.removeItem(at: events)
        try FileManager.default.createSymbolicLink(at: events, withDestinationURL: secret)
        #expect(fixture.verifier.verify(folder).flags == ["events.jsonl in the bundle folder is a symbolic link; verify does not follow links (unpack the zip again)"])
    }

    @Test func aZipSymlinkEntryIsRefused() throws {
        let fixture = try BundleFixture.make()
        let target = try fixture.scratch().appendingPathComponent("link.zip")
        try python("""
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as zin, zipfile.ZipFile(sys.argv[2], "w") as zout:
                for item in zin.infolist():
                    if item.filename == "events.jsonl":
                        link = zipfile.ZipInfo("events.jsonl")
                        link.create_system = 3
                        link.external_attr = (0o120777 << 16)
                        zout.writestr(link, "../../../etc/passwd")
                    else:
                        zout.writestr(item, zin.read(item.filename))
            """, [fixture.alice.path, target.path])
        #expect(fixture.verifier.verify(target).flags == ["entry events.jsonl is a symbolic link; bundles hold plain files only"])
    }

    @Test func theStudentNameIsCoveredByTheSeal() throws {
        let verdict = try forged(try BundleFixture.make().alice, reseal: false) { _, manifest in manifest.student = "mallory" }
        #expect(verdict.student == "mallory")
        #expect(flags(verdict, contain: "manifest.json was edited after the bundle was made (its seal does not match"), "\(verdict.flags)")
    }

    @Test func twoBundlesFromOneWorkspaceAreFlagged() throws {
        let fixture = try BundleFixture.make()
        var verdicts = [fixture.alice, fixture.aliceAgain, fixture.mallory].map(fixture.verifier.verify)
        #expect(verdicts.allSatisfy { $0.flags.isEmpty }, "each is consistent alone")
        RosterChecks.flag(&verdicts)
        #expect(flags(verdicts[0], contain: "made in the same workspace as alice-again.zip (alice-again)"), "\(verdicts[0].flags)")
        #expect(flags(verdicts[1], contain: "made in the same workspace as alice.zip (alice)"))
        #expect(verdicts[2].flags.isEmpty, "mallory worked in her own workspace")
    }

    @Test func oldFormatBundlesAreReadButFlagged() throws {
        let verdict = try forged(try BundleFixture.make().alice, reseal: false) { _, manifest in
            manifest.format = 1
            manifest.seal = nil
            manifest.workspaceId = nil
        }
        #expect(verdict.points == 4)
        #expect(verdict.flags == ["bundle format 1 (an older kit): its student name and progress cannot be checked; ask for a new bundle made with this kit"])
    }

    private func python(_ script: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}

extension BundleTamperTests {
    /// No false alarms: moving about, skipping, resetting and starting again are all journaled.
    @Test func honestDetoursVerifyWithoutFlags() throws {
        let fixture = try BundleFixture.make()
        let scratch = try fixture.scratch()
        let detours = scratch.appendingPathComponent("detours.zip"), again = scratch.appendingPathComponent("again.zip")
        let learner = BinaryRunner()
        let run = try learner.run([], input: """
            lab start mini-batch
            lab next
            lab hint
            lab back
            lab hint
            lab hint
            lab hint
            lab skip
            lab reset --step
            lab answer why 1
            lab answer why 2
            lab goto 1
            lab submit --name detours --output \(detours.path)
            lab reset
            lab solve
            lab leave
            lab start mini-batch
            lab submit --name again --output \(again.path)

            """, environment: fixture.environment)
        #expect(run.status == 0, "\(run.error)")
        let detoured = fixture.verifier.verify(detours)
        #expect(detoured.flags.isEmpty, "\(detoured.flags)")
        #expect(detoured.skippedSteps == 1 && detoured.hintsUsed == 3 && detoured.points == 4, "reset --step replays step 1's solution")
        let restarted = fixture.verifier.verify(again)
        #expect(restarted.flags.isEmpty, "\(restarted.flags)")
        #expect(restarted.solvedSteps == 1 && restarted.hintsUsed == 0 && restarted.points == 3)
    }
}

extension BundleTamperTests {
    /// The JSON parsers recurse: a deeply nested file must be a flag or a failed check, not a crash.
    @Test func deeplyNestedJSONIsNotACrash() throws {
        let deep = Data(String(repeating: "[", count: 200_000).utf8)
        let verdict = try forged(try BundleFixture.make().alice) { files, _ in
            files["state/buckets.json"] = deep
            files["state/transform-jobs/lesson.json"] = deep
            files["events.jsonl"] = deep + Data("\n".utf8) + (files["events.jsonl"] ?? Data())
        }
        #expect(flags(verdict, contain: "events.jsonl line 1 is not an event the kit writes"), "\(verdict.flags)")
        #expect(verdict.points < 4)
    }

    /// A log of many progress changes and no commands is replayed in one pass.
    @Test func aLongLogIsReplayedQuickly() throws {
        let fixture = try BundleFixture.make()
        let verdict = try forged(fixture.mallory) { files, _ in
            var log = files["events.jsonl"] ?? Data()
            for index in 0..<30_000 {
                log.append(Data("{\"time\":\(index).\(index &* 7919 % 10007),\"lab\":\"mini-batch\",\"progress\":{\"step\":0}}\n".utf8))
            }
            files["events.jsonl"] = log
        }
        #expect(flags(verdict, contain: "goes back in time"), "\(verdict.flags)")
    }
}

extension BundleTamperTests {
    @Test func extremeNumbersAreFlagsNotCrashes() throws {
        let verdict = try forged(try BundleFixture.make().alice) { files, _ in
            try BundleFixture.editProgress(&files) { progress in
                progress.stepIndex = Int.max
                progress.hintsUsed = ["score": Int.max, "think": Int.max]
                progress.answers = ["why": Int.min]
                progress.passedChecks["why"] = Date(timeIntervalSince1970: 0)
            }
        }
        #expect(flags(verdict, contain: "but lab mini-batch has 2 steps"), "\(verdict.flags)")
        #expect(flags(verdict, contain: "progress.json says check why passed at 1970-01-01"))
        #expect(verdict.hintsUsed < 0 || verdict.hintsUsed >= 0, "a sum that wraps is still a number")
    }

    /// `verify A.zip B.zip C.zip --csv`: the roster flags the two bundles of one workspace.
    @Test func theRosterFlagsTwoBundlesFromOneWorkspace() throws {
        let fixture = try BundleFixture.make()
        let csv = try fixture.scratch().appendingPathComponent("roster.csv")
        let result = try BinaryRunner().run(["verify", fixture.alice.path, fixture.aliceAgain.path, fixture.mallory.path, "--csv", csv.path],
                                            environment: fixture.environment)
        #expect(result.status == 1)
        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(rows.count == 4)
        #expect(rows[1].hasPrefix("alice.zip,alice,mini-batch,4,4,2,1,0,") && rows[1].contains("made in the same workspace as alice-again.zip (alice-again)"), "\(rows)")
        #expect(rows[2].hasPrefix("alice-again.zip,alice-again,") && rows[2].contains("made in the same workspace as alice.zip (alice)"))
        #expect(rows[3] == "mallory.zip,mallory,mini-batch,0,4,0,0,0,", "mallory's own work is not flagged")
    }
}

extension BundleTamperTests {
    /// Editing the workspace's progress file, then `lab reset --step` to launder it: the reset
    /// carries the old journal over, so the edit still disagrees with it.
    @Test func aResetDoesNotLaunderAnEditedProgressFile() throws {
        let fixture = try BundleFixture.make()
        let bundle = try fixture.scratch().appendingPathComponent("laundered.zip")
        let learner = BinaryRunner()
        #expect(try learner.run(["-c", "lab start mini-batch"], environment: fixture.environment).status == 0)
        let file = learner.workspace.appendingPathComponent("labs/mini-batch/.inferlab/lab-progress.json")
        var progress = try LabProgress.decoder.decode(LabProgress.self, from: Data(contentsOf: file))
        progress.answers["why"] = 2
        try LabProgress.encoder.encode(progress).write(to: file)
        let run = try learner.run([], input: "lab reset --step\nlab submit --name laundered --output \(bundle.path)\n", environment: fixture.environment)
        #expect(run.status == 0, "\(run.error)")
        let verdict = fixture.verifier.verify(bundle)
        #expect(flags(verdict, contain: "progress.json says quiz answers why=2, but its event log records none"), "\(verdict.flags)")
    }
}
