import Foundation
import GRDB

/// A training job as the catalog keeps it.
public struct TrainingJobRecord: Sendable, Equatable {
    public var name: String
    public var arn: String
    /// TrainingJobStatus: InProgress, Completed, Failed, Stopping, Stopped.
    public var status: String
    /// SecondaryStatus: Starting, Downloading, Training, Uploading, Completed, Failed, Stopping,
    /// Stopped, MaxRuntimeExceeded.
    public var secondaryStatus: String
    public var failureReason: String?
    public var creationTime: Date
    /// TrainingStartTime: the instances are up and billed from here.
    public var startTime: Date?
    public var endTime: Date?
    public var lastModifiedTime: Date
    /// The CreateTrainingJob request as JSON.
    public var definition: Data
    public var transitions: [SecondaryStatusTransition]
    public var finalMetrics: [MetricData]?
    /// The process running the job; a job whose process is gone is taken up by the next
    /// long-lived one (as transform jobs are).
    public var ownerPID: Int32
    public var heartbeat: Date? = nil
    /// Seconds after TrainingStartTime when no instance ran (the owner had died): not billed.
    public var unbilledSeconds: Double = 0

    public var hasEnded: Bool { ["Completed", "Failed", "Stopped"].contains(status) }
}

extension Catalog {
    /// Inserts a job with its first transition (Starting). Returns false when the name is taken:
    /// training jobs cannot be deleted, so a name is never reused.
    public func insertTrainingJob(_ record: TrainingJobRecord, tags: [Tag] = []) throws -> Bool {
        try writer.write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM training_job WHERE name = ? COLLATE NOCASE", arguments: [record.name]) ?? false
            guard !exists else { return false }
            try db.execute(sql: """
                INSERT INTO training_job (name, arn, status, secondary_status, creation_time, last_modified, definition, transitions, owner_pid)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.name, record.arn, record.status, record.secondaryStatus, record.creationTime.timeIntervalSince1970,
                                 record.lastModifiedTime.timeIntervalSince1970, record.definition,
                                 try AWSCoding.encoder().encode(record.transitions), record.ownerPID])
            return try Self.addTags(tags, to: record.arn, limit: .max, in: db)
        }
    }

    public func trainingJob(named name: String) throws -> TrainingJobRecord? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM training_job WHERE name = ? COLLATE NOCASE", arguments: [name]).map(Self.trainingRecord)
        }
    }

    public func allTrainingJobs() throws -> [TrainingJobRecord] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM training_job ORDER BY creation_time, name").map(Self.trainingRecord) }
    }

    /// The job moves to another secondary status (the previous transition ends now). With
    /// `started`, TrainingStartTime is set too. Nothing changes once the job is stopping or ended.
    public func advanceTrainingJob(_ name: String, to secondary: String, message: String, at time: Date, started: Bool = false) throws {
        try writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, transitions FROM training_job WHERE name = ? COLLATE NOCASE", arguments: [name]),
                  (row["status"] as String) == "InProgress" else { return }
            let transitions = Self.appending(try Self.decodeTransitions(row["transitions"]), secondary, message, at: time)
            try db.execute(sql: """
                UPDATE training_job SET secondary_status = ?, transitions = ?, last_modified = ?, start_time = CASE WHEN ? THEN ? ELSE start_time END
                WHERE name = ? COLLATE NOCASE
                """, arguments: [secondary, try AWSCoding.encoder().encode(transitions), time.timeIntervalSince1970, started,
                                 time.timeIntervalSince1970, name])
        }
    }

    /// Ends a job that is InProgress or Stopping: its status, the secondary status it ends in
    /// (Completed, Failed, Stopped, MaxRuntimeExceeded) with AWS's message, the reason and the
    /// final metrics. Returns false when it had already ended.
    @discardableResult
    public func finishTrainingJob(_ name: String, status: String, secondary: String, message: String, failureReason: String?,
                                  metrics: [MetricData]?, at time: Date) throws -> Bool {
        try writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, transitions FROM training_job WHERE name = ? COLLATE NOCASE", arguments: [name]),
                  ["InProgress", "Stopping"].contains(row["status"] as String) else { return false }
            let transitions = Self.appending(try Self.decodeTransitions(row["transitions"]), secondary, message, at: time)
            try db.execute(sql: """
                UPDATE training_job SET status = ?, secondary_status = ?, failure_reason = ?, transitions = ?, metrics = ?,
                    end_time = ?, last_modified = ? WHERE name = ? COLLATE NOCASE
                """, arguments: [status, secondary, failureReason.map { String($0.prefix(1024)) }, try AWSCoding.encoder().encode(transitions),
                                 try metrics.map { try AWSCoding.encoder().encode($0) }, time.timeIntervalSince1970,
                                 time.timeIntervalSince1970, name])
            return true
        }
    }

    /// InProgress → Stopping (secondary status Stopping). Returns the status the job had, nil
    /// when there is no such job.
    public func requestTrainingJobStop(_ name: String, at time: Date) throws -> String? {
        try writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, transitions FROM training_job WHERE name = ? COLLATE NOCASE", arguments: [name]) else {
                return nil
            }
            let status: String = row["status"]
            if status == "InProgress" {
                let transitions = Self.appending(try Self.decodeTransitions(row["transitions"]), "Stopping", "Stopping the training job", at: time)
                try db.execute(sql: """
                    UPDATE training_job SET status = 'Stopping', secondary_status = 'Stopping', transitions = ?, last_modified = ?
                    WHERE name = ? COLLATE NOCASE
                    """, arguments: [try AWSCoding.encoder().encode(transitions), time.timeIntervalSince1970, name])
            }
            return status
        }
    }

    /// Takes over unfinished training jobs whose process has ended (see Catalog+JobOwnership).
    public func claimOrphanedTrainingJobs(for pid: Int32, isAlive: (Int32) -> Bool, at time: Date = Date()) throws -> [AdoptedJob] {
        try claimOrphanedJobs(in: .training, for: pid, isAlive: isAlive, at: time)
    }

    /// This process is alive and running these training jobs.
    public func recordTrainingHeartbeat(_ names: [String], pid: Int32, at time: Date) throws {
        try recordHeartbeat(in: .training, names, pid: pid, at: time)
    }

    private static func appending(_ transitions: [SecondaryStatusTransition], _ status: String, _ message: String,
                                  at time: Date) -> [SecondaryStatusTransition] {
        var transitions = transitions
        if let last = transitions.indices.last, transitions[last].endTime == nil { transitions[last].endTime = time }
        transitions.append(SecondaryStatusTransition(status: status, startTime: time, statusMessage: message))
        return transitions
    }

    private static func decodeTransitions(_ data: Data?) throws -> [SecondaryStatusTransition] {
        guard let data else { return [] }
        return try AWSCoding.decoder().decode([SecondaryStatusTransition].self, from: data)
    }

    private static func trainingRecord(_ row: Row) throws -> TrainingJobRecord {
        TrainingJobRecord(
            name: row["name"], arn: row["arn"], status: row["status"], secondaryStatus: row["secondary_status"],
            failureReason: row["failure_reason"], creationTime: Date(timeIntervalSince1970: row["creation_time"]),
            startTime: (row["start_time"] as Double?).map(Date.init(timeIntervalSince1970:)),
            endTime: (row["end_time"] as Double?).map(Date.init(timeIntervalSince1970:)),
            lastModifiedTime: Date(timeIntervalSince1970: row["last_modified"]), definition: row["definition"],
            transitions: try decodeTransitions(row["transitions"]),
            finalMetrics: try (row["metrics"] as Data?).map { try AWSCoding.decoder().decode([MetricData].self, from: $0) },
            ownerPID: row["owner_pid"], heartbeat: (row["heartbeat"] as Double?).map(Date.init(timeIntervalSince1970:)),
            unbilledSeconds: (row["unbilled_seconds"] as Double?) ?? 0)
    }
}
