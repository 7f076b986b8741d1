import Foundation

/// The embedded engine: what every command, lab check and (later) HTTP route talks to.
public final class Engine: Sendable {
    public let workspace: Workspace
    public let store: any ObjectStore
    public let catalog: Catalog
    public let sagemaker: SageMakerService

    public init(workspace: Workspace, store: any ObjectStore, catalog: Catalog,
                configuration: SageMakerService.Configuration = .fromEnvironment()) {
        self.workspace = workspace
        self.store = store
        self.catalog = catalog
        self.sagemaker = SageMakerService(catalog: catalog, store: store, configuration: configuration)
    }

    /// The engine on a workspace folder: buckets on disk, the catalog in `catalog.sqlite`.
    /// Jobs a previous process left unfinished are resumed.
    public static func open(_ workspace: Workspace, configuration: SageMakerService.Configuration = .fromEnvironment()) throws -> Engine {
        try workspace.prepare()
        let engine = Engine(workspace: workspace,
                            store: try FileSystemObjectStore(root: workspace.bucketsDirectory),
                            catalog: try Catalog(path: workspace.catalogFile), configuration: configuration)
        engine.sagemaker.resumeUnfinishedWork()
        return engine
    }

    /// An engine entirely in memory, for tests; no provisioning delay.
    public static func inMemory(workspace: Workspace) throws -> Engine {
        var configuration = SageMakerService.Configuration()
        configuration.provisioningDelay = 0
        return Engine(workspace: workspace, store: InMemoryObjectStore(), catalog: try Catalog(), configuration: configuration)
    }
}
