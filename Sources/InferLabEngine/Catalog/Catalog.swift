import Foundation
import GRDB

/// The workspace's catalog: one SQLite database (WAL) behind one façade with named writes.
///
/// Every write is a transaction that keeps the catalog's invariants; two `inferlab` processes on
/// one workspace share it safely (WAL plus a busy timeout: a writer waits rather than fails).
/// This is the only type that touches GRDB; records stay internal.
public final class Catalog: Sendable {
    let writer: any DatabaseWriter

    /// Opens (or creates) the catalog file and brings its schema up to date.
    public init(path: URL) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "catalog"
        // WAL with synchronous=NORMAL: a commit survives the process crashing or being killed
        // (the WAL is in the OS's hands); only a power cut could lose the last commits. FULL
        // would fsync every accepted request and cap the queue at about a thousand a second.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            writer = try DatabasePool(path: path.path, configuration: configuration)
            try Self.migrator.migrate(writer)
        } catch {
            throw CatalogError(message: "cannot open the catalog \(path.lastPathComponent): \(ErrorSentence.of(error))")
        }
    }

    /// An empty catalog in memory, for tests.
    public init() throws {
        writer = try DatabaseQueue()
        try Self.migrator.migrate(writer)
    }

    // MARK: Event log

    /// Appends an event (a command run, a job's state change) to the log.
    public func logEvent(kind: String, subject: String, detail: String = "") throws {
        try logEvent(kind: kind, subject: subject, detail: detail, time: Date())
    }

    /// An event carried over from an older log, with its own time (`lab reset --step`).
    public func logEvent(kind: String, subject: String, detail: String, time: Date) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO event (time, kind, subject, detail) VALUES (?, ?, ?, ?)",
                           arguments: [time.timeIntervalSince1970, kind, subject, detail])
        }
    }

    /// The latest events, oldest first.
    public func recentEvents(limit: Int = 100) throws -> [CatalogEvent] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM event ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [limit])
                .map { row in
                    CatalogEvent(id: row["id"], time: Date(timeIntervalSince1970: row["time"]), kind: row["kind"],
                                 subject: row["subject"], detail: row["detail"])
                }
        }
    }
}

public struct CatalogEvent: Sendable, Equatable {
    public var id: Int64
    public var time: Date
    public var kind: String
    public var subject: String
    public var detail: String
}

public struct CatalogError: Error, Sendable, CustomStringConvertible, LearnerFacingError {
    public let message: String
    public var description: String { message }
    public var renderedMessage: String { "error: \(message)" }
    public var hint: String? { "if the workspace was damaged, move it aside and start a new one with --workspace DIR" }
    public var exitCode: Int32 { 253 }
}
