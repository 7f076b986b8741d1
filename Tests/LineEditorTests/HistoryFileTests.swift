import Foundation
import Testing
@testable import LineEditor

struct HistoryFileTests {
    private func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)/history")
    }

    @Test func appendsAndLoadsInOrder() {
        let history = HistoryFile(url: temporaryFile(), limit: 10)
        history.append("aws s3 ls")
        history.append("help s3 cp")
        #expect(history.load() == ["aws s3 ls", "help s3 cp"])
    }

    @Test func staysBounded() throws {
        let url = temporaryFile()
        let history = HistoryFile(url: url, limit: 3)
        for number in 1...7 { history.append("cmd \(number)") }
        #expect(history.load() == ["cmd 5", "cmd 6", "cmd 7"])
        // Past twice the limit the file itself is rewritten to the limit.
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
    }

    @Test func aMissingFileIsAnEmptyHistory() {
        #expect(HistoryFile(url: temporaryFile(), limit: 5).load().isEmpty)
    }

    /// A history file swapped for a link takes no entry and shows nothing of the link's target.
    @Test func aLinkedHistoryFileIsNeitherReadNorWritten() throws {
        let url = temporaryFile()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let target = url.deletingLastPathComponent().appendingPathComponent("elsewhere")
        try Data("secret\n".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(at: url, withDestinationURL: target)
        let history = HistoryFile(url: url, limit: 5)
        history.append("aws s3 ls")
        #expect(history.load().isEmpty)
        #expect(try String(contentsOf: target, encoding: .utf8) == "secret\n")
    }
}
