import Foundation
import GRDB

/// A transform job as the catalog keeps it.
public struct TransformJobRecord: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var status: String
    public var failureReason: String?
    public var creationTime: Date
    public var startTime: Date?
    public var endTime: Date?
    public var lastModifiedTime: Date
    /// The CreateTransformJob request as JSON.
    public var definition: Data
    /// `InferLabTransformProgress` as JSON, once the job has started.
    public var progress: Data?
    /// The process running the job: a job whose process is gone is resumed by the next
    /// long-lived one.
    public var ownerPID: Int32
    /// When the owner last showed it was alive (every quarter second while the job runs).
    public var heartbeat: Date? = nil
    /// Time between TransformStartTime and TransformEndTime when no instance ran (its process had
    /// died and nobody had adopted the job yet): not billed.
    public var unbilledSeconds: Double = 0
}

extension Catalog {
    /// Inserts a job. Returns false when the name is taken (job names are never reused).
    public func insertTransformJob(_ record: TransformJobRecord, tags: [Tag] = []) throws -> Bool {
        try writer.write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM transform_job WHERE name = ? COLLATE NOCASE", arguments: [record.name]) ?? false
            guard !exists else { return false }
            try db.execute(sql: """
                INSERT INTO transform_job (name, arn, status, creation_time, last_modified, definition, owner_pid)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.name, record.arn, record.status, record.creationTime.timeIntervalSince1970,
                                 record.lastModifiedTime.timeIntervalSince1970, record.definition, record.ownerPID])
            return try Self.addTags(tags, to: record.arn, limit: .max, in: db)
        }
    }

    public func transformJob(named name: String) throws -> TransformJobRecord? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM transform_job WHERE name = ? COLLATE NOCASE", arguments: [name]).map(Self.jobRecord)
        }
    }

    public func allTransformJobs() throws -> [TransformJobRecord] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM transform_job ORDER BY creation_time, name").map(Self.jobRecord) }
    }

    /// Instances are up: billing starts now.
    public func markTransformJobStarted(_ name: String, at time: Date) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE transform_job SET start_time = ?, last_modified = ? WHERE name = ?",
                           arguments: [time.timeIntervalSince1970, time.timeIntervalSince1970, name])
        }
    }

    public func updateTransformJobProgress(_ name: String, progress: Data) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE transform_job SET progress = ? WHERE name = ?", arguments: [progress, name])
        }
    }

    /// Ends a job: Completed, Failed (with a reason) or Stopped.
    public func finishTransformJob(_ name: String, status: String, failureReason: String?, at time: Date) throws {
        try writer.write { db in
            try db.execute(sql: """
                UPDATE transform_job SET status = ?, failure_reason = ?, end_time = ?, last_modified = ? WHERE name = ?
                """, arguments: [status, failureReason, time.timeIntervalSince1970, time.timeIntervalSince1970, name])
        }
    }

    /// InProgress → Stopping. Returns the status the job had.
    public func requestTransformJobStop(_ name: String, at time: Date) throws -> String? {
        try writer.write { db in
            guard let status = try String.fetchOne(db, sql: "SELECT status FROM transform_job WHERE name = ? COLLATE NOCASE", arguments: [name]) else {
                return nil
            }
            if status == "InProgress" {
                try db.execute(sql: "UPDATE transform_job SET status = 'Stopping', last_modified = ? WHERE name = ? COLLATE NOCASE",
                               arguments: [time.timeIntervalSince1970, name])
            }
            return status
        }
    }

    /// Takes over unfinished jobs whose process has ended, so this process runs them (see
    /// Catalog+JobOwnership).
    public func claimOrphanedTransformJobs(for pid: Int32, isAlive: (Int32) -> Bool, at time: Date = Date()) throws -> [AdoptedJob] {
        try claimOrphanedJobs(in: .transform, for: pid, isAlive: isAlive, at: time)
    }

    /// This process is alive and running these jobs.
    public func recordTransformHeartbeat(_ names: [String], pid: Int32, at time: Date) throws {
        try recordHeartbeat(in: .transform, names, pid: pid, at: time)
    }

    // MARK: Logs (CloudWatch-style streams)

    public func appendLog(group: String, stream: String, message: String, at time: Date) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO log_event (log_group, stream, time, message) VALUES (?, ?, ?, ?)",
                           arguments: [group, stream, time.timeIntervalSince1970, message])
        }
    }

    public func logEvents(group: String, streamPrefix: String) throws -> [LogEvent] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM log_event WHERE log_group = ? AND stream LIKE ? ESCAPE '\\' ORDER BY id",
                             arguments: [group, Self.likePrefix(streamPrefix)]).map { row in
                LogEvent(stream: row["stream"], time: Date(timeIntervalSince1970: row["time"]), message: row["message"])
            }
        }
    }

    /// The log groups events were written to, by name: when the first was written, how many bytes.
    public func logGroups() throws -> [(name: String, created: Date, storedBytes: Int64)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT log_group, MIN(time) AS created, SUM(LENGTH(CAST(message AS BLOB))) AS bytes FROM log_event GROUP BY log_group ORDER BY log_group")
                .map { row in (row["log_group"], Date(timeIntervalSince1970: row["created"]), row["bytes"] ?? 0) }
        }
    }

    static func likePrefix(_ prefix: String) -> String {
        prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    private static func jobRecord(_ row: Row) -> TransformJobRecord {
        TransformJobRecord(
            name: row["name"], arn: row["arn"], status: row["status"], failureReason: row["failure_reason"],
            creationTime: Date(timeIntervalSince1970: row["creation_time"]),
            startTime: (row["start_time"] as Double?).map(Date.init(timeIntervalSince1970:)),
            endTime: (row["end_time"] as Double?).map(Date.init(timeIntervalSince1970:)),
            lastModifiedTime: Date(timeIntervalSince1970: row["last_modified"]),
            definition: row["definition"], progress: row["progress"], ownerPID: row["owner_pid"],
            heartbeat: (row["heartbeat"] as Double?).map(Date.init(timeIntervalSince1970:)),
            unbilledSeconds: (row["unbilled_seconds"] as Double?) ?? 0)
    }
}

public struct LogEvent: Sendable, Equatable {
    public var stream: String
    public var time: Date
    public var message: String
}
