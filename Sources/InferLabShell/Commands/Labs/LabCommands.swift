import Foundation
import InferLabEngine
import InferLabLabs

/// The learner's `lab` commands.
enum LabCommands {
    static var all: [CommandSpec] {
        [list, start, step, next, back, goto, hint, check, answer, solve, skip, reset, progress, leave]
            + LabGradingCommands.all + LabAuthoringCommands.all + SubmissionCommands.all + [CompareCommand.compare]
    }

    static let labIds = CompletionSource.dynamic { session, _ in LabLoader.loadAll(from: session.kit.labsFolder).labs.map(\.id) }
    static let checkIds = CompletionSource.dynamic { session, _ in session.lab?.step.checks.map(\.id) ?? [] }

    private static func kit(_ path: [String], _ summary: String, discussion: String = "", arguments: [ArgumentSpec] = [],
                            options: [OptionSpec] = [], handler: @escaping CommandHandler) -> CommandSpec {
        CommandSpec(path, family: .kit, summary: summary, discussion: discussion, arguments: arguments, options: options, handler: handler)
    }

    static let list = kit(["lab", "list"], "List the labs in course order, with your progress and where to start") { invocation in
        let (found, problems) = LabLoader.loadAll(from: invocation.session.kit.labsFolder)
        let labs = LabDefinition.inCourseOrder(found)
        let base = invocation.session.baseWorkspace.root
        let progress = labs.map { LabProgress.load(workspace: LabLibrary.workspace(for: $0.id, in: base)) }
        // Where to go: the first lab if none was started, else the first one not finished.
        let anyStarted = progress.contains { $0 != nil }
        let next = labs.indices.first { index in progress[index].map { $0.stepIndex < labs[index].steps.count } ?? true }
        let idWidth = max(4, labs.map(\.id.count).max() ?? 0) + 2
        let titleWidth = max(6, labs.map(\.title.count).max() ?? 0) + 2
        let style = invocation.console.style
        if !labs.isEmpty {
            invocation.console.print(style.bold("   #  " + "LAB".padding(to: idWidth) + "TITLE".padding(to: titleWidth) + "PROGRESS"))
        }
        for (index, lab) in labs.enumerated() {
            let done = progress[index].map { $0.stepIndex >= lab.steps.count ? "done" : "\($0.completedSteps.count)/\(lab.steps.count) steps" } ?? "not started"
            var notes: [String] = []
            if invocation.session.lab?.definition.id == lab.id { notes.append("current") }
            if index == next { notes.append(anyStarted ? "← continue here" : "← start here") }
            let number = String(index + 1).padding(to: 3)
            invocation.console.print("   \(number)" + lab.id.padding(to: idWidth) + lab.title.padding(to: titleWidth) + done
                                     + (notes.isEmpty ? "" : "  " + notes.joined(separator: ", ")))
        }
        if let next, !anyStarted { invocation.console.print("Begin with `lab start \(labs[next].id)`.") }
        for problem in problems { invocation.console.printError("warning: \(problem) (`lab lint`)") }
        if labs.isEmpty { invocation.console.print("No labs in \(invocation.session.kit.labsFolder.path): set INFERLAB_LABS_DIR to a labs folder, or reinstall the kit (`make install`).") }
    }

    static let start = kit(["lab", "start"], "Start a lab, or resume it where you left off",
                           discussion: "Each lab runs in its own workspace inside yours, so labs never get in each other's way.",
                           arguments: [ArgumentSpec("ID", help: "the lab, from `lab list`", completion: labIds)]) { invocation in
        try await LabGuide(session: invocation.session).start(invocation.arguments[0])
    }

    static let step = kit(["lab", "step"], "Show the current step again") { invocation in
        _ = try LabGuide(session: invocation.session).requireLab()
        LabGuide(session: invocation.session).showStep()
    }

    static let next = kit(["lab", "next"], "Go to the next step (its checks need not pass; `lab progress` shows what is done)") { invocation in
        let guide = LabGuide(session: invocation.session)
        try guide.move(to: try guide.requireLab().progress.stepIndex + 1)
    }

    static let back = kit(["lab", "back"], "Go back one step") { invocation in
        let guide = LabGuide(session: invocation.session)
        try guide.move(to: try guide.requireLab().progress.stepIndex - 1)
    }

    static let goto = kit(["lab", "goto"], "Go to step N", arguments: [ArgumentSpec("N", help: "the step number")]) { invocation in
        guard let number = Int(invocation.arguments[0]) else { throw ShellError.usage("N must be a step number", command: invocation.spec) }
        try LabGuide(session: invocation.session).move(to: number - 1)
    }

    static let hint = kit(["lab", "hint"], "Show the next hint for this step (hints used are recorded)") { invocation in
        let guide = LabGuide(session: invocation.session)
        let lab = try guide.requireLab()
        let hints = lab.step.hints
        let used = lab.progress.hintsUsed[lab.step.id] ?? 0
        // After the last step there is nothing to hint at, and nothing to record.
        guard !lab.isFinished else { invocation.console.print("The lab is finished: no hint needed (`lab grade` shows your points)."); return }
        guard !hints.isEmpty else { invocation.console.print("This step has no hints."); return }
        let shown = min(used + 1, hints.count)
        try invocation.session.updateLab { $0.hintsUsed[lab.step.id] = shown }
        invocation.console.print("Hint \(shown) of \(hints.count): \(hints[shown - 1])")
    }

    static let check = kit(["lab", "check"], "Run this step's checks and explain any that fail",
                           discussion: "Checks also run after every command you type; this shows each one.") { invocation in
        let guide = LabGuide(session: invocation.session)
        _ = try guide.requireLab()
        try guide.check(verbose: true)
    }

    static let answer = kit(["lab", "answer"], "Answer a quiz question of this step",
                            arguments: [ArgumentSpec("CHECK_ID", help: "the question's id", completion: checkIds),
                                        ArgumentSpec("CHOICE", help: "the number of your answer")]) { invocation in
        let guide = LabGuide(session: invocation.session)
        let lab = try guide.requireLab()
        guard let check = lab.definition.allChecks.first(where: { $0.id == invocation.arguments[0] }),
              case .quiz(let question, let choices, _) = check.kind else {
            throw ShellError.usage("'\(invocation.arguments[0])' is not a quiz of this lab", command: invocation.spec)
        }
        guard let choice = Int(invocation.arguments[1]), (1...choices.count).contains(choice) else {
            throw ShellError.usage("answer with a number from 1 to \(choices.count): \(question)", command: invocation.spec)
        }
        try invocation.session.updateLab { $0.answers[check.id] = choice }
        invocation.console.print("Answer recorded: \(choices[choice - 1])")
        try guide.check(verbose: true)
    }

    static let solve = kit(["lab", "solve"], "Run this step's solution commands for you (recorded)") { invocation in
        let guide = LabGuide(session: invocation.session)
        let lab = try guide.requireLab()
        guard !lab.isFinished else { return }
        let executor = CommandExecutor(session: invocation.session)
        for command in lab.step.solve {
            invocation.console.print(invocation.console.style.dim("$ " + command))
            let status = await executor.run(line: command)
            guard status == 0 else { throw ShellError("`\(command)` failed (exit \(status))", exitCode: status) }
        }
        try invocation.session.updateLab { progress in
            if !progress.solvedSteps.contains(lab.step.id) { progress.solvedSteps.append(lab.step.id) }
        }
        try guide.check(verbose: true)
    }

    static let skip = kit(["lab", "skip"], "Skip this step without doing it (recorded; its checks keep their state)") { invocation in
        let guide = LabGuide(session: invocation.session)
        _ = try guide.requireLab()
        try guide.completeStep(how: "skipped")
    }

    static let reset = kit(["lab", "reset"], "Start the lab again from a clean workspace",
                           discussion: "With --step, the workspace is rebuilt up to the current step by running the earlier steps' solutions; your progress on them is kept.",
                           options: [.flag("step", help: "rebuild the state for the current step only")]) { invocation in
        let guide = LabGuide(session: invocation.session)
        let lab = try guide.requireLab()
        let root = LabLibrary.workspace(for: lab.definition.id, in: invocation.session.baseWorkspace.root)
        // With --step the progress is kept, so its journal and the commands around it are too:
        // the new event log starts with the old one, times and all.
        let kept = !invocation.flag("step") ? [] : ((try? invocation.session.engine.catalog.recentEvents(limit: 1_000_000)) ?? [])
            .filter { $0.kind == "command" || $0.kind == ProgressJournal.eventKind }
        try guide.leave()
        try FileManager.default.removeItem(at: root)
        let engine = try LabGuide.openEngine(lab.definition, root: root, base: invocation.session.baseWorkspace)
        for event in kept { try? engine.catalog.logEvent(kind: event.kind, subject: event.subject, detail: event.detail, time: event.time) }
        try await guide.run(lab.definition.setup, on: engine, what: "the lab's setup")
        var progress = LabProgress(lab: lab.definition)
        if invocation.flag("step") {
            for earlier in lab.definition.steps.prefix(lab.progress.stepIndex) {
                try await guide.run(earlier.solve, on: engine, what: "rebuilding step \(earlier.id)")
            }
            progress = lab.progress
        }
        try progress.save(workspace: root)
        // A full reset starts the journal again, from fresh progress.
        if !invocation.flag("step") { ProgressJournal.log(ProgressJournal.start(progress), lab: lab.definition.id, engine: engine) }
        try await guide.start(lab.definition.id)
    }

    static let progress = kit(["lab", "progress"], "Show every step: done, solved, skipped, hints used") { invocation in
        let lab = try LabGuide(session: invocation.session).requireLab()
        let style = invocation.console.style
        invocation.console.print(style.bold(lab.definition.title))
        for (index, step) in lab.definition.steps.enumerated() {
            var state = lab.progress.completedSteps.contains(step.id) ? "done" : (index == lab.progress.stepIndex ? "current" : "to do")
            if lab.progress.solvedSteps.contains(step.id) { state += ", solved" }
            if lab.progress.skippedSteps.contains(step.id) { state += ", skipped" }
            let hints = lab.progress.hintsUsed[step.id].map { ", \($0) hint(s)" } ?? ""
            invocation.console.print("  \(String(index + 1).padding(to: 3))\(step.title.padding(to: 48))\(state)\(hints)")
        }
    }

    static let leave = kit(["lab", "leave"], "Leave the lab (progress is kept) and return to your own workspace") { invocation in
        try LabGuide(session: invocation.session).leave()
        invocation.console.print("Back in \(invocation.session.workspace.root.path).")
    }
}
