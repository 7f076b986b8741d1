import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

/// `--output text`, `table` and `yaml` against the AWS CLI's own formatters (and PyYAML's safe
/// dump for yaml) on generated documents shaped like AWS responses.
@Suite(.enabled(if: PythonReference.isAvailable, "needs the course venv (scripts/setup.sh)"))
struct FormatterDifferentialTests {
    static let keys = ["Name", "Status", "Arn", "CreationTime", "Items", "Tags", "Key", "Value", "Count", "a", "B", "é", "名前", "Z_1"]
    static let strings = ["Completed", "InProgress", "arn:aws:sagemaker:us-east-1:123456789012:transform-job/x", "", "true", "123",
                          "2026-12-01T22:00:00.000Z", "two words", "ü-umlaut", "日本語テキスト", "a\tb", "yes", "null", "-", "0.5",
                          String(repeating: "long value ", count: 9)]

    static func document(_ random: inout SeededGenerator, depth: Int = 0) -> JSONValue {
        let roll = Int.random(in: 0..<10, using: &random)
        if depth > 2 || roll < 4 { return scalar(&random) }
        if roll < 7 {
            let count = Int.random(in: 0...4, using: &random)
            var members: [(String, JSONValue)] = []
            for _ in 0..<count {
                let key = keys.randomElement(using: &random)!
                if !members.contains(where: { $0.0 == key }) { members.append((key, document(&random, depth: depth + 1))) }
            }
            return .object(members)
        }
        // Lists of objects with shared keys, as AWS lists are, or of scalars.
        let count = Int.random(in: 0...3, using: &random)
        if Bool.random(using: &random) {
            let shared = Array(keys.shuffled(using: &random).prefix(3))
            return .array((0..<count).map { _ in
                .object(shared.filter { _ in Int.random(in: 0..<5, using: &random) > 0 }.map { ($0, document(&random, depth: depth + 2)) })
            })
        }
        return .array((0..<count).map { _ in document(&random, depth: depth + 1) })
    }

    static func scalar(_ random: inout SeededGenerator) -> JSONValue {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: .null
        case 1: .bool(Bool.random(using: &random))
        case 2: .int(Int64.random(in: -5...100_000, using: &random))
        case 3: .double([0.1, 1.0, 2.5e-7, 1e16, 123456.789, -0.0, 3.0].randomElement(using: &random)!)
        default: .string(strings.randomElement(using: &random)!)
        }
    }

    static func documents(_ count: Int, seed: UInt64) -> [JSONValue] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in document(&random) }
    }

    @Test func textMatchesTheCLIsTextFormatter() throws {
        let docs = Self.documents(400, seed: 16)
        let answers = try PythonReference.answers(docs.map { .object([("kind", .string("text")), ("data", $0)]) })
        var compared = 0
        for (doc, answer) in zip(docs, answers) {
            // awscli fails on lists that mix objects with other values; only its answers count.
            guard case .string(let expected)? = answer["output"] else { continue }
            compared += 1
            #expect(TextFormatter.format(doc) == expected, "\(doc.compact)")
        }
        #expect(compared > 300)
    }

    @Test func tableMatchesTheCLIsTableFormatter() throws {
        let docs = Self.documents(400, seed: 61)
        let answers = try PythonReference.answers(docs.map { .object([("kind", .string("table")), ("data", $0), ("title", .string("DescribeThing"))]) })
        var compared = 0
        for (doc, answer) in zip(docs, answers) {
            // awscli itself fails on some shapes (rows of different lengths); only its answers count.
            guard case .string(let expected)? = answer["output"] else { continue }
            compared += 1
            #expect(TableFormatter(terminalWidth: 80).format(doc, title: "DescribeThing") == expected, "\(doc.compact)")
        }
        #expect(compared > 300)
    }

    @Test func colouredTableMatchesTheCLIsColorizedStyler() throws {
        let docs = Self.documents(150, seed: 99)
        let answers = try PythonReference.answers(docs.map {
            .object([("kind", .string("table")), ("data", $0), ("title", .string("ListThings")), ("color", .string("on"))])
        })
        var compared = 0
        for (doc, answer) in zip(docs, answers) {
            guard case .string(let expected)? = answer["output"] else { continue }
            compared += 1
            #expect(TableFormatter(terminalWidth: 80, colorized: true).format(doc, title: "ListThings") == expected, "\(doc.compact)")
        }
        #expect(compared > 100)
    }

    @Test func jsonMatchesTheCLIsJSONDump() throws {
        var docs = Self.documents(200, seed: 3)
        docs.append(.object([("Control", .string("a\u{08}b\u{0C}c\u{01}")), ("Big", .double(1e15)), ("Small", .double(1e-5))]))
        let answers = try PythonReference.answers(docs.map { .object([("kind", .string("json")), ("data", $0)]) })
        for (doc, answer) in zip(docs, answers) {
            guard case .string(let expected)? = answer["output"] else { Issue.record("no answer for \(doc.compact)"); continue }
            #expect(PythonJSON.dumpsIndented(doc) + "\n" == expected, "\(doc.compact)")
        }
    }

    @Test func yamlMatchesASafeDump() throws {
        let docs = Self.documents(300, seed: 7)
        let answers = try PythonReference.answers(docs.map { .object([("kind", .string("yaml")), ("data", $0)]) })
        for (doc, answer) in zip(docs, answers) {
            guard case .string(let expected)? = answer["output"] else { Issue.record("no answer for \(doc.compact)"); continue }
            #expect(YAMLFormatter.format(doc) == expected, "\(doc.compact)")
        }
    }
}
