import Foundation
import InferLabEngine
import InferLabLabs
import LineEditor

/// The interactive shell on a terminal: prompt, line editing, history, completion, events.
public struct InteractiveShell {
    public let executor: CommandExecutor
    private let editor: LineEditor

    public init(executor: CommandExecutor) {
        self.executor = executor
        self.editor = LineEditor(
            historyFile: executor.session.baseWorkspace.historyFile,
            historyLimit: 1_000,
            completer: ShellCompleter(session: executor.session))
    }

    /// Reads and runs commands until Ctrl-D or `exit`. Runs on the main thread, where SIGINT is
    /// not blocked (the cooperative pool's threads block it, and Ctrl-C would be swallowed).
    @MainActor
    public func run() async -> Int32 {
        let session = executor.session
        printBanner()
        var lastStatus: Int32 = 0
        while true {
            for event in session.events.drain() { session.console.print(event) }
            switch readCommand() {
            case .line(let line):
                editor.addHistory(line)
                lastStatus = await executor.run(line: line)
                if let requested = session.requestedExitStatus { return requested }
            case .interrupted:
                session.console.print("^C")  // the line is dropped; a fresh prompt follows
            case .endOfFile:
                session.console.print()
                return lastStatus == 0 ? 0 : lastStatus
            }
        }
    }

    /// A command, possibly over several lines ending in `\`.
    private func readCommand() -> ReadResult {
        var result = editor.readLine(prompt: prompt())
        while case .line(let text) = result, let start = Tokenizer.continuation(text) {
            switch editor.readLine(prompt: "> ") {
            case .line(let more): result = .line(start + more)
            case .interrupted: return .interrupted
            case .endOfFile: return .line(start)
            }
        }
        return result
    }

    private func prompt() -> String {
        let style = executor.session.console.style
        let name = "inferlab"
        // The prompt shows where the learner is: `inferlab [batch-end-to-end 2/6]> `.
        var place = ""
        if let lab = executor.session.lab {
            let step = lab.isFinished ? "done" : "\(lab.progress.stepIndex + 1)/\(lab.definition.steps.count)"
            place = " [\(lab.definition.id) \(step)]"
        }
        guard style.usesColor else { return "\(name)\(place)> " }
        // \u{1} … \u{2} tell libedit the escape codes take no room on screen.
        return "\u{1}\u{1B}[36m\u{2}\(name)\u{1}\u{1B}[0m\u{2}\(place)> "
    }

    private func printBanner() {
        let session = executor.session
        let style = session.console.style
        session.console.print(style.bold("InferLab") + " — batch and asynchronous inference, SageMaker-style, fully offline.")
        session.console.print("Workspace: \(session.workspace.root.path)")
        if let port = session.endpointPort {
            session.console.print("AWS endpoint: http://127.0.0.1:\(port) for boto3 and the aws CLI (`env` prints the variables; `!COMMAND` runs one with them)")
        }
        session.console.print("Type `help` for commands (Tab completes), `lab list` for the labs in course order. Ctrl-C cancels, Ctrl-D exits.")
        if let lab = session.lab {
            session.console.print("Resuming lab \(lab.definition.id) (`lab step` shows where you are, `lab leave` returns to your workspace).")
        } else if let first = LabDefinition.inCourseOrder(LabLoader.loadAll(from: session.kit.labsFolder).labs).first {
            session.console.print("Where to begin: `lab start \(first.id)`, the first lab of the course.")
        }
    }
}
