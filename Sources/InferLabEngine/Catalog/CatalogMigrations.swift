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
        migrator.registerMigration("v2-models") { db in
            try db.create(table: "model") { table in
                table.primaryKey("name", .text).collate(.nocase)
                table.column("arn", .text).notNull()
                table.column("creation_time", .double).notNull()
                table.column("definition", .blob).notNull()
            }
        }
        migrator.registerMigration("v3-transform-jobs") { db in
            try db.create(table: "transform_job") { table in
                table.primaryKey("name", .text).collate(.nocase)
                table.column("arn", .text).notNull()
                table.column("status", .text).notNull()
                table.column("failure_reason", .text)
                table.column("creation_time", .double).notNull()
                table.column("start_time", .double)
                table.column("end_time", .double)
                table.column("last_modified", .double).notNull()
                table.column("definition", .blob).notNull()
                table.column("progress", .blob)
                table.column("owner_pid", .integer).notNull()
            }
            try db.create(table: "log_event") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("log_group", .text).notNull()
                table.column("stream", .text).notNull()
                table.column("time", .double).notNull()
                table.column("message", .text).notNull()
            }
            try db.create(index: "log_event_stream", on: "log_event", columns: ["log_group", "stream"])
        }
        migrator.registerMigration("v4-endpoints") { db in
            try db.create(table: "endpoint_config") { table in
                table.primaryKey("name", .text).collate(.nocase)
                table.column("arn", .text).notNull()
                table.column("creation_time", .double).notNull()
                table.column("definition", .blob).notNull()
            }
            try db.create(table: "endpoint") { table in
                table.primaryKey("name", .text).collate(.nocase)
                table.column("arn", .text).notNull()
                table.column("config_name", .text).notNull()
                table.column("config_definition", .blob).notNull()
                table.column("status", .text).notNull()
                table.column("failure_reason", .text)
                table.column("creation_time", .double).notNull()
                table.column("last_modified", .double).notNull()
                table.column("instance_counts", .blob).notNull()
                table.column("last_activity", .double).notNull()
                table.column("owner_pid", .integer).notNull()
            }
            try db.create(table: "async_request") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("inference_id", .text).notNull()
                table.column("endpoint", .text).notNull()
                table.column("input_location", .text).notNull()
                table.column("content_type", .text)
                table.column("accept", .text)
                table.column("output_location", .text).notNull()
                table.column("failure_location", .text).notNull()
                table.column("enqueued", .double).notNull()
                table.column("ttl_seconds", .integer).notNull()
                table.column("timeout_seconds", .integer).notNull()
                table.column("state", .text).notNull()
                table.column("lease_pid", .integer)
                table.column("finished", .double)
            }
            try db.create(index: "async_request_queue", on: "async_request", columns: ["endpoint", "state", "id"])
            try db.create(table: "notification") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("endpoint", .text).notNull()
                table.column("topic", .text).notNull()
                table.column("time", .double).notNull()
                table.column("message", .text).notNull()
            }
            try db.create(table: "scalable_target") { table in
                table.primaryKey("resource_id", .text)
                table.column("definition", .blob).notNull()
            }
        }
        migrator.registerMigration("v5-queue-index-nocase") { db in
            // The queue is looked up by endpoint name without regard to case (`= ? COLLATE
            // NOCASE`), which v4's index (binary collation) cannot serve: every claim scanned
            // the whole table, finished requests included, and slowed as the table grew.
            try db.execute(sql: "DROP INDEX async_request_queue")
            try db.execute(sql: "CREATE INDEX async_request_queue_nocase ON async_request (endpoint COLLATE NOCASE, state, id)")
        }
        migrator.registerMigration("v6-transform-heartbeat") { db in
            // A running job's process touches `heartbeat`; when the process dies, the time from
            // its last heartbeat to the job's adoption had no instance running and is not billed.
            try db.execute(sql: "ALTER TABLE transform_job ADD COLUMN heartbeat DOUBLE")
            try db.execute(sql: "ALTER TABLE transform_job ADD COLUMN unbilled_seconds DOUBLE NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v7-api-requests") { db in
            // The local AWS endpoint's request log: one row per API call.
            try db.create(table: "api_request") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("time", .double).notNull()
                table.column("client", .text).notNull()
                table.column("service", .text).notNull()
                table.column("operation", .text).notNull()
                table.column("status", .integer).notNull()
                table.column("duration_ms", .double).notNull()
                table.column("error_code", .text)
                table.column("resource", .text).notNull().defaults(to: "")
            }
        }
        migrator.registerMigration("v8-resource-tags") { db in
            // AddTags/ListTags/DeleteTags and the Tags of Create*: a resource's tags by its ARN,
            // in the order they were first added (rowid), gone with the resource.
            try db.execute(sql: """
                CREATE TABLE resource_tag (
                    arn TEXT NOT NULL COLLATE NOCASE, key TEXT NOT NULL, value TEXT NOT NULL,
                    PRIMARY KEY (arn, key))
                """)
        }
        migrator.registerMigration("v9-training-jobs") { db in
            // CreateTrainingJob and its job's life: the request, both statuses, the secondary
            // status transitions and final metrics (JSON), and the owner's heartbeat, as a
            // transform job has them (a job whose process died is taken up by the next one).
            try db.create(table: "training_job") { table in
                table.primaryKey("name", .text).collate(.nocase)
                table.column("arn", .text).notNull()
                table.column("status", .text).notNull()
                table.column("secondary_status", .text).notNull()
                table.column("failure_reason", .text)
                table.column("creation_time", .double).notNull()
                table.column("start_time", .double)
                table.column("end_time", .double)
                table.column("last_modified", .double).notNull()
                table.column("definition", .blob).notNull()
                table.column("transitions", .blob).notNull()
                table.column("metrics", .blob)
                table.column("owner_pid", .integer).notNull()
                table.column("heartbeat", .double)
                table.column("unbilled_seconds", .double).notNull().defaults(to: 0)
            }
        }
        return migrator
    }
}
