#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The folder that holds everything a learner makes: buckets, the catalog, history, progress.
///
/// It is laid out for people as much as for the program: `buckets/<bucket>/<key>` are plain files
/// that open in any editor.
///
/// Nothing the kit keeps in it may be a symbolic link (the buckets, the catalog, the kit's state,
/// a lab's workspace inside another): a link would lead the kit's reads and writes outside.
/// `prepare()` refuses one with its path; the object store resolves every name beneath
/// `buckets/` without following links (see ConfinedFolder).
public struct Workspace: Sendable, Equatable {
    public let root: URL
    /// For a workspace inside another (a lab's, in `labs/<id>/`): the outer workspace, up to which
    /// every folder on the way must be a real folder.
    public let container: URL?

    public init(root: URL, within container: URL? = nil) {
        self.root = root.standardizedFileURL
        self.container = container?.standardizedFileURL
    }

    /// The workspace chosen by `--workspace`, else `INFERLAB_WORKSPACE`, else `./workspace`.
    public static func resolve(explicit: String?, environment: [String: String]) -> Workspace {
        let path = explicit ?? environment["INFERLAB_WORKSPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? "workspace"
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath,
                      relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return Workspace(root: url)
    }

    public var bucketsDirectory: URL { root.appendingPathComponent("buckets", isDirectory: true) }
    public var catalogFile: URL { root.appendingPathComponent("catalog.sqlite") }
    /// Kit-private state: history, temporary files.
    public var stateDirectory: URL { root.appendingPathComponent(".inferlab", isDirectory: true) }
    public var historyFile: URL { stateDirectory.appendingPathComponent("history") }

    /// Creates the folders on first use.
    /// - Throws: when the location cannot be created or is a file, or when something the kit keeps
    ///   in it is a symbolic link, with the path in the message.
    public func prepare() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw WorkspaceError(message: "the workspace \(root.path) is a file, not a folder; choose another with --workspace DIR")
        }
        try refuseLinks()
        do {
            for folder in [root, bucketsDirectory, stateDirectory] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
        } catch {
            throw WorkspaceError(message: "cannot create the workspace at \(root.path): \(error.localizedDescription); choose another with --workspace DIR")
        }
    }
}

extension Workspace {
    /// The paths the kit itself opens by name in the workspace; none may be a link. (SQLite opens
    /// the catalog by name, and GRDB offers no `SQLITE_OPEN_NOFOLLOW`, so for the catalog this
    /// check at opening is what there is.)
    var keptPaths: [URL] {
        let catalog = catalogFile.path
        return [bucketsDirectory, stateDirectory, catalogFile, URL(fileURLWithPath: catalog + "-wal"),
                URL(fileURLWithPath: catalog + "-shm"), historyFile, stateDirectory.appendingPathComponent("credentials.json")]
    }

    private func refuseLinks() throws {
        // Every folder from the outer workspace down to this one (`labs`, `labs/<id>`), then what
        // the kit keeps here.
        var paths: [URL] = []
        if let container, root.path.hasPrefix(container.path + "/") {
            var folder = container
            for component in root.path.dropFirst(container.path.count + 1).split(separator: "/") {
                folder.appendPathComponent(String(component))
                paths.append(folder)
            }
        }
        for path in paths + keptPaths {
            var info = stat()
            guard lstat(path.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { continue }
            throw WorkspaceError(message: "\(path.path) is a symbolic link; InferLab keeps everything inside the workspace and follows no links there. Remove the link (move the real folder or file in its place if you need it), or choose another workspace with --workspace DIR")
        }
    }
}

public struct WorkspaceError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
