import Foundation
import InferLabEngine
import InferLabLabs

/// The learner's name as the instructor knows it, which `lab submit` seals into each bundle:
/// given once (`--name`, `INFERLAB_LEARNER_NAME`, or asked at the prompt) and kept in the
/// learner's workspace, so every later bundle carries the same name.
enum LearnerName {
    static let variable = "INFERLAB_LEARNER_NAME"

    static func file(_ base: Workspace) -> URL { base.stateDirectory.appendingPathComponent("learner-name") }

    /// The kept name, if one was given before.
    static func kept(_ base: Workspace) -> String? {
        guard let text = try? String(contentsOf: file(base), encoding: .utf8) else { return nil }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }

    static func keep(_ name: String, in base: Workspace) throws {
        try Data((name + "\n").utf8).write(to: file(base), options: .atomic)
    }

    /// Why a name cannot go into a bundle, or nil when it can.
    static func problem(_ name: String) -> String? {
        let limit = BundleLimits.standard.nameCharacters
        if name.isEmpty || name.count > limit || name.contains(where: { $0.isNewline || ($0.asciiValue ?? 32) < 32 }) {
            return "must be 1 to \(limit) characters on one line"
        }
        return nil
    }

    /// The name for a bundle: `--name`, else INFERLAB_LEARNER_NAME, else the kept one, else asked
    /// for at the interactive prompt. A name given is kept for next time.
    /// - Throws: when there is none and nobody to ask (a script), saying how to give one.
    static func resolve(given: String?, session: Session, spec: CommandSpec) throws -> String {
        let base = session.baseWorkspace
        let environment = ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        var name = given ?? environment ?? kept(base)
        if name == nil, session.isInteractive {
            session.console.write("Your name, as your instructor knows it (asked once, kept in the workspace): ")
            name = Swift.readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces)
        }
        guard let name else {
            throw ShellError.usage("lab submit needs your name, as your instructor knows it: give it once with --name NAME (it is kept in the workspace), or set \(variable)", command: spec)
        }
        if let problem = problem(name) { throw ShellError.usage("--name \(problem)", command: spec) }
        if name != kept(base) { try keep(name, in: base) }
        return name
    }
}
