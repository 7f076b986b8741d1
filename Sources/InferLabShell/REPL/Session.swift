import InferLabEngine
import Synchronization

/// Everything a command can reach: the workspace, the console, the event board, the registry.
public final class Session: Sendable {
    public let workspace: Workspace
    public let engine: Engine
    public let console: Console
    public let events: EventBoard
    public let registry: CommandRegistry
    /// True in the interactive shell; false in script mode and `-c`.
    public let isInteractive: Bool
    private let exitRequest = Mutex<Int32?>(nil)

    public init(engine: Engine, console: Console, registry: CommandRegistry, isInteractive: Bool) {
        self.engine = engine
        self.workspace = engine.workspace
        self.console = console
        self.events = EventBoard()
        self.registry = registry
        self.isInteractive = isInteractive
        let events = self.events
        engine.sagemaker.onNotification { events.post($0) }
    }

    /// Asks the shell to stop after the current command, with this status.
    public func requestExit(status: Int32) { exitRequest.withLock { $0 = status } }

    /// The status `exit` asked for, if it was run.
    public var requestedExitStatus: Int32? { exitRequest.withLock { $0 } }
}
