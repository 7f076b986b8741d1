import Foundation
import GRDB
import Testing
@testable import InferLabEngine

struct CatalogTests {
    @Test func eventsRoundTripInOrder() throws {
        let catalog = try Catalog()
        try catalog.logEvent(kind: "command", subject: "aws s3 ls", detail: "exit 0")
        try catalog.logEvent(kind: "command", subject: "help")
        let events = try catalog.recentEvents()
        #expect(events.map(\.subject) == ["aws s3 ls", "help"])
        #expect(events.first?.detail == "exit 0")
        #expect(try catalog.recentEvents(limit: 1).map(\.subject) == ["help"])
    }

    @Test func reopeningKeepsDataAndMigratesOnce() throws {
        let file = temporaryFolder().appendingPathComponent("catalog.sqlite")
        try Catalog(path: file).logEvent(kind: "k", subject: "first")
        let reopened = try Catalog(path: file)
        #expect(try reopened.recentEvents().map(\.subject) == ["first"])
    }

    @Test func concurrentWritersOnOneFileLoseNothing() async throws {
        let file = temporaryFolder().appendingPathComponent("catalog.sqlite")
        // Separate Catalog instances are separate connections, as two processes would have.
        let writers = try (0..<4).map { _ in try Catalog(path: file) }
        await withThrowingTaskGroup(of: Void.self) { group in
            for (index, catalog) in writers.enumerated() {
                group.addTask { for n in 0..<50 { try catalog.logEvent(kind: "w\(index)", subject: "\(n)") } }
            }
        }
        #expect(try Catalog(path: file).recentEvents(limit: 1_000).count == 200)
    }

    @Test func theQueueIsLookedUpThroughItsIndexWhateverTheNamesCase() throws {
        let catalog = try Catalog()
        let plan = try catalog.writer.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT * FROM async_request WHERE endpoint = ? COLLATE NOCASE AND state = 'queued' ORDER BY id LIMIT 1
                """, arguments: ["My-Endpoint"]).map { $0["detail"] as String }.joined(separator: " ")
        }
        #expect(plan.contains("USING INDEX async_request_queue_nocase"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "ordered by the index, not sorted: \(plan)")
    }

    @Test func aCorruptCatalogIsAClearError() throws {
        let file = temporaryFolder().appendingPathComponent("catalog.sqlite")
        try Data(repeating: 0x42, count: 4096).write(to: file)
        #expect { try Catalog(path: file) } throws: { ($0 as? CatalogError)?.message.contains("cannot open the catalog catalog.sqlite") == true }
    }
}
