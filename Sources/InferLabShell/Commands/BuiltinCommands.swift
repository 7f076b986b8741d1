import Foundation
import InferLabEngine
import LineEditor

/// `help`, `exit`/`quit`, `history`.
enum BuiltinCommands {
    static var all: [CommandSpec] { [help, exit, quit, history, reference] }

    static let help = CommandSpec(
        ["help"], family: .kit, summary: "Show every command, or explain one",
        discussion: "`help` lists the commands by family. `help s3 cp`, `s3 cp --help` and `s3 cp help` explain one.",
        arguments: [ArgumentSpec("COMMAND", help: "a command name, e.g. `s3 cp`", isOptional: true, isVariadic: true,
                                 completion: .dynamic { session, _ in session.registry.nextWords(after: []) })],
        examples: ["help", "help s3 cp", "help sagemaker create-transform-job"]
    ) { invocation in
        let session = invocation.session
        let renderer = HelpRenderer(style: session.console.style)
        guard !invocation.arguments.isEmpty else {
            renderer.printOverview(session.registry, to: session.console)
            return
        }
        switch session.registry.resolve(invocation.arguments) {
        case .command(let spec, let rest) where rest.isEmpty:
            renderer.printCommand(spec, to: session.console)
        case .group(let prefix, let members):
            renderer.printGroup(prefix: prefix, members: members, to: session.console)
        default:
            let typed = invocation.arguments.joined(separator: " ")
            throw ShellError.usage("no help for '\(typed)': there is no such command", command: nil)
        }
    }

    static let exit = exitCommand(name: "exit")
    static let quit = exitCommand(name: "quit")

    private static func exitCommand(name: String) -> CommandSpec {
        CommandSpec(
            [name], family: .kit, summary: "Leave the shell (Ctrl-D does the same)",
            arguments: [ArgumentSpec("STATUS", help: "exit status, default 0", isOptional: true)]
        ) { invocation in
            let text = invocation.argument(0) ?? "0"
            guard let status = Int32(text), (0...255).contains(status) else {
                throw ShellError.usage("exit status must be a number from 0 to 255, not '\(text)'", command: invocation.spec)
            }
            invocation.session.requestExit(status: status)
        }
    }

    static let history = CommandSpec(
        ["history"], family: .kit, summary: "Show the commands typed in this workspace",
        discussion: "History is kept in the workspace (.inferlab/history), the last 1,000 commands. Up and Down recall them.",
        arguments: [ArgumentSpec("COUNT", help: "how many recent entries, default 20", isOptional: true)]
    ) { invocation in
        let text = invocation.argument(0) ?? "20"
        guard let count = Int(text), count > 0 else {
            throw ShellError.usage("COUNT must be a positive number, not '\(text)'", command: invocation.spec)
        }
        let entries = HistoryFile(url: invocation.session.baseWorkspace.historyFile, limit: 1_000).load()
        let start = max(0, entries.count - count)
        for (offset, entry) in entries[start...].enumerated() {
            let number = String(start + offset + 1)
            invocation.console.print(String(repeating: " ", count: max(0, 5 - number.count)) + number + "  " + entry)
        }
    }

    static let reference = CommandSpec(
        ["docs", "commands"], family: .kit, summary: "Print the command reference as Markdown (for README.md)",
        discussion: "`make docs` puts this output into README.md between the commands markers.",
        isHidden: true
    ) { invocation in
        invocation.console.write(HelpRenderer.markdownReference(invocation.session.registry))
    }
}
