import Foundation
import InferLabEngine

/// Every change to a learner's progress, logged to the lab workspace's event log as it happens
/// (event kind `progress`), so that a bundle's `progress.json` can be replayed from its log.
///
/// An entry is a JSON object with only what changed: `start` (the whole progress, when a lab
/// starts or is reset), `step` (the new step index), `completed`, `solved`, `skipped`, `passed`
/// (ids appended), `hints` (step id to hints used), `answers` (check id to choice).
public enum ProgressJournal {
    public static let eventKind = "progress"

    /// The entry that starts a journal: the whole progress.
    public static func start(_ progress: LabProgress) -> JSONValue {
        .object([("start", (try? JSONValue.parse(LabProgress.encoder.encode(progress))) ?? .null)])
    }

    /// What changed from `old` to `new`, or nil when nothing did. Anything other than growth
    /// (an id removed, a hint count lowered) is logged as a new start.
    public static func change(from old: LabProgress, to new: LabProgress) -> JSONValue? {
        guard old != new else { return nil }
        func appended(_ before: [String], _ after: [String]) -> [String]? {
            after.starts(with: before) ? Array(after.dropFirst(before.count)) : nil
        }
        guard old.labId == new.labId, old.labVersion == new.labVersion, old.startedAt == new.startedAt,
              let completed = appended(old.completedSteps, new.completedSteps),
              let solved = appended(old.solvedSteps, new.solvedSteps),
              let skipped = appended(old.skippedSteps, new.skippedSteps),
              old.hintsUsed.allSatisfy({ entry in (new.hintsUsed[entry.key] ?? -1) >= entry.value }),
              old.answers.keys.allSatisfy({ new.answers[$0] != nil }),
              old.passedChecks.allSatisfy({ new.passedChecks[$0.key] == $0.value }) else { return start(new) }
        var members: [(String, JSONValue)] = []
        if new.stepIndex != old.stepIndex { members.append(("step", .int(Int64(new.stepIndex)))) }
        for (key, ids) in [("completed", completed), ("solved", solved), ("skipped", skipped)] where !ids.isEmpty {
            members.append((key, .array(ids.map(JSONValue.string))))
        }
        let passed = new.passedChecks.keys.filter { old.passedChecks[$0] == nil }.sorted()
        if !passed.isEmpty { members.append(("passed", .array(passed.map(JSONValue.string)))) }
        let hints = new.hintsUsed.filter { old.hintsUsed[$0.key] != $0.value }.sorted { $0.key < $1.key }
        if !hints.isEmpty { members.append(("hints", .object(hints.map { ($0.key, .int(Int64($0.value))) }))) }
        let answers = new.answers.filter { old.answers[$0.key] != $0.value }.sorted { $0.key < $1.key }
        if !answers.isEmpty { members.append(("answers", .object(answers.map { ($0.key, .int(Int64($0.value))) }))) }
        return .object(members)
    }

    /// Logs an entry to the engine's event log; the log is best effort, like the command log.
    public static func log(_ entry: JSONValue, lab: String, engine: Engine) {
        try? engine.catalog.logEvent(kind: eventKind, subject: lab, detail: entry.compact)
    }
}
