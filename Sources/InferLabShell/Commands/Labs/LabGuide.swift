import Foundation
import InferLabEngine
import InferLabLabs

/// Walks a learner through a lab: starting and resuming, showing steps, running checks after
/// every command, announcing checkpoints and moving on, hints, solve, skip, reset.
struct LabGuide {
    let session: Session

    var console: Console { session.console }
    var style: Style { console.style }

    /// The pointer to the lab in progress, kept in the learner's own workspace.
    static func currentLabFile(_ base: Workspace) -> URL { base.stateDirectory.appendingPathComponent("current-lab") }

    /// Starts a lab, or resumes it where the learner left off.
    func start(_ id: String) async throws {
        let lab = try Self.definition(id, kit: session.kit)
        let root = LabLibrary.workspace(for: lab.id, in: session.baseWorkspace.root)
        let engine = try Self.openEngine(lab, root: root, base: session.baseWorkspace)
        var progress = LabProgress.load(workspace: root)
        let resumed = progress != nil && progress?.labVersion == lab.version
        if !resumed {
            progress = LabProgress(lab: lab)
            try await run(lab.setup, on: engine, what: "the lab's setup")
            try progress!.save(workspace: root)
            ProgressJournal.log(ProgressJournal.start(progress!), lab: lab.id, engine: engine)
        }
        session.switchEngine(engine)
        session.setLab(ActiveLab(definition: lab, progress: progress!))
        try Data(lab.id.utf8).write(to: Self.currentLabFile(session.baseWorkspace), options: .atomic)
        console.print(style.bold(lab.title) + (resumed ? " — resumed." : " — started."))
        console.print("The lab works in its own workspace: \(root.path)")
        console.print("Its local files, lab-data/ in commands, are in \(root.appendingPathComponent(LocalPaths.labDataName).path)/")
        if !resumed, !lab.summary.isEmpty { console.print(MarkdownRenderer(style: style).render(lab.summary)) }
        showStep()
    }

    /// Leaves the lab (progress is kept) and returns to the learner's workspace.
    func leave() throws {
        guard session.lab != nil else { return }
        session.switchEngine(try Engine.open(session.baseWorkspace))
        session.setLab(nil)
        try? FileManager.default.removeItem(at: Self.currentLabFile(session.baseWorkspace))
    }

    /// Resumes the lab the learner was in when the shell last ran.
    static func resumeAtLaunch(_ session: Session) {
        guard let id = try? String(contentsOf: currentLabFile(session.baseWorkspace), encoding: .utf8),
              let lab = try? definition(id.trimmingCharacters(in: .whitespacesAndNewlines), kit: session.kit) else { return }
        let root = LabLibrary.workspace(for: lab.id, in: session.baseWorkspace.root)
        guard let progress = LabProgress.load(workspace: root), progress.labVersion == lab.version,
              let engine = try? openEngine(lab, root: root, base: session.baseWorkspace) else { return }
        session.switchEngine(engine)
        session.setLab(ActiveLab(definition: lab, progress: progress))
    }

    /// The engine on a lab's workspace, on the lab's clock.
    static func openEngine(_ lab: LabDefinition, root: URL, base: Workspace) throws -> Engine {
        try Engine.open(Workspace(root: root, within: base.root), configuration: lab.engineConfiguration())
    }

    static func definition(_ id: String, kit: KitConfiguration) throws -> LabDefinition {
        let folder = kit.labsFolder.appendingPathComponent(id)
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("lab.yaml").path) else {
            let known = LabLoader.loadAll(from: kit.labsFolder).labs.map(\.id)
            throw ShellError("there is no lab '\(id)'", hint: known.isEmpty ? "no labs found in \(kit.labsFolder.path); set INFERLAB_LABS_DIR to a labs folder, or reinstall the kit (`make install`)" : "labs: \(known.joined(separator: ", "))",
                             exitCode: ExitCode.usage)
        }
        do { return try LabLoader.load(folder) } catch {
            throw ShellError("the lab \(id) cannot be read: \(error)", hint: "`lab lint` lists every problem", exitCode: ExitCode.configuration)
        }
    }

    func requireLab() throws -> ActiveLab {
        guard let lab = session.lab else { throw ShellError("no lab is in progress", hint: "`lab list` shows the labs; `lab start ID` begins one", exitCode: ExitCode.usage) }
        return lab
    }

    // MARK: Showing

    func showStep() {
        guard let lab = session.lab else { return }
        if lab.isFinished {
            console.print(style.bold("Lab complete!") + " `lab grade` shows your points; `lab submit` writes a bundle for your instructor.")
            return
        }
        let step = lab.step
        let number = lab.progress.stepIndex + 1
        console.print()
        console.print(style.bold("Step \(number) of \(lab.definition.steps.count): \(step.title)"))
        if !step.practises.isEmpty { console.print(style.dim("Practises: " + step.practises.joined(separator: ", "))) }
        if var text = try? String(contentsOf: lab.definition.folder.appendingPathComponent(step.textFile), encoding: .utf8) {
            // The step's own `# Title` repeats the line just printed.
            if let first = text.split(separator: "\n", maxSplits: 1).first, first == "# \(step.title)" { text = String(text.dropFirst(first.count)) }
            console.print(MarkdownRenderer(style: style).render(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        console.print(style.dim("Checkpoints: " + step.checks.map(\.description).joined(separator: "; ")))
    }

    /// Runs the current step's checks; prints each with its status when `verbose`, otherwise only
    /// newly passed ones. Completes the step (and moves on, saying so) when all pass.
    func check(verbose: Bool) throws {
        guard let lab = session.lab, !lab.isFinished else { return }
        let evaluator = CheckEvaluator(engine: session.engine, answers: lab.progress.answers)
        let results = lab.step.checks.map { ($0, evaluator.evaluate($0)) }
        var newlyPassed: [LabCheck] = []
        for (check, result) in results {
            if result.passed && lab.progress.passedChecks[check.id] == nil { newlyPassed.append(check) }
            if verbose {
                let word = result.passed ? style.status("passed") : style.status("failed")
                console.print("  \(result.passed ? "✔" : "✘") \(word)  \(check.description) (\(check.points) pt)")
                if !result.passed {
                    console.print("      \(result.detail)")
                    if !check.failure.isEmpty { console.print("      " + style.dim("→ " + check.failure)) }
                }
            } else {
                if result.passed && lab.progress.passedChecks[check.id] == nil {
                    console.print(style.paint("✔ Checkpoint passed:", .green) + " \(check.description)")
                }
            }
        }
        try session.updateLab { progress in for check in newlyPassed { progress.passedChecks[check.id] = Date() } }
        if results.allSatisfy({ $0.1.passed }) { try completeStep(how: nil) }
    }

    /// A title as the end of a sentence: a full stop unless it already ends in one ("…endpoint?").
    static func sentence(_ title: String) -> String {
        title.last.map { ".?!".contains($0) } == true ? title : title + "."
    }

    /// Marks the current step done and moves to the next, announcing it.
    func completeStep(how: String?) throws {
        guard let lab = session.lab, !lab.isFinished else { return }
        let step = lab.step
        try session.updateLab { progress in
            if !progress.completedSteps.contains(step.id) { progress.completedSteps.append(step.id) }
            if how == "solved", !progress.solvedSteps.contains(step.id) { progress.solvedSteps.append(step.id) }
            if how == "skipped", !progress.skippedSteps.contains(step.id) { progress.skippedSteps.append(step.id) }
            progress.stepIndex += 1
        }
        console.print(style.paint("Step \(lab.progress.stepIndex + 1) complete", .green) + (how.map { " (\($0))" } ?? "") + ": \(Self.sentence(step.title))")
        showStep()
    }

    func move(to index: Int) throws {
        let lab = try requireLab()
        guard (0..<lab.definition.steps.count).contains(index) else {
            throw ShellError("there is no step \(index + 1): the lab has \(lab.definition.steps.count)", exitCode: ExitCode.usage)
        }
        try session.updateLab { $0.stepIndex = index }
        showStep()
    }

    // MARK: Running commands for the learner

    /// Runs commands silently on an engine (setup, reset); a failing one is an error naming it.
    func run(_ commands: [String], on engine: Engine, what: String) async throws {
        let captured = CapturedOutput()
        let silent = Session(engine: engine, console: captured.console(), registry: session.registry, isInteractive: false, kit: session.kit)
        let executor = CommandExecutor(session: silent)
        for command in commands {
            let status = await executor.run(line: command)
            guard status == 0 else {
                throw ShellError("\(what) failed at `\(command)` (exit \(status)): \(captured.error.trimmingCharacters(in: .whitespacesAndNewlines))",
                                 hint: "the lab definition may be broken: `lab lint`", exitCode: ExitCode.generalError)
            }
        }
    }
}
