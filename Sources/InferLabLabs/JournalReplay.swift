import Foundation
import InferLabEngine

/// Replays `ProgressJournal` entries from a bundle's event log, as the shell made them, and
/// notes any entry the shell could not have made: a step solved, skipped or done that was not
/// the current one, a hint or answer without its command, an id the lab does not have.
struct JournalReplay {
    let lab: LabDefinition
    private(set) var progress: LabProgress?
    private(set) var problems: [String] = []

    init(lab: LabDefinition) { self.lab = lab }

    mutating func apply(_ change: JSONValue, line: Int, nextCommand: String?) {
        func problem(_ text: String) { problems.append("events.jsonl line \(line): \(text)") }
        if let start = change["start"] {
            guard JSONDepth.isShallow(Data(start.compact.utf8)),
                  let started = try? LabProgress.decoder.decode(LabProgress.self, from: Data(start.compact.utf8)) else {
                return problem("a lab start the kit cannot read")
            }
            if started.labId != lab.id { problem("the lab started is \(Display.text(started.labId, limit: 60)), not \(lab.id)") }
            progress = started
            return
        }
        guard var state = progress else { return problem("progress changes before the lab started") }
        let current = state.stepIndex < lab.steps.count ? lab.steps[state.stepIndex] : nil
        func ids(_ key: String) -> [String] {
            guard case .array(let items)? = change[key] else { return [] }
            return items.compactMap { if case .string(let id) = $0 { return id }; return nil }
        }
        func counts(_ key: String) -> [(String, Int)] {
            guard case .object(let members)? = change[key] else { return [] }
            return members.compactMap { member in if case .int(let n) = member.1 { return (member.0, Int(clamping: n)) }; return nil }
        }
        func expectCommand(_ prefix: String, _ what: String) {
            if !(nextCommand ?? "").hasPrefix(prefix) { problem("\(what) with no `\(prefix)` command after it") }
        }
        for id in ids("solved") {
            // The solution's own commands may complete the step before it is recorded as solved.
            if id != current?.id && id != state.completedSteps.last { problem("step \(Display.text(id, limit: 60)) solved while the current step was \(current?.id ?? "past the end")") }
            expectCommand("lab solve", "a step solved")
            if !state.solvedSteps.contains(id) { state.solvedSteps.append(id) }
        }
        for id in ids("skipped") {
            if id != current?.id { problem("step \(Display.text(id, limit: 60)) skipped while the current step was \(current?.id ?? "past the end")") }
            expectCommand("lab skip", "a step skipped")
            if !state.skippedSteps.contains(id) { state.skippedSteps.append(id) }
        }
        for id in ids("completed") {
            if id != current?.id { problem("step \(Display.text(id, limit: 60)) done while the current step was \(current?.id ?? "past the end")") }
            if !state.completedSteps.contains(id) { state.completedSteps.append(id) }
        }
        for id in ids("passed") {
            if !(current?.checks.contains { $0.id == id } ?? false) { problem("check \(Display.text(id, limit: 60)) passed outside its step") }
            state.passedChecks[id] = state.passedChecks[id] ?? Date(timeIntervalSince1970: 0)
        }
        for (id, used) in counts("hints") {
            if id != current?.id { problem("a hint for step \(Display.text(id, limit: 60)) while the current step was \(current?.id ?? "past the end")") }
            if used != (state.hintsUsed[id] ?? 0) &+ 1 { problem("hint \(used) of step \(Display.text(id, limit: 60)) revealed after hint \(state.hintsUsed[id] ?? 0)") }
            expectCommand("lab hint", "a hint")
            state.hintsUsed[id] = used
        }
        for (id, choice) in counts("answers") {
            guard let check = lab.allChecks.first(where: { $0.id == id }), case .quiz(_, let choices, _) = check.kind, choice >= 1, choice <= choices.count else {
                problem("an answer to \(Display.text(id, limit: 60)), which is not a quiz of \(lab.id) with that choice")
                continue
            }
            expectCommand("lab answer \(id) \(choice)", "an answer")
            state.answers[id] = choice
        }
        if case .int(let step)? = change["step"] {
            if !(0...Int64(lab.steps.count)).contains(step) { problem("a move to step \(step &+ 1), which lab \(lab.id) does not have") }
            state.stepIndex = Int(clamping: step)
        }
        progress = state
    }
}
