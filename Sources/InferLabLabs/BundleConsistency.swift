import Foundation
import InferLabEngine

/// Checks that a bundle agrees with itself: its progress with its event log, its lab id with the
/// step and check ids it names, its event times with each other and with the manifest.
///
/// Each problem is a sentence for the instructor. None of this makes a bundle tamper-proof: a
/// student who forges a consistent log and rebuilds the hashes passes it; the recomputed checks
/// still decide the points.
struct BundleConsistency {
    let lab: LabDefinition
    let manifest: SubmissionBundle.Manifest
    let progress: LabProgress
    /// `events.jsonl`, oldest first.
    let events: Data

    /// Seconds a clock may step back between two events (a clock adjusted while the lab ran).
    static let clockSlack: TimeInterval = 2

    struct Event {
        var line: Int
        var time: Double
        var command: String?
        var change: JSONValue?
    }

    func problems(checkJournal: Bool) -> [String] {
        var problems = idProblems()
        let (events, parseProblems) = parse()
        problems += parseProblems
        problems += timeProblems(events)
        if checkJournal { problems += journalProblems(events) }
        return problems
    }

    // MARK: Ids

    private func idProblems() -> [String] {
        let steps = Set(lab.steps.map(\.id))
        let checks = Set(lab.allChecks.map(\.id))
        var unknown: [String] = []
        for id in progress.completedSteps + progress.solvedSteps + progress.skippedSteps + Array(progress.hintsUsed.keys) where !steps.contains(id) {
            unknown.append("step \(Display.text(id, limit: 60))")
        }
        for id in Array(progress.answers.keys) + Array(progress.passedChecks.keys) where !checks.contains(id) {
            unknown.append("check \(Display.text(id, limit: 60))")
        }
        var problems: [String] = []
        if !unknown.isEmpty {
            let names = Array(Set(unknown)).sorted().prefix(5).joined(separator: ", ")
            problems.append("progress.json names \(names), which lab \(lab.id) does not have: the bundle's lab id does not match its progress")
        }
        if !(0...lab.steps.count).contains(progress.stepIndex) {
            problems.append("progress.json is at step \(progress.stepIndex &+ 1), but lab \(lab.id) has \(lab.steps.count) steps")
        }
        return problems
    }

    // MARK: Events

    private func parse() -> ([Event], [String]) {
        var events: [Event] = []
        var problems: [String] = []
        for (index, line) in Self.lines(of: self.events).enumerated() where !line.isEmpty {
            guard JSONDepth.isShallow(line), let value = try? JSONValue.parse(String(decoding: line, as: UTF8.self)),
                  let time = Self.number(value["time"]) else {
                problems.append("events.jsonl line \(index + 1) is not an event the kit writes")
                continue
            }
            var event = Event(line: index + 1, time: time)
            if case .string(let command)? = value["command"] { event.command = command }
            if let change = value["progress"] {
                event.change = change
                if value["lab"] != .string(manifest.labId) {
                    problems.append("events.jsonl line \(index + 1) records progress in another lab than \(manifest.labId)")
                }
            }
            events.append(event)
        }
        return (events, Array(problems.prefix(5)))
    }

    private static func lines(of data: Data) -> [Data] { data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Data($0) } }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .double(let number)?: number
        case .int(let number)?: Double(number)
        default: nil
        }
    }

    private func timeProblems(_ events: [Event]) -> [String] {
        var problems: [String] = []
        for (previous, event) in zip(events, events.dropFirst()) where event.time < previous.time - Self.clockSlack {
            problems.append("events.jsonl goes back in time at line \(event.line): the log was edited or put together from pieces")
            break
        }
        let created = manifest.createdAt.timeIntervalSince1970
        if let last = events.last, last.time > created + Self.clockSlack {
            problems.append("events.jsonl line \(last.line) is later than the bundle itself (made \(manifest.createdAt))")
        }
        if let first = events.first(where: { $0.change != nil }), first.time < progress.startedAt.timeIntervalSince1970 - Self.clockSlack - 1 {
            problems.append("events.jsonl line \(first.line) records progress before the lab started (\(progress.startedAt))")
        }
        let started = progress.startedAt.timeIntervalSince1970
        if let (check, date) = progress.passedChecks.sorted(by: { $0.key < $1.key }).first(where: { date in
            !(started - Self.clockSlack...created + Self.clockSlack).contains(date.value.timeIntervalSince1970)
        }) {
            problems.append("progress.json says check \(Display.text(check, limit: 60)) passed at \(date), outside the lab's time (started \(progress.startedAt), bundled \(manifest.createdAt))")
        }
        if started > created + Self.clockSlack { problems.append("progress.json says the lab started after the bundle was made") }
        return problems
    }

    // MARK: Journal

    private func journalProblems(_ events: [Event]) -> [String] {
        var replay = JournalReplay(lab: lab)
        // The command after each event, found in one pass from the end.
        var nextCommands = [String?](repeating: nil, count: events.count)
        var following: String?
        for index in events.indices.reversed() {
            nextCommands[index] = following
            if let command = events[index].command { following = command }
        }
        for (index, event) in events.enumerated() {
            guard let change = event.change else { continue }
            replay.apply(change, line: event.line, nextCommand: nextCommands[index])
            if replay.problems.count >= 5 { break }
        }
        var problems = replay.problems
        guard let replayed = replay.progress else {
            return problems + ["events.jsonl has no record of the lab starting, so progress.json cannot be checked against it"]
        }
        func differ<T: Equatable>(_ field: String, _ claimed: T, _ logged: T, _ show: (T) -> String) {
            if claimed != logged {
                problems.append("progress.json says \(field) \(show(claimed)), but its event log records \(show(logged))")
            }
        }
        let list: ([String]) -> String = { $0.isEmpty ? "none" : Display.text($0.joined(separator: ", "), limit: 200) }
        let counts: ([String: Int]) -> String = { $0.isEmpty ? "none" : Display.text($0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "), limit: 200) }
        differ("steps done", progress.completedSteps, replayed.completedSteps, list)
        differ("steps solved", progress.solvedSteps, replayed.solvedSteps, list)
        differ("steps skipped", progress.skippedSteps, replayed.skippedSteps, list)
        differ("hints used", progress.hintsUsed, replayed.hintsUsed, counts)
        differ("quiz answers", progress.answers, replayed.answers, counts)
        differ("checks passed", Array(progress.passedChecks.keys).sorted(), Array(replayed.passedChecks.keys).sorted(), list)
        differ("the current step", progress.stepIndex &+ 1, replayed.stepIndex &+ 1) { String($0) }
        differ("the lab started at", progress.startedAt, replayed.startedAt) { "\($0)" }
        return problems
    }
}

/// Nesting depth of JSON text, checked before parsing it (the parsers recurse).
enum JSONDepth {
    static let limit = 64

    static func isShallow(_ data: Data, limit: Int = limit) -> Bool {
        var depth = 0, inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return false }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return true
    }
}
