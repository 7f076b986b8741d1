import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

/// The JMESPath compliance suite (JMESPathCompliance/, see its README) run against `--query`'s
/// implementation: every case's result or error class.
struct JMESPathComplianceTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("JMESPathCompliance")
    static let files = ["basic", "benchmarks", "boolean", "current", "escape", "filters", "functions", "identifiers", "indices",
                        "literal", "multiselect", "pipe", "slice", "syntax", "unicode", "wildcard"]

    @Test(arguments: files)
    func complianceFile(_ name: String) throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent(name + ".json"), encoding: .utf8)
        guard case .array(let suites) = try JSONValue.parse(text) else { Issue.record("\(name).json is not a list of suites"); return }
        var cases = 0
        for suite in suites {
            let given = suite["given"] ?? .null
            guard case .array(let list)? = suite["cases"] else { continue }
            for testCase in list {
                guard case .string(let expression)? = testCase["expression"] else { continue }
                cases += 1
                if case .string(let errorClass)? = testCase["error"] {
                    do {
                        let result = try JMESPath(expression).search(given)
                        Issue.record("\(name): \(expression) gave \(result.compact), expected a \(errorClass) error")
                    } catch let error as JMESPathError {
                        #expect(error.kind.rawValue == errorClass, "\(name): \(expression): \(error)")
                    }
                } else if let expected = testCase["result"] {
                    do {
                        let result = try JMESPath(expression).search(given)
                        #expect(Self.same(result, expected), "\(name): \(expression) gave \(result.compact), expected \(expected.compact)")
                    } catch {
                        Issue.record("\(name): \(expression) failed: \(error)")
                    }
                } else {
                    // A benchmark: it must parse and run.
                    do { _ = try JMESPath(expression).search(given) } catch { Issue.record("\(name): \(expression) failed: \(error)") }
                }
            }
        }
        #expect(cases > 0)
    }

    /// JSON equality as the suite means it: numbers by value, objects regardless of member order,
    /// booleans never equal to numbers.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y
        case (.bool, _), (_, .bool): return false
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            let left = PythonValue.dictionary(x), right = PythonValue.dictionary(y)
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { same(value, $0) } ?? false }
        default: return PythonValue.equals(a, b)
        }
    }

    @Test func errorsReadAsPythonJMESPathWritesThem() {
        #expect(throws: JMESPathError(.syntax, "Invalid jmespath expression: Incomplete expression:\n\"Models[\"\n        ^")) {
            try JMESPath("Models[")
        }
        #expect(throws: JMESPathError(.syntax, "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: eof: "
                                      + "Parse error at column 4, token \"\" (EOF), for expression:\n\"foo.\"\n     ^")) {
            try JMESPath("foo.")
        }
        #expect(throws: JMESPathError(.invalidArity, "Expected 1 argument for function abs(), received 2")) {
            try JMESPath("abs(`1`, `2`)").search(.null)
        }
        #expect(throws: JMESPathError(.invalidType,
                                      "In function length(), invalid type for value: 1, expected one of: ['string', 'array', 'object'], received: \"number\"")) {
            try JMESPath("length(`1`)").search(.null)
        }
    }
}
