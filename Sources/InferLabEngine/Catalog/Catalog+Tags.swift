import Foundation
import GRDB

extension Catalog {
    /// A resource's tags, oldest key first.
    public func tags(of arn: String) throws -> [Tag] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM resource_tag WHERE arn = ? ORDER BY rowid", arguments: [arn])
                .map { Tag(key: $0["key"], value: $0["value"]) }
        }
    }

    /// Adds tags to a resource, replacing the values of keys it has. Returns false, changing
    /// nothing, when the resource would then have more than `limit` tags.
    public func addTags(_ tags: [Tag], to arn: String, limit: Int) throws -> Bool {
        try writer.write { db in
            try Self.addTags(tags, to: arn, limit: limit, in: db)
        }
    }

    /// Removes the tags of these keys; keys the resource does not have are passed over, as AWS does.
    public func deleteTags(keys: [String], of arn: String) throws {
        try writer.write { db in
            for key in keys {
                try db.execute(sql: "DELETE FROM resource_tag WHERE arn = ? AND key = ?", arguments: [arn, key])
            }
        }
    }

    /// Within a resource's own insert or delete, so tags come and go with it.
    static func addTags(_ tags: [Tag], to arn: String, limit: Int, in db: Database) throws -> Bool {
        let existing = Set(try String.fetchAll(db, sql: "SELECT key FROM resource_tag WHERE arn = ?", arguments: [arn]))
        guard existing.union(tags.map(\.key)).count <= limit else { return false }
        for tag in tags {
            try db.execute(sql: """
                INSERT INTO resource_tag (arn, key, value) VALUES (?, ?, ?)
                ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value
                """, arguments: [arn, tag.key, tag.value])
        }
        return true
    }

    static func dropTags(of arn: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM resource_tag WHERE arn = ?", arguments: [arn])
    }
}
