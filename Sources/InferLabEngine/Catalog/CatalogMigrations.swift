import GRDB

extension Catalog {
    /// The schema's history. A migration that has shipped is never edited: add a new one.
    /// Table and column names are strings, never app types, so old migrations keep meaning the same.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-event-log") { db in
            try db.create(table: "event") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("time", .double).notNull()
                table.column("kind", .text).notNull()
                table.column("subject", .text).notNull()
                table.column("detail", .text).notNull().defaults(to: "")
            }
        }
        return migrator
    }
}
