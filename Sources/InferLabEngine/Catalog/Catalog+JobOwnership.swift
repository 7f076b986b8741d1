import Foundation
import GRDB

/// A job taken over from a dead process.
public struct AdoptedJob: Sendable, Equatable {
    public var name: String
    public var previousOwner: Int32
    /// The dead time this adoption added to the job's unbilled seconds.
    public var lostSeconds: Double
}

/// Who runs a background job. A transform or training job runs in the process that created it,
/// whose pid is the row's `owner_pid` and which beats a `heartbeat` while it works; when that
/// process is gone, the next long-lived one claims the job and runs it again, and the time since
/// the last sign of life is added to the job's `unbilled_seconds`. The two tables keep the same
/// columns for this, so one piece of code serves both.
extension Catalog {
    enum JobTable: String {
        case transform = "transform_job"
        case training = "training_job"
    }

    func claimOrphanedJobs(in table: JobTable, for pid: Int32, isAlive: (Int32) -> Bool, at time: Date) throws -> [AdoptedJob] {
        let unfinished = "SELECT name, owner_pid, start_time, heartbeat, last_modified FROM \(table.rawValue) WHERE status IN ('InProgress', 'Stopping')"
        // Read first: a long-lived process scans often, and most scans find nothing to take.
        let candidates = try writer.read { db in
            try Row.fetchAll(db, sql: unfinished).filter { row in
                let owner: Int32 = row["owner_pid"]
                return owner != pid && !isAlive(owner)
            }
        }
        guard !candidates.isEmpty else { return [] }
        return try writer.write { db in
            var claimed: [AdoptedJob] = []
            for row in try Row.fetchAll(db, sql: unfinished) {
                let owner: Int32 = row["owner_pid"]
                let name: String = row["name"]
                guard owner != pid, !isAlive(owner) else { continue }
                var lost = 0.0
                if let start = row["start_time"] as Double? {
                    let lastAlive = max(start, (row["heartbeat"] as Double?) ?? (row["last_modified"] as Double))
                    lost = max(0, time.timeIntervalSince1970 - lastAlive)
                }
                try db.execute(sql: """
                    UPDATE \(table.rawValue) SET owner_pid = ?, heartbeat = ?, unbilled_seconds = unbilled_seconds + ? WHERE name = ?
                    """, arguments: [pid, time.timeIntervalSince1970, lost, name])
                claimed.append(AdoptedJob(name: name, previousOwner: owner, lostSeconds: lost))
            }
            return claimed
        }
    }

    func recordHeartbeat(in table: JobTable, _ names: [String], pid: Int32, at time: Date) throws {
        guard !names.isEmpty else { return }
        try writer.write { db in
            for name in names {
                try db.execute(sql: "UPDATE \(table.rawValue) SET heartbeat = ? WHERE name = ? AND owner_pid = ?",
                               arguments: [time.timeIntervalSince1970, name, pid])
            }
        }
    }
}
