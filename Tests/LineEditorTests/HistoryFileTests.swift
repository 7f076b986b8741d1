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
}
