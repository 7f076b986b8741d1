#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A plain-text history file, one command per line, bounded in length.
///
/// libedit's own `write_history` format is vis(3)-escaped and not greppable, so we keep our own
/// file and append to it after every command: a crash loses nothing already typed.
public struct HistoryFile: Sendable {
    public let url: URL
    public let limit: Int

    public init(url: URL, limit: Int) {
        self.url = url
        self.limit = limit
    }

    /// The last `limit` entries, oldest first. Rewrites the file when it has grown past twice the
    /// limit, so it stays bounded without a rewrite on every command.
    public func load() -> [String] {
        guard let text = Self.readWithoutFollowing(url) else { return [] }
        let all = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let kept = Array(all.suffix(limit))
        if all.count > 2 * limit {
            try? (kept.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        return kept
    }

    /// Appends one entry. The file is opened without following a link: a history file replaced
    /// by a link to somewhere else takes no entry (the workspace refuses such a link at start).
    public func append(_ line: String) {
        try? FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    private static func readWithoutFollowing(_ url: URL) -> String? {
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        return (try? handle.readToEnd()).map { String(decoding: $0 ?? Data(), as: UTF8.self) }
    }
}
