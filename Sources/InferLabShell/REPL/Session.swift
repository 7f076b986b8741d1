import Foundation
import InferLabEngine
import InferLabLabs
import Synchronization

/// Everything a command can reach: the engine and its workspace, the console, the event board,
/// the registry, and the lab in progress.
public final class Session: Sendable {
    /// The learner's own workspace; each lab runs in a workspace inside it.
    public let baseWorkspace: Workspace
    public let console: Console
    public let events: EventBoard
    public let registry: CommandRegistry
    /// True in the interactive shell; false in script mode and `-c`.
    public let isInteractive: Bool
    /// Where the kit's labs and datasets are, found once at launch.
    public let kit: KitConfiguration
    private let exitRequest = Mutex<Int32?>(nil)
    private let current: Mutex<Engine>
    private let activeLab = Mutex<ActiveLab?>(nil)
    private let endpoint = Mutex<Int?>(nil)
    private let endpointStarter = Mutex<(@Sendable () async -> StartedEndpoint?)?>(nil)
    private let onDemandEndpoint = Mutex<StartedEndpoint?>(nil)

    public init(engine: Engine, console: Console, registry: CommandRegistry, isInteractive: Bool, kit: KitConfiguration) {
        self.baseWorkspace = engine.workspace
        self.kit = kit
        self.current = Mutex(engine)
        self.console = console
        self.events = EventBoard()
        self.registry = registry
        self.isInteractive = isInteractive
        let events = self.events
        engine.sagemaker.onNotification { events.post($0) }
    }

    /// The engine commands talk to: the learner's workspace, or the current lab's.
    public var engine: Engine { current.withLock { $0 } }
    public var workspace: Workspace { engine.workspace }

    /// How typed local paths resolve now: `lab-data/` is the current workspace's (the lab's in a lab).
    public var localPaths: LocalPaths {
        LocalPaths(labData: workspace.root.appendingPathComponent(LocalPaths.labDataName, isDirectory: true), datasets: kit.datasetsFolder)
    }

    /// Switches to another engine (entering or leaving a lab). A long-lived session's new
    /// engine takes up orphaned work in its workspace; the old one stops scanning its own.
    public func switchEngine(_ engine: Engine) {
        let events = self.events
        engine.sagemaker.onNotification { events.post($0) }
        let previous = current.withLock { current in
            defer { current = engine }
            return current
        }
        if previous !== engine, previous.sagemaker.isAdoptingOrphanedWork {
            previous.shutdown()
            engine.adoptOrphanedWork()
        }
    }

    /// Stops the engine's background owner before the process exits.
    public func shutdown() {
        engine.shutdown()
    }

    /// The port of the local AWS endpoint this process serves, if it serves one.
    public var endpointPort: Int? { endpoint.withLock { $0 } }

    public func setEndpointPort(_ port: Int?) { endpoint.withLock { $0 = port } }

    /// Script mode and `-c` start no endpoint up front: the first `!COMMAND` starts it (so a
    /// program it runs, the SDK's scripts say, reaches the kit as from the shell), and it stops
    /// when the session ends.
    public func startEndpointOnDemand(_ start: @escaping @Sendable () async -> StartedEndpoint?) {
        endpointStarter.withLock { $0 = start }
    }

    /// Starts the endpoint if one is to be started on demand and none runs yet.
    func ensureEndpoint() async {
        guard let start = endpointStarter.withLock({ start in defer { start = nil }; return start }) else { return }
        let started = await start()
        onDemandEndpoint.withLock { $0 = started }
    }

    /// Stops the endpoint `ensureEndpoint` started, if it did.
    public func stopOnDemandEndpoint() async {
        endpointStarter.withLock { $0 = nil }
        await onDemandEndpoint.withLock { endpoint in defer { endpoint = nil }; return endpoint }?.stop()
    }

    /// The lab in progress, if any.
    public var lab: ActiveLab? { activeLab.withLock { $0 } }

    public func setLab(_ lab: ActiveLab?) { activeLab.withLock { $0 = lab } }

    /// Changes the lab's progress and saves it.
    public func updateLab(_ change: (inout LabProgress) -> Void) throws {
        let (before, updated) = activeLab.withLock { lab -> (LabProgress?, ActiveLab?) in
            guard var current = lab else { return (nil, nil) }
            let before = current.progress
            change(&current.progress)
            lab = current
            return (before, current)
        }
        guard let before, let updated else { return }
        try updated.progress.save(workspace: workspace.root)
        if let entry = ProgressJournal.change(from: before, to: updated.progress) {
            ProgressJournal.log(entry, lab: updated.definition.id, engine: engine)
        }
    }

    /// Asks the shell to stop after the current command, with this status.
    public func requestExit(status: Int32) { exitRequest.withLock { $0 = status } }

    /// The status `exit` asked for, if it was run.
    public var requestedExitStatus: Int32? { exitRequest.withLock { $0 } }
}

/// A lab being followed: its definition and the learner's progress.
public struct ActiveLab: Sendable {
    public var definition: LabDefinition
    public var progress: LabProgress

    public var step: LabStep { definition.steps[min(progress.stepIndex, definition.steps.count - 1)] }
    public var isFinished: Bool { progress.stepIndex >= definition.steps.count }
}
