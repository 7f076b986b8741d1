import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

/// The shell's JMESPath against Python's `jmespath` (the AWS CLI's) on generated expressions over
/// AWS-shaped documents: the same result, or the same error class and message.
@Suite(.enabled(if: PythonReference.isAvailable, "needs the course venv (scripts/setup.sh)"))
struct JMESPathDifferentialTests {
    static let document = try! JSONValue.parse("""
    {"TransformJobs": [
      {"TransformJobName": "loan-batch-1", "TransformJobStatus": "Completed", "CreationTime": "2026-12-01T10:00:00.000Z",
       "Instances": 1, "Score": 0.75, "Tags": [{"Key": "team", "Value": "risk"}, {"Key": "env", "Value": "lab"}]},
      {"TransformJobName": "loan-batch-2", "TransformJobStatus": "Failed", "CreationTime": "2026-12-01T11:00:00.000Z",
       "Instances": 2, "Score": 0.5, "FailureReason": "ClientError: bad CSV", "Tags": []},
      {"TransformJobName": "ünïcode-job", "TransformJobStatus": "InProgress", "CreationTime": "2026-12-01T09:30:00.000Z",
       "Instances": 0, "Score": null, "Tags": [{"Key": "team", "Value": "ops"}]}
    ],
    "NextToken": null, "Empty": [], "Flag": true, "Count": 3, "Nested": {"a": {"b": [1, [2, 3], {"c": "d"}]}, "e": ""}}
    """)

    struct Grammar {
        var random: SeededGenerator
        var extraFields: [String] = []
        lazy var fields = extraFields + ["TransformJobs", "TransformJobName", "TransformJobStatus", "CreationTime", "Instances", "Score", "Tags",
                      "Key", "Value", "NextToken", "Empty", "Flag", "Count", "Nested", "a", "b", "c", "e", "Missing", "\"quoted key\""]
        let literals = ["`1`", "`0`", "`-1`", "`2.5`", "'Completed'", "`\"Failed\"`", "`true`", "`false`", "`null`", "`[]`", "`{}`",
                        "`[1, 2]`", "`{\"a\": 1}`", "'loan'", "`foo`", "''"]
        let functions: [(String, Int)] = [("length", 1), ("keys", 1), ("values", 1), ("sort", 1), ("reverse", 1), ("to_string", 1),
                                          ("to_number", 1), ("to_array", 1), ("type", 1), ("max", 1), ("min", 1), ("sum", 1),
                                          ("avg", 1), ("abs", 1), ("ceil", 1), ("floor", 1), ("not_null", 2), ("contains", 2),
                                          ("starts_with", 2), ("ends_with", 2), ("join", 2), ("merge", 2), ("nope", 1)]

        mutating func pick<T>(_ items: [T]) -> T { items.randomElement(using: &random)! }
        mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

        mutating func expression(_ depth: Int = 0) -> String {
            if depth > 3 { return pick(fields) }
            switch Int.random(in: 0..<22, using: &random) {
            case 0, 1: return pick(fields)
            case 2: return expression(depth + 1) + "." + pick(fields)
            case 3: return expression(depth + 1) + "[\(Int.random(in: -3...3, using: &random))]"
            case 4: return expression(depth + 1) + "[*]." + pick(fields)
            case 5: return expression(depth + 1) + "[]"
            case 6:
                let parts = (0..<3).map { _ in chance(50) ? String(Int.random(in: -4...4, using: &random)) : "" }
                return expression(depth + 1) + "[" + parts[0] + ":" + parts[1] + (chance(50) ? ":" + parts[2] : "") + "]"
            case 7: return expression(depth + 1) + "[?" + condition(depth + 1) + "]" + (chance(50) ? "." + pick(fields) : "")
            case 8: return expression(depth + 1) + " | " + expression(depth + 1)
            case 9: return "[" + expression(depth + 1) + ", " + expression(depth + 1) + "]"
            case 10: return "{x: " + expression(depth + 1) + ", \"y z\": " + expression(depth + 1) + "}"
            case 11:
                let (name, arity) = pick(functions)
                return name + "(" + (0..<arity).map { _ in chance(30) ? pick(literals) : expression(depth + 1) }.joined(separator: ", ") + ")"
            case 12: return pick(["sort_by", "max_by", "min_by"]) + "(" + expression(depth + 1) + ", &" + pick(fields) + ")"
            case 13: return "map(&" + pick(fields) + ", " + expression(depth + 1) + ")"
            case 14: return pick(literals)
            case 15: return "!" + expression(depth + 1)
            case 16: return expression(depth + 1) + pick([" || ", " && "]) + expression(depth + 1)
            case 17: return "@"
            case 18: return expression(depth + 1) + ".*"
            case 19: return "(" + expression(depth + 1) + ")"
            case 20: return condition(depth + 1)
            default:
                // Broken syntax, to compare errors.
                return pick(["foo.", "[?a==]", "a[", "{a b}", "a.[", "`{`", "a | | b", "=", "a[1:2:0]", "a.1", "f(", "&&", "\"a\"(b)", "[:::]", "a[?@]"])
            }
        }

        mutating func condition(_ depth: Int) -> String {
            pick(fields) + pick([" == ", " != ", " < ", " <= ", " > ", " >= "]) + (chance(50) ? pick(literals) : pick(fields))
        }
    }

    @Test func generatedExpressionsMatchPythonJMESPath() throws {
        var grammar = Grammar(random: SeededGenerator(seed: 2026))
        var expressions = Set<String>()
        while expressions.count < 1500 { expressions.insert(grammar.expression()) }
        let compared = try Self.compare(expressions.sorted().map { ($0, Self.document) })
        #expect(compared > 1400)
    }

    /// The same grammar over generated documents (FormatterDifferentialTests' shapes and keys).
    @Test func generatedExpressionsOverGeneratedDocuments() throws {
        var grammar = Grammar(random: SeededGenerator(seed: 77), extraFields: FormatterDifferentialTests.keys.filter { $0.allSatisfy(\.isASCII) })
        let documents = FormatterDifferentialTests.documents(60, seed: 5)
        var cases: [(String, JSONValue)] = []
        for document in documents {
            for _ in 0..<15 { cases.append((grammar.expression(), document)) }
        }
        #expect(try Self.compare(cases) > 800)
    }

    /// Compares every (expression, document) with Python's answer; returns how many were compared.
    static func compare(_ cases: [(String, JSONValue)]) throws -> Int {
        let answers = try PythonReference.answers(cases.map {
            .object([("kind", .string("jmespath")), ("expression", .string($0.0)), ("data", $0.1)])
        })
        var compared = 0
        for ((expression, document), answer) in zip(cases, answers) {
            if case .string(let kind)? = answer["error"] {
                // Python's own TypeErrors (mixed comparisons in sort) are not JMESPath's behaviour.
                if kind == "python" { continue }
                compared += 1
                do {
                    let result = try JMESPath(expression).search(document)
                    Issue.record("\(expression): gave \(result.compact), Python raised \(kind): \(answer["message"]?.compact ?? "")")
                } catch let error as JMESPathError {
                    #expect(error.kind.rawValue == kind, "\(expression)")
                    if case .string(let message)? = answer["message"] { #expect(error.description == message, "\(expression)") }
                }
            } else if let expected = answer["result"] {
                compared += 1
                do {
                    let result = try JMESPath(expression).search(document)
                    #expect(JMESPathComplianceTests.same(result, expected), "\(expression): \(result.compact) vs \(expected.compact)")
                } catch {
                    Issue.record("\(expression): failed with \(error), Python gave \(expected.compact)")
                }
            }
        }
        return compared
    }
}
