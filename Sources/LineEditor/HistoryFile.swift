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
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let all = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let kept = Array(all.suffix(limit))
        if all.count > 2 * limit {
            try? (kept.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        return kept
    }

    /// Appends one entry.
    public func append(_ line: String) {
        try? FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard let data = (line + "\n").data(using: .utf8) else { return }
        if let handle = try? FileHandle(forWritingTo: url) {
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: data)
        } else {
            try? data.write(to: url)
        }
    }
}
