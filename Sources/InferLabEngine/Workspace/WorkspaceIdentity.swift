import Foundation

/// A random id made once per workspace and kept in its kit state folder, so that an instructor
/// can tell two bundles made in one workspace apart from bundles made in two.
///
/// It is not a secret and proves nothing on its own: copying the workspace copies the id (which
/// is the point), and deleting the file makes a new one.
public enum WorkspaceIdentity {
    /// `.inferlab/workspace-id` in the workspace.
    public static func file(in workspace: Workspace) -> URL { workspace.stateDirectory.appendingPathComponent("workspace-id") }

    /// The workspace's id, made and saved on first use.
    /// - Throws: when the id cannot be saved, with the path in the message.
    public static func id(of workspace: Workspace) throws -> String {
        let url = file(in: workspace)
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if isWellFormed(id) { return id }
        }
        let id = UUID().uuidString.lowercased()
        do {
            try FileManager.default.createDirectory(at: workspace.stateDirectory, withIntermediateDirectories: true)
            try Data((id + "\n").utf8).write(to: url, options: .atomic)
        } catch {
            throw WorkspaceError(message: "cannot save the workspace id in \(url.path): \(error.localizedDescription); check that the workspace is writable")
        }
        return id
    }

    /// A lowercase UUID, as `id(of:)` makes them.
    public static func isWellFormed(_ id: String) -> Bool {
        id.count == 36 && UUID(uuidString: id) != nil && id == id.lowercased()
    }
}
