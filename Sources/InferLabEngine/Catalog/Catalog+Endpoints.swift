import Foundation
import GRDB

public struct EndpointConfigRecord: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var creationTime: Date
    /// The CreateEndpointConfig request as JSON.
    public var definition: Data
}

public struct EndpointRecord: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var configName: String
    /// The config it runs, kept with it: a config may be deleted while an endpoint uses it.
    public var configDefinition: Data
    public var status: String
    public var failureReason: String?
    public var creationTime: Date
    public var lastModifiedTime: Date
    /// Instances running per variant (an async endpoint may scale to 0).
    public var instanceCounts: [String: Int]
    /// When a request last arrived or finished: idle time drives scale-in.
    public var lastActivity: Date
    public var ownerPID: Int32
}

extension Catalog {
    // MARK: Endpoint configs

    public func insertEndpointConfig(_ record: EndpointConfigRecord, tags: [Tag] = []) throws -> Bool {
        try writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM endpoint_config WHERE name = ? COLLATE NOCASE", arguments: [record.name]) ?? false {
                return false
            }
            try db.execute(sql: "INSERT INTO endpoint_config (name, arn, creation_time, definition) VALUES (?, ?, ?, ?)",
                           arguments: [record.name, record.arn, record.creationTime.timeIntervalSince1970, record.definition])
            return try Self.addTags(tags, to: record.arn, limit: .max, in: db)
        }
    }

    public func endpointConfig(named name: String) throws -> EndpointConfigRecord? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM endpoint_config WHERE name = ? COLLATE NOCASE", arguments: [name]).map(Self.configRecord)
        }
    }

    public func allEndpointConfigs() throws -> [EndpointConfigRecord] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM endpoint_config ORDER BY creation_time, name").map(Self.configRecord) }
    }

    public func deleteEndpointConfig(named name: String) throws -> Bool {
        try writer.write { db in
            guard let arn = try String.fetchOne(db, sql: "SELECT arn FROM endpoint_config WHERE name = ? COLLATE NOCASE", arguments: [name]) else {
                return false
            }
            try db.execute(sql: "DELETE FROM endpoint_config WHERE name = ? COLLATE NOCASE", arguments: [name])
            try Self.dropTags(of: arn, in: db)
            return true
        }
    }

    // MARK: Endpoints

    public func insertEndpoint(_ record: EndpointRecord, tags: [Tag] = []) throws -> Bool {
        try writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM endpoint WHERE name = ? COLLATE NOCASE", arguments: [record.name]) ?? false {
                return false
            }
            try db.execute(sql: """
                INSERT INTO endpoint (name, arn, config_name, config_definition, status, creation_time, last_modified, instance_counts,
                    last_activity, owner_pid)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.name, record.arn, record.configName, record.configDefinition, record.status, record.creationTime.timeIntervalSince1970,
                                 record.lastModifiedTime.timeIntervalSince1970, try JSONEncoder().encode(record.instanceCounts),
                                 record.lastActivity.timeIntervalSince1970, record.ownerPID])
            return try Self.addTags(tags, to: record.arn, limit: .max, in: db)
        }
    }

    public func endpoint(named name: String) throws -> EndpointRecord? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM endpoint WHERE name = ? COLLATE NOCASE", arguments: [name]).map(Self.endpointRecord)
        }
    }

    public func allEndpoints() throws -> [EndpointRecord] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM endpoint ORDER BY creation_time, name").map(Self.endpointRecord) }
    }

    /// Sets an endpoint's status (and, when given, its config and instances) in one transaction.
    public func updateEndpoint(_ name: String, status: String, failureReason: String? = nil, config: (name: String, definition: Data)? = nil,
                               instanceCounts: [String: Int]? = nil, ownerPID: Int32? = nil, at time: Date) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE endpoint SET status = ?, failure_reason = ?, last_modified = ? WHERE name = ? COLLATE NOCASE",
                           arguments: [status, failureReason, time.timeIntervalSince1970, name])
            if let config {
                try db.execute(sql: "UPDATE endpoint SET config_name = ?, config_definition = ? WHERE name = ? COLLATE NOCASE",
                               arguments: [config.name, config.definition, name])
            }
            if let instanceCounts {
                try db.execute(sql: "UPDATE endpoint SET instance_counts = ? WHERE name = ? COLLATE NOCASE",
                               arguments: [try JSONEncoder().encode(instanceCounts), name])
            }
            if let ownerPID {
                try db.execute(sql: "UPDATE endpoint SET owner_pid = ? WHERE name = ? COLLATE NOCASE", arguments: [ownerPID, name])
            }
        }
    }

    /// Scaling changes instances without changing the status.
    public func setEndpointInstances(_ name: String, counts: [String: Int]) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE endpoint SET instance_counts = ? WHERE name = ? COLLATE NOCASE",
                           arguments: [try JSONEncoder().encode(counts), name])
        }
    }

    /// Sets a variant's instance count only if it is still `from`, in one transaction: when two
    /// scalers decide at once (a pool being restarted, two processes), one change happens and one
    /// is logged. Answers whether this call changed it.
    public func changeEndpointInstances(_ name: String, variant: String, from: Int, to: Int) throws -> Bool {
        try writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT instance_counts FROM endpoint WHERE name = ? COLLATE NOCASE", arguments: [name]) else {
                return false
            }
            var counts = (try? JSONDecoder().decode([String: Int].self, from: row["instance_counts"] as Data)) ?? [:]
            guard (counts[variant] ?? 0) == from else { return false }
            counts[variant] = to
            try db.execute(sql: "UPDATE endpoint SET instance_counts = ? WHERE name = ? COLLATE NOCASE",
                           arguments: [try JSONEncoder().encode(counts), name])
            return true
        }
    }

    public func touchEndpoint(_ name: String, at time: Date) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE endpoint SET last_activity = ? WHERE name = ? COLLATE NOCASE", arguments: [time.timeIntervalSince1970, name])
        }
    }

    /// Removes an endpoint, its queue and its tags.
    public func deleteEndpoint(named name: String) throws {
        try writer.write { db in
            if let arn = try String.fetchOne(db, sql: "SELECT arn FROM endpoint WHERE name = ? COLLATE NOCASE", arguments: [name]) {
                try Self.dropTags(of: arn, in: db)
            }
            try db.execute(sql: "DELETE FROM endpoint WHERE name = ? COLLATE NOCASE", arguments: [name])
            try db.execute(sql: "DELETE FROM async_request WHERE endpoint = ? COLLATE NOCASE AND state IN ('queued', 'inflight')", arguments: [name])
        }
    }

    /// Endpoints mid-change whose process ended, taken over by this one.
    public func claimOrphanedEndpoints(for pid: Int32, isAlive: (Int32) -> Bool) throws -> [String] {
        let changing = "SELECT name, owner_pid FROM endpoint WHERE status IN ('Creating', 'Updating', 'Deleting')"
        // Read first: a long-lived process scans often, and most scans find nothing to take.
        guard try writer.read({ db in try Row.fetchAll(db, sql: changing) }).contains(where: { !isAlive($0["owner_pid"]) }) else { return [] }
        return try writer.write { db in
            let rows = try Row.fetchAll(db, sql: changing)
            var claimed: [String] = []
            for row in rows where !isAlive(row["owner_pid"]) {
                let name: String = row["name"]
                try db.execute(sql: "UPDATE endpoint SET owner_pid = ? WHERE name = ?", arguments: [pid, name])
                claimed.append(name)
            }
            return claimed
        }
    }

    private static func configRecord(_ row: Row) -> EndpointConfigRecord {
        EndpointConfigRecord(name: row["name"], arn: row["arn"], creationTime: Date(timeIntervalSince1970: row["creation_time"]),
                             definition: row["definition"])
    }

    private static func endpointRecord(_ row: Row) -> EndpointRecord {
        let counts = (try? JSONDecoder().decode([String: Int].self, from: row["instance_counts"] as Data)) ?? [:]
        return EndpointRecord(
            name: row["name"], arn: row["arn"], configName: row["config_name"], configDefinition: row["config_definition"], status: row["status"],
            failureReason: row["failure_reason"], creationTime: Date(timeIntervalSince1970: row["creation_time"]),
            lastModifiedTime: Date(timeIntervalSince1970: row["last_modified"]), instanceCounts: counts,
            lastActivity: Date(timeIntervalSince1970: row["last_activity"]), ownerPID: row["owner_pid"])
    }
}
