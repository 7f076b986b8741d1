#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The workspace's own access key, which its local AWS endpoint checks signatures against. Made at
/// random the first time it is asked for and kept in `.inferlab/credentials.json` (mode 0600), so
/// every process on the workspace, and `inferlab env`, agree on it.
public struct AccessCredentials: Sendable, Equatable, Codable {
    public var accessKeyId: String
    public var secretAccessKey: String

    public init(accessKeyId: String, secretAccessKey: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
    }

    /// The workspace's credentials, made on first use. Two processes asking at once agree: the
    /// file is written whole under a temporary name and linked into place, which fails if another
    /// process linked its own first (then that one is read). No reader sees a half-written file.
    public static func of(_ workspace: Workspace) throws -> AccessCredentials {
        let file = workspace.stateDirectory.appendingPathComponent("credentials.json")
        if let existing = read(file) { return existing }
        try FileManager.default.createDirectory(at: workspace.stateDirectory, withIntermediateDirectories: true)
        let made = generate()
        let temporary = workspace.stateDirectory.appendingPathComponent("credentials-\(getpid())-\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw WorkspaceError(message: "cannot create \(temporary.path): \(String(cString: strerror(errno)))")
        }
        defer { unlink(temporary.path) }
        let data = try JSONEncoder().encode(made)
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == data.count, synced == 0 else {
            throw WorkspaceError(message: "cannot write \(temporary.path): \(String(cString: strerror(errno)))")
        }
        if link(temporary.path, file.path) == 0 { return made }
        let code = errno
        if code == EEXIST, let existing = read(file) { return existing }
        throw WorkspaceError(message: "cannot keep the workspace's credentials in \(file.path): \(String(cString: strerror(code))); remove the file if it is damaged")
    }

    /// AWS's shapes: a 20-character key id starting `AKIA`, a 40-character secret.
    static func generate() -> AccessCredentials {
        var generator = SystemRandomNumberGenerator()
        let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let id = "AKIA" + String((0..<16).map { _ in upper.randomElement(using: &generator)! })
        let secret = String((0..<40).map { _ in secretAlphabet.randomElement(using: &generator)! })
        return AccessCredentials(accessKeyId: id, secretAccessKey: secret)
    }

    private static func read(_ file: URL) -> AccessCredentials? {
        let descriptor = open(file.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        guard let data = try? handle.read(upToCount: 4096) else { return nil }
        return try? JSONDecoder().decode(AccessCredentials.self, from: data)
    }
}
