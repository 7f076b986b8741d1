#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InferLabEngine
import LineEditor

/// Decides how `inferlab` runs: interactive shell, script mode, or one command, and runs it.
public struct Launcher {
    public struct Options: Sendable {
        public var workspace: String?
        public var plain = false
        public var keepGoing = false
        /// `-c 'COMMAND'`: one command line.
        public var commandLine: String?
        /// Words after the options: one command, already split (`inferlab lab list`).
        public var commandWords: [String] = []

        public init() {}
    }

    public let options: Options
    public let environment: [String: String]

    public init(options: Options, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.options = options
        self.environment = environment
    }

    /// Runs and returns the process exit status. Call from the main thread (the shell reads there).
    @MainActor
    public func run() async -> Int32 {
        let oneCommand = options.commandLine != nil || !options.commandWords.isEmpty
        let onTerminal = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let interactive = onTerminal && !oneCommand
        let style = Style.detect(plain: options.plain, environment: environment, isTerminal: isatty(STDOUT_FILENO) == 1)
        let console = Console.standard(style: style)
        let workspace = Workspace.resolve(explicit: options.workspace, environment: environment)
        let engine: Engine
        do {
            engine = try Engine.open(workspace)
        } catch {
            console.printError("error: \(ErrorSentence.of(error))")
            return ExitCode.configuration
        }
        InterruptMonitor.install()
        // The interactive shell is long-lived: it takes up work dead processes left, at once and
        // whenever another process dies. One-shot commands and scripts only do when they wait.
        if interactive { engine.adoptOrphanedWork() }
        let session = Session(engine: engine, console: console, registry: AllCommands.registry(), isInteractive: interactive)
        LabGuide.resumeAtLaunch(session)
        let executor = CommandExecutor(session: session)
        let status: Int32
        if let line = options.commandLine {
            status = await finish(executor.run(line: line), session: session)
        } else if !options.commandWords.isEmpty {
            status = await finish(executor.run(words: options.commandWords), session: session)
        } else if interactive {
            status = await InteractiveShell(executor: executor).run()
        } else {
            status = await ScriptRunner(executor: executor, keepGoing: options.keepGoing).run {
                Swift.readLine(strippingNewline: true)
            }
        }
        session.shutdown()
        return status
    }

    private func finish(_ status: Int32, session: Session) -> Int32 {
        for event in session.events.drain() { session.console.print(event) }
        return session.requestedExitStatus ?? status
    }
}
