#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import InferLabEngine
import LineEditor

/// Starts a local AWS endpoint serving the engine the closure answers, signed with `credentials`.
public typealias EndpointStarter = @Sendable (_ engine: @escaping @Sendable () -> Engine, _ credentials: AccessCredentials) async throws -> StartedEndpoint

/// A local AWS endpoint running in this process.
public struct StartedEndpoint: Sendable {
    public var port: Int
    public var stop: @Sendable () async -> Void

    public init(port: Int, stop: @escaping @Sendable () async -> Void) {
        self.port = port
        self.stop = stop
    }
}

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
        /// `--no-serve`: the interactive shell starts no local AWS endpoint.
        public var noServe = false
        /// Starts the local AWS endpoint in this process (the server module, handed in by `main`
        /// so the shell does not depend on it): given the engine to serve at each request, it
        /// answers the bound port and a way to stop.
        public var startEndpoint: EndpointStarter?
        /// Where the labs and datasets are; found from the binary's place when not given.
        public var kit: KitConfiguration?

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
        let kit = options.kit ?? KitConfiguration.locate(environment: environment)
        // Every engine this process opens (the lab workspaces' too) and every `!command` finds the
        // course venv's interpreter through the environment.
        if environment[SageMakerService.Configuration.pythonVariable] == nil, let python = kit.python {
            setenv(SageMakerService.Configuration.pythonVariable, python.path, 1)
        }
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
        let session = Session(engine: engine, console: console, registry: AllCommands.registry(), isInteractive: interactive, kit: kit)
        LabGuide.resumeAtLaunch(session)
        let executor = CommandExecutor(session: session)
        if !interactive {
            let (start, noServe) = (options.startEndpoint, options.noServe)
            session.startEndpointOnDemand { await Self.startEndpoint(start, noServe: noServe, for: session, console: console) }
        }
        let status: Int32
        if let line = options.commandLine {
            status = await finish(executor.run(line: line), session: session)
        } else if !options.commandWords.isEmpty {
            status = await finish(executor.run(words: options.commandWords), session: session)
        } else if interactive {
            let endpoint = await Self.startEndpoint(options.startEndpoint, noServe: options.noServe, for: session, console: console)
            status = await InteractiveShell(executor: executor).run()
            await endpoint?.stop()
        } else {
            status = await ScriptRunner(executor: executor, keepGoing: options.keepGoing).run {
                Swift.readLine(strippingNewline: true)
            }
        }
        await session.stopOnDemandEndpoint()
        session.shutdown()
        return status
    }

    /// The shell's endpoint, on the fixed port; a port already taken is a note, not a failure.
    private static func startEndpoint(_ start: EndpointStarter?, noServe: Bool, for session: Session, console: Console) async -> StartedEndpoint? {
        guard !noServe, let start else { return nil }
        do {
            let credentials = try AccessCredentials.of(session.baseWorkspace)
            let started = try await start({ session.engine }, credentials)
            session.setEndpointPort(started.port)
            return started
        } catch {
            console.printError("note: no local AWS endpoint this time (\(error)); `inferlab serve --port N` can run one elsewhere")
            return nil
        }
    }

    private func finish(_ status: Int32, session: Session) -> Int32 {
        for event in session.events.drain() { session.console.print(event) }
        return session.requestedExitStatus ?? status
    }
}
