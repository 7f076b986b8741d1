import Foundation
import GRDB

/// A model as the catalog keeps it: the request that created it, verbatim.
public struct ModelRecord: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var creationTime: Date
    /// The CreateModel request as JSON (epoch-second dates).
    public var definition: Data
}

extension Catalog {
    /// Inserts a model and its tags. Returns false when a model of that name (in any letter case) exists.
    public func insertModel(_ record: ModelRecord, tags: [Tag] = []) throws -> Bool {
        try writer.write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM model WHERE name = ? COLLATE NOCASE", arguments: [record.name]) ?? false
            guard !exists else { return false }
            try db.execute(sql: "INSERT INTO model (name, arn, creation_time, definition) VALUES (?, ?, ?, ?)",
                           arguments: [record.name, record.arn, record.creationTime.timeIntervalSince1970, record.definition])
            return try Self.addTags(tags, to: record.arn, limit: .max, in: db)
        }
    }

    public func model(named name: String) throws -> ModelRecord? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM model WHERE name = ? COLLATE NOCASE", arguments: [name]).map(Self.modelRecord)
        }
    }

    public func allModels() throws -> [ModelRecord] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM model ORDER BY creation_time, name").map(Self.modelRecord) }
    }

    /// Deletes a model. Returns false when there was none.
    public func deleteModel(named name: String) throws -> Bool {
        try writer.write { db in
            guard let arn = try String.fetchOne(db, sql: "SELECT arn FROM model WHERE name = ? COLLATE NOCASE", arguments: [name]) else {
                return false
            }
            try db.execute(sql: "DELETE FROM model WHERE name = ? COLLATE NOCASE", arguments: [name])
            try Self.dropTags(of: arn, in: db)
            return true
        }
    }

    private static func modelRecord(_ row: Row) -> ModelRecord {
        ModelRecord(name: row["name"], arn: row["arn"], creationTime: Date(timeIntervalSince1970: row["creation_time"]),
                    definition: row["definition"])
    }
}
