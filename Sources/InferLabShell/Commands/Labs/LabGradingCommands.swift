import Foundation
import InferLabEngine
import InferLabLabs

/// `lab grade`: every check of the lab, recomputed now, with points.
enum LabGradingCommands {
    static var all: [CommandSpec] { [grade] }

    struct Grade: Codable, Sendable {
        var lab: String
        var labVersion: Int
        var points: Int
        var maxPoints: Int
        var hintsUsed: Int
        var solvedSteps: [String]
        var skippedSteps: [String]
        var checks: [CheckResult]
    }

    /// Evaluates every check of the lab against the current state.
    static func grade(_ lab: ActiveLab, engine: Engine) -> Grade {
        let evaluator = CheckEvaluator(engine: engine, answers: lab.progress.answers)
        let results = lab.definition.allChecks.map(evaluator.evaluate)
        return Grade(lab: lab.definition.id, labVersion: lab.definition.version, points: results.reduce(0) { $0 + $1.points },
                     maxPoints: lab.definition.totalPoints, hintsUsed: lab.progress.hintsUsed.values.reduce(0, +),
                     solvedSteps: lab.progress.solvedSteps, skippedSteps: lab.progress.skippedSteps, checks: results)
    }

    static let grade = CommandSpec(
        ["lab", "grade"], family: .kit, summary: "Grade the lab: every check now, with points",
        discussion: "Checks inspect the workspace's real state; hints, solves and skips are listed for the instructor.",
        options: [OptionSpec("output", placeholder: "FORMAT", help: "json for a machine-readable grade", completion: .values(["json"]))]
    ) { invocation in
        let lab = try LabGuide(session: invocation.session).requireLab()
        let result = grade(lab, engine: invocation.session.engine)
        if invocation.value("output") == "json" {
            invocation.console.print(JSONValue(reflecting: result).rendered())
            return
        }
        let style = invocation.console.style
        for (check, outcome) in zip(lab.definition.allChecks, result.checks) {
            let word = outcome.passed ? style.status("passed") : style.status("failed")
            invocation.console.print("  \(word.padding(to: outcome.passed ? 8 : 8)) \(String(outcome.points))/\(check.points)  \(check.description)")
        }
        invocation.console.print(style.bold("Total: \(result.points)/\(result.maxPoints) points") +
                                 " · hints used \(result.hintsUsed) · solved \(result.solvedSteps.count) · skipped \(result.skippedSteps.count)")
    }
}

/// `lab new`, `lab lint`, `lab selftest`: for instructors writing labs.
enum LabAuthoringCommands {
    static var all: [CommandSpec] { [new, lint, selftest] }

    static let lint = CommandSpec(
        ["lab", "lint"], family: .kit, summary: "Check every lab definition and explain what is wrong",
        discussion: "Reads the kit's labs folder (labs/ in the checkout, share/inferlab/labs installed, or INFERLAB_LABS_DIR): the YAML, each field and check, the step texts, and that every setup and solve command is a known command."
    ) { invocation in
        let (labs, problems) = LabLoader.loadAll(from: invocation.session.kit.labsFolder)
        var count = problems.count
        for problem in problems { invocation.console.printError("\(problem)") }
        for lab in labs {
            for (place, command) in [("setup", lab.setup)].flatMap({ pair in pair.1.map { (pair.0, $0) } })
                + lab.steps.flatMap({ step in step.solve.map { ("steps.\(step.id).solve", $0) } }) {
                guard let words = try? Tokenizer.split(command) else {
                    invocation.console.printError("\(lab.id)/lab.yaml: \(place): `\(command)` has an unterminated quote"); count += 1; continue
                }
                if case .unknown = invocation.session.registry.resolve(words) {
                    invocation.console.printError("\(lab.id)/lab.yaml: \(place): `\(command)` is not a known command"); count += 1
                }
            }
        }
        invocation.console.print("\(labs.count) lab(s) read, \(count) problem(s).")
        if count > 0 { throw CLIFailure("", exitCode: ExitCode.failure) }
    }

    static let selftest = CommandSpec(
        ["lab", "selftest"], family: .kit, summary: "Run each lab in a fresh workspace: checks fail before solve, pass after",
        arguments: [ArgumentSpec("ID", help: "one lab (default: all)", isOptional: true, completion: LabCommands.labIds)]
    ) { invocation in
        let (labs, problems) = LabLoader.loadAll(from: invocation.session.kit.labsFolder)
        guard problems.isEmpty else { throw CLIFailure(problems.map(\.description).joined(separator: "\n"), hint: "fix these first (`lab lint`)") }
        let chosen = invocation.argument(0).map { id in labs.filter { $0.id == id } } ?? labs
        if chosen.isEmpty { throw ShellError.usage("no lab '\(invocation.argument(0) ?? "")'", command: invocation.spec) }
        var failedLabs = 0
        for lab in chosen {
            let report = await LabSelfTest(lab: lab, registry: invocation.session.registry, kit: invocation.session.kit).run()
            for line in report.problems { invocation.console.printError("\(lab.id): \(line)") }
            if !report.problems.isEmpty { failedLabs += 1 }
            invocation.console.print("\(lab.id): \(report.problems.isEmpty ? "passed" : "FAILED") — \(report.checks) checks in \(lab.steps.count) steps, \(String(format: "%.1f", report.seconds)) s")
        }
        invocation.console.print("lab selftest: \(chosen.count - failedLabs) passed, \(failedLabs) failed")
        if failedLabs > 0 { throw CLIFailure("", exitCode: ExitCode.failure) }
    }

    static let new = CommandSpec(
        ["lab", "new"], family: .kit, summary: "Write a commented one-step lab to start from",
        arguments: [ArgumentSpec("ID", help: "the new lab's id (lowercase letters, digits, hyphens)")]
    ) { invocation in
        let id = invocation.arguments[0]
        guard id.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) != nil else {
            throw ShellError.usage("a lab id uses lowercase letters, digits and single hyphens, not '\(id)'", command: invocation.spec)
        }
        let folder = invocation.session.kit.labsFolder.appendingPathComponent(id)
        guard !FileManager.default.fileExists(atPath: folder.path) else { throw ShellError("\(folder.path) already exists", exitCode: ExitCode.usage) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("steps"), withIntermediateDirectories: true)
        try LabTemplate.yaml(id: id).write(to: folder.appendingPathComponent("lab.yaml"), atomically: true, encoding: .utf8)
        try LabTemplate.step.write(to: folder.appendingPathComponent("steps/01-make-bucket.md"), atomically: true, encoding: .utf8)
        invocation.console.print("Wrote \(folder.path)/lab.yaml and steps/01-make-bucket.md. Try `lab lint` and `lab selftest \(id)`.")
    }
}
