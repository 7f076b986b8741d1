import Foundation
import GRDB

/// One InvokeEndpointAsync request in the durable queue.
public struct AsyncRequestRecord: Sendable, Equatable {
    public var id: Int64
    public var inferenceId: String
    public var endpoint: String
    public var inputLocation: String
    public var contentType: String?
    public var accept: String?
    public var outputLocation: String
    public var failureLocation: String
    public var enqueued: Date
    public var ttlSeconds: Int
    public var timeoutSeconds: Int
    /// queued → inflight → succeeded | failed
    public var state: String
}

/// The queue as the backlog metrics see it.
public struct QueueStatistics: Sendable, Equatable {
    public var queued: Int
    public var inflight: Int
    public var succeeded: Int
    public var failed: Int
    public var oldestWaiting: Date?

    public init(queued: Int, inflight: Int, succeeded: Int, failed: Int, oldestWaiting: Date?) {
        self.queued = queued
        self.inflight = inflight
        self.succeeded = succeeded
        self.failed = failed
        self.oldestWaiting = oldestWaiting
    }
}

extension Catalog {
    /// Accepts a request: once this returns, the request survives any crash.
    public func enqueue(_ request: AsyncRequestRecord) throws {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO async_request (inference_id, endpoint, input_location, content_type, accept, output_location,
                    failure_location, enqueued, ttl_seconds, timeout_seconds, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')
                """, arguments: [request.inferenceId, request.endpoint, request.inputLocation, request.contentType, request.accept,
                                 request.outputLocation, request.failureLocation, request.enqueued.timeIntervalSince1970,
                                 request.ttlSeconds, request.timeoutSeconds])
        }
    }

    /// Takes the oldest queued request of an endpoint for this process, atomically: two workers,
    /// in one process or two, never take the same request.
    public func claimNextRequest(endpoint: String, pid: Int32) throws -> AsyncRequestRecord? {
        try writer.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT * FROM async_request WHERE endpoint = ? COLLATE NOCASE AND state = 'queued' ORDER BY id LIMIT 1
                """, arguments: [endpoint]) else { return nil }
            try db.execute(sql: "UPDATE async_request SET state = 'inflight', lease_pid = ? WHERE id = ?", arguments: [pid, row["id"] as Int64])
            var record = Self.requestRecord(row)
            record.state = "inflight"
            return record
        }
    }

    /// Records how a request ended, in one transaction with what goes with it: the endpoint's
    /// last activity (idle time drives scale-in) and the notification, if the endpoint sends one.
    public func finishRequest(_ request: AsyncRequestRecord, succeeded: Bool, at time: Date,
                              notification: (topic: String, message: String)?) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE async_request SET state = ?, finished = ? WHERE id = ?",
                           arguments: [succeeded ? "succeeded" : "failed", time.timeIntervalSince1970, request.id])
            try db.execute(sql: "UPDATE endpoint SET last_activity = ? WHERE name = ? COLLATE NOCASE",
                           arguments: [time.timeIntervalSince1970, request.endpoint])
            if let notification {
                try db.execute(sql: "INSERT INTO notification (endpoint, topic, time, message) VALUES (?, ?, ?, ?)",
                               arguments: [request.endpoint, notification.topic, time.timeIntervalSince1970, notification.message])
            }
        }
    }

    /// Puts requests held by processes that have ended back in the queue. Returns how many, per
    /// endpoint, and which processes held them.
    @discardableResult
    public func requeueAbandonedRequests(isAlive: (Int32) -> Bool) throws -> [(endpoint: String, count: Int, pid: Int32)] {
        let held = "SELECT DISTINCT lease_pid FROM async_request WHERE state = 'inflight'"
        // Read first: a long-lived process scans often, and most scans find nothing to take.
        guard try writer.read({ db in try Int32.fetchAll(db, sql: held) }).contains(where: { !isAlive($0) }) else { return [] }
        return try writer.write { db in
            var requeued: [(endpoint: String, count: Int, pid: Int32)] = []
            for pid in try Int32.fetchAll(db, sql: held) where !isAlive(pid) {
                let counts = try Row.fetchAll(db, sql: """
                    SELECT endpoint, COUNT(*) AS n FROM async_request WHERE state = 'inflight' AND lease_pid = ? GROUP BY endpoint
                    """, arguments: [pid])
                try db.execute(sql: "UPDATE async_request SET state = 'queued', lease_pid = NULL WHERE state = 'inflight' AND lease_pid = ?",
                               arguments: [pid])
                requeued += counts.map { (endpoint: $0["endpoint"], count: $0["n"], pid: pid) }
            }
            return requeued
        }
    }

    public func queueStatistics(endpoint: String) throws -> QueueStatistics {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT state, COUNT(*) AS n, MIN(enqueued) AS oldest FROM async_request WHERE endpoint = ? COLLATE NOCASE GROUP BY state
                """, arguments: [endpoint])
            var stats = QueueStatistics(queued: 0, inflight: 0, succeeded: 0, failed: 0, oldestWaiting: nil)
            for row in rows {
                let count: Int = row["n"]
                switch row["state"] as String {
                case "queued": stats.queued = count
                case "inflight": stats.inflight = count
                case "succeeded": stats.succeeded = count
                default: stats.failed = count
                }
                if ["queued", "inflight"].contains(row["state"] as String), let oldest = row["oldest"] as Double? {
                    let date = Date(timeIntervalSince1970: oldest)
                    stats.oldestWaiting = min(stats.oldestWaiting ?? date, date)
                }
            }
            return stats
        }
    }

    public func asyncRequest(inferenceId: String, endpoint: String) throws -> AsyncRequestRecord? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM async_request WHERE inference_id = ? AND endpoint = ? COLLATE NOCASE ORDER BY id DESC LIMIT 1",
                             arguments: [inferenceId, endpoint]).map(Self.requestRecord)
        }
    }

    // MARK: Notifications (what SNS would deliver)

    public func notifications(endpoint: String?) throws -> [(topic: String, time: Date, message: String)] {
        try writer.read { db in
            let rows = try endpoint.map {
                try Row.fetchAll(db, sql: "SELECT * FROM notification WHERE endpoint = ? COLLATE NOCASE ORDER BY id", arguments: [$0])
            } ?? Row.fetchAll(db, sql: "SELECT * FROM notification ORDER BY id")
            return rows.map { (topic: $0["topic"], time: Date(timeIntervalSince1970: $0["time"]), message: $0["message"]) }
        }
    }

    private static func requestRecord(_ row: Row) -> AsyncRequestRecord {
        AsyncRequestRecord(
            id: row["id"], inferenceId: row["inference_id"], endpoint: row["endpoint"], inputLocation: row["input_location"],
            contentType: row["content_type"], accept: row["accept"], outputLocation: row["output_location"],
            failureLocation: row["failure_location"], enqueued: Date(timeIntervalSince1970: row["enqueued"]),
            ttlSeconds: row["ttl_seconds"], timeoutSeconds: row["timeout_seconds"], state: row["state"])
    }
}

extension Catalog {
    // MARK: Application Auto Scaling

    public func putScalableTarget(_ target: ScalableTarget) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO scalable_target (resource_id, definition) VALUES (?, ?)",
                           arguments: [target.resourceId, try JSONEncoder().encode(target)])
        }
    }

    public func scalableTarget(resourceId: String) throws -> ScalableTarget? {
        try writer.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM scalable_target WHERE resource_id = ?", arguments: [resourceId])
                .map { try JSONDecoder().decode(ScalableTarget.self, from: $0) }
        }
    }

    public func allScalableTargets() throws -> [ScalableTarget] {
        try writer.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM scalable_target ORDER BY resource_id").map { try JSONDecoder().decode(ScalableTarget.self, from: $0) }
        }
    }

    public func deleteScalableTarget(resourceId: String) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM scalable_target WHERE resource_id = ?", arguments: [resourceId])
            return db.changesCount > 0
        }
    }
}

extension Catalog {
    /// Seconds from acceptance to answer for an endpoint's finished requests, oldest first.
    public func asyncLatencies(endpoint: String) throws -> [Double] {
        try writer.read { db in
            try Double.fetchAll(db, sql: """
                SELECT finished - enqueued FROM async_request
                WHERE endpoint = ? COLLATE NOCASE AND finished IS NOT NULL ORDER BY id
                """, arguments: [endpoint])
        }
    }
}
