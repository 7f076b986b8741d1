import Foundation

/// The folder that holds everything a learner makes: buckets, the catalog, history, progress.
///
/// It is laid out for people as much as for the program: `buckets/<bucket>/<key>` are plain files
/// that open in any editor.
public struct Workspace: Sendable, Equatable {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
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
    /// - Throws: when the location cannot be created or is a file, with the path in the message.
    public func prepare() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw WorkspaceError(message: "the workspace \(root.path) is a file, not a folder; choose another with --workspace DIR")
        }
        do {
            for folder in [root, bucketsDirectory, stateDirectory] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
        } catch {
            throw WorkspaceError(message: "cannot create the workspace at \(root.path): \(error.localizedDescription); choose another with --workspace DIR")
        }
    }
}

public struct WorkspaceError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
