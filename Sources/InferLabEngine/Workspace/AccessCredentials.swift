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
    /// file is created exclusively, and the loser reads the winner's.
    public static func of(_ workspace: Workspace) throws -> AccessCredentials {
        let file = workspace.stateDirectory.appendingPathComponent("credentials.json")
        if let existing = read(file) { return existing }
        try FileManager.default.createDirectory(at: workspace.stateDirectory, withIntermediateDirectories: true)
        let made = generate()
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST {
                // Another process is writing it: a few milliseconds at most.
                for _ in 0..<100 {
                    if let existing = read(file) { return existing }
                    usleep(10_000)
                }
            }
            throw WorkspaceError(message: "cannot create \(file.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let data = try JSONEncoder().encode(made)
        guard data.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == data.count, fsync(descriptor) == 0 else {
            unlink(file.path)
            throw WorkspaceError(message: "cannot write \(file.path): \(String(cString: strerror(errno)))")
        }
        return made
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
