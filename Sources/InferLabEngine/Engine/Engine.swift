import Foundation

/// The embedded engine: what every command, lab check and (later) HTTP route talks to.
public final class Engine: Sendable {
    public let workspace: Workspace
    public let store: any ObjectStore
    public let catalog: Catalog
    public let sagemaker: SageMakerService
    /// The local AWS endpoint's log of calls (`requests` shows it; lab checks read it).
    public let requests: RequestLog

    public init(workspace: Workspace, store: any ObjectStore, catalog: Catalog,
                configuration: SageMakerService.Configuration = .fromEnvironment()) {
        self.workspace = workspace
        self.store = store
        self.catalog = catalog
        var configuration = configuration
        if configuration.instancesDirectory == nil {
            configuration.instancesDirectory = workspace.stateDirectory.appendingPathComponent("instances", isDirectory: true)
        }
        self.sagemaker = SageMakerService(catalog: catalog, store: store, configuration: configuration,
                                          trainingFolder: workspace.stateDirectory.appendingPathComponent("training", isDirectory: true))
        self.requests = RequestLog(catalog: catalog)
    }

    /// The engine on a workspace folder: buckets on disk, the catalog in `catalog.sqlite`.
    ///
    /// Work a previous process left unfinished (a job, an endpoint change, async requests) is
    /// not touched: a one-shot command reports it as it is. A long-lived process — the
    /// interactive shell, a waiter, a server — calls `adoptOrphanedWork()` to take it up.
    public static func open(_ workspace: Workspace, configuration: SageMakerService.Configuration = .fromEnvironment()) throws -> Engine {
        try workspace.prepare()
        return Engine(workspace: workspace,
                      store: try FileSystemObjectStore(root: workspace.bucketsDirectory),
                      catalog: try Catalog(path: workspace.catalogFile), configuration: configuration)
    }

    /// This process lives on (the interactive shell, a waiter, a server): take up work that dead
    /// processes left, now and whenever another process dies, until `shutdown()`.
    public func adoptOrphanedWork() { sagemaker.adoptOrphanedWork() }

    /// Stops the background owners (the orphan scan, the async endpoints' workers, the request
    /// log's flusher), writing what the log holds. Call before the process exits or leaves the
    /// workspace (the shell does when it enters or leaves a lab).
    public func shutdown() {
        sagemaker.shutdown()
        requests.close()
    }

    /// An engine entirely in memory, for tests; no provisioning delay. (Framework containers'
    /// instance folders are on disk, in the workspace's `.inferlab/instances/`.)
    public static func inMemory(workspace: Workspace) throws -> Engine {
        var configuration = SageMakerService.Configuration()
        configuration.python = SageMakerService.Configuration.fromEnvironment().python
        configuration.provisioningDelay = 0
        configuration.startupDelay = 0
        return Engine(workspace: workspace, store: InMemoryObjectStore(), catalog: try Catalog(), configuration: configuration)
    }
}
