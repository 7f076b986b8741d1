import Foundation

/// The embedded engine: what every command, lab check and (later) HTTP route talks to.
public final class Engine: Sendable {
    public let workspace: Workspace
    public let store: any ObjectStore
    public let catalog: Catalog

    public init(workspace: Workspace, store: any ObjectStore, catalog: Catalog) {
        self.workspace = workspace
        self.store = store
        self.catalog = catalog
    }

    /// The engine on a workspace folder: buckets on disk, the catalog in `catalog.sqlite`.
    public static func open(_ workspace: Workspace) throws -> Engine {
        try workspace.prepare()
        return Engine(workspace: workspace,
                      store: try FileSystemObjectStore(root: workspace.bucketsDirectory),
                      catalog: try Catalog(path: workspace.catalogFile))
    }

    /// An engine entirely in memory, for tests.
    public static func inMemory(workspace: Workspace) throws -> Engine {
        Engine(workspace: workspace, store: InMemoryObjectStore(), catalog: try Catalog())
    }
}
