import Foundation
import InferLabEngine
import InferLabLabs

/// `lab submit` for learners and `verify` for instructors.
enum SubmissionCommands {
    static var all: [CommandSpec] { [submit, verify] }

    static let submit = CommandSpec(
        ["lab", "submit"], family: .kit, summary: "Write a bundle of your lab work for your instructor",
        discussion: """
        The zip holds your progress, hints and skips, the commands you ran, and the artefacts the checks look at, \
        with their hashes. Your instructor runs `inferlab verify` on it. It goes into your workspace's submissions/ \
        folder unless --output says otherwise. Your name is asked once (or taken from --name or \(LearnerName.variable)) \
        and kept in the workspace.
        """,
        options: [OptionSpec("output", placeholder: "FILE", help: "where to write it (default <workspace>/submissions/submission-<lab>-<name>.zip)", completion: .localPath),
                  OptionSpec("name", placeholder: "NAME", help: "your name as the instructor knows it (kept for next time)")]
    ) { invocation in
        let lab = try LabGuide(session: invocation.session).requireLab()
        let name = try LearnerName.resolve(given: invocation.value("name"), session: invocation.session, spec: invocation.spec)
        let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        let url: URL
        if let path = invocation.value("output") {
            url = invocation.localURL(path, for: .writing)
        } else {
            let folder = invocation.session.baseWorkspace.root.appendingPathComponent("submissions", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            url = folder.appendingPathComponent("submission-\(lab.definition.id)-\(safeName).zip")
        }
        try checkOutput(url, command: invocation.spec)
        try SubmissionBundle.write(lab: lab.definition, progress: lab.progress, engine: invocation.session.engine, student: name, to: url)
        let grade = LabGradingCommands.grade(lab, engine: invocation.session.engine)
        invocation.console.print("Wrote \(url.path) (\(grade.points)/\(grade.maxPoints) points as checked now).")
    }

    static let verify = CommandSpec(
        ["verify"], family: .kit, summary: "Check students' lab bundles and print a roster (for instructors)",
        discussion: """
        Recomputes every check from each bundle's artefacts, the kit's datasets and its reference models \
        (datasets/models), never trusting recorded results, and flags tampering: files changed after the \
        bundle was made, progress the artefacts or the event log do not back, a bundle from another lab \
        version, missing artefacts, two bundles from one workspace or sharing one learner's files, and \
        bundles over the size limits (zip bombs). A FOLDER is an unpacked bundle or a folder of .zip \
        bundles. Exit status 1 when any bundle is flagged.
        """,
        arguments: [ArgumentSpec("BUNDLE", help: "bundles (.zip) or folders", isVariadic: true, completion: .localPath)],
        options: [OptionSpec("csv", placeholder: "FILE", help: "also write the roster as CSV for a gradebook", completion: .localPath),
                  OptionSpec("output", placeholder: "FORMAT", help: "json for every check of every bundle", completion: .values(["json"]))]
    ) { invocation in
        let labs = LabLoader.loadAll(from: invocation.session.kit.labsFolder).labs
        let models = invocation.session.kit.referenceModelsFolder
        let verifier = BundleVerifier(labs: labs, referenceModels: models)
        var verdicts = bundles(invocation.arguments).map(verifier.verify)
        RosterChecks.flag(&verdicts)
        guard !verdicts.isEmpty else { throw ShellError.usage("no bundles found in \(invocation.arguments.joined(separator: " "))", command: invocation.spec) }
        if invocation.value("output") == "json" {
            invocation.console.print(JSONValue(reflecting: verdicts).rendered())
        } else {
            printRoster(verdicts, console: invocation.console)
        }
        if let csv = invocation.value("csv") {
            var lines = ["bundle,student,lab,points,max_points,hints,solved,skipped,flags"]
            for verdict in verdicts {
                let fields = [verdict.bundle, verdict.student, verdict.labId, String(verdict.points), String(verdict.maxPoints),
                              String(verdict.hintsUsed), String(verdict.solvedSteps), String(verdict.skippedSteps), verdict.flags.joined(separator: "; ")]
                lines.append(fields.map(csvField).joined(separator: ","))
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
            invocation.console.print("Roster written to \(csv).")
        }
        if verdicts.contains(where: { !$0.flags.isEmpty }) { throw CLIFailure("", exitCode: ExitCode.failure) }
    }

    /// The bundle goes into an existing folder and never replaces a folder.
    static func checkOutput(_ url: URL, command: CommandSpec) throws {
        var isDirectory: ObjCBool = false
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ShellError.usage("cannot write the bundle to \(url.path): the folder \(folder.path) does not exist. Create it first (mkdir -p \(folder.path)), or choose another --output", command: command)
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ShellError.usage("cannot write the bundle to \(url.path): it is a folder. Give a file name, such as \(url.appendingPathComponent("submission.zip").path)", command: command)
        }
    }

    /// Each bundle once, even when named twice (directly and through its folder).
    static func bundles(_ paths: [String]) -> [URL] {
        var seen: Set<String> = []
        return paths.flatMap { path -> [URL] in
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                  !FileManager.default.fileExists(atPath: url.appendingPathComponent("manifest.json").path) else { return [url] }
            return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".zip") }.sorted()
                .map { url.appendingPathComponent($0) }
        }.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }

    static func printRoster(_ verdicts: [Verdict], console: Console) {
        let style = console.style
        console.print(style.bold("STUDENT".padding(to: 20) + "LAB".padding(to: 26) + "POINTS".padding(to: 9) + "HINTS SOLVED SKIPPED  STATUS"))
        for verdict in verdicts {
            let status = verdict.flags.isEmpty ? style.status("OK") : style.paint("FLAGGED", .red)
            console.print(verdict.student.padding(to: 20) + verdict.labId.padding(to: 26) + "\(verdict.points)/\(verdict.maxPoints)".padding(to: 9)
                          + String(verdict.hintsUsed).padding(to: 6) + String(verdict.solvedSteps).padding(to: 7)
                          + String(verdict.skippedSteps).padding(to: 9) + status)
            for flag in verdict.flags { console.print("    ⚑ \(flag)") }
        }
    }

    /// Quoted when needed; a field a spreadsheet would run as a formula (a student named
    /// `=HYPERLINK(…)`) starts with `'`.
    private static func csvField(_ text: String) -> String {
        let text = ["=", "+", "-", "@"].contains(where: text.hasPrefix) ? "'" + text : text
        return text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
