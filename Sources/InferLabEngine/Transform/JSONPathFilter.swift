import Foundation

/// The JSONPath subset batch transform's InputFilter and OutputFilter accept:
/// `$`, `$.name`, `$.a.b`, `$.*`, `$['a','b']`, `$[1]`, `$[1,3]`, `$[0,-1]`, `$[2:]`, `$[:5]`, `$[0,5:]`.
///
/// Slices include their end, as the SageMaker developer guide describes (`$[1:4]` is the second
/// through fifth columns); standard JSONPath excludes it. The guide's reading is followed here
/// and noted in help, since the live service was not checked.
public struct JSONPathFilter: Sendable, Equatable {
    enum Step: Sendable, Equatable {
        case child(String)
        case children([String])
        case wildcard
        case indexes([Int], range: IndexRange?)
    }

    struct IndexRange: Sendable, Equatable {
        var start: Int?
        var end: Int?
    }

    let steps: [Step]
    public let text: String

    /// `$` selects the whole record.
    public var isIdentity: Bool { steps.isEmpty }

    /// Parses and validates a filter, with SageMaker's messages for what it refuses.
    /// - Parameter field: `InputFilter` or `OutputFilter`, for messages.
    public init(_ text: String, field: String) throws {
        self.text = text
        let allowed = Set("$[]*., :-'")
        if let bad = text.first(where: { !($0.isLetter || $0.isNumber || allowed.contains($0)) }) {
            throw AWSError.validation("Invalid \(field): \"\(text)\". Unexpected \"\(bad)\" in JsonPath. Supported operators are ['$', '[', ']', '*', '.', ' ', ',', ':', '-', ''']",
                                      operation: "CreateTransformJob")
        }
        guard text.hasPrefix("$") else {
            throw AWSError.validation("Invalid \(field): \"\(text)\". A JsonPath must start with '$'.", operation: "CreateTransformJob")
        }
        var steps: [Step] = []
        var rest = Substring(text.dropFirst())
        func fail(_ why: String) -> AWSError {
            AWSError.validation("Invalid JsonPath: \(text): \(why)", operation: "CreateTransformJob")
        }
        while !rest.isEmpty {
            if rest.hasPrefix(".[") { rest = rest.dropFirst() }
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw fail("a '.' must be followed by a name") }
                steps.append(name == "*" ? .wildcard : .child(String(name)))
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { throw fail("'[' is not closed") }
                let inside = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: [" "])
                rest = rest[rest.index(after: close)...]
                steps.append(try Self.bracket(String(inside), fail: fail))
            } else {
                throw fail("unexpected '\(VisibleText.escaped(String(rest.first!)))'")
            }
        }
        self.steps = steps
    }

    private static func bracket(_ inside: String, fail: (String) -> AWSError) throws -> Step {
        if inside == "*" { return .wildcard }
        let parts = inside.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: [" "]) }
        if parts.allSatisfy({ $0.hasPrefix("'") && $0.hasSuffix("'") && $0.count >= 2 }) {
            let names = parts.map { String($0.dropFirst().dropLast()) }
            if names.contains(where: { $0.contains(".") }) { throw fail("nested paths inside a multi-select bracket are not supported") }
            return names.count == 1 ? .child(names[0]) : .children(names)
        }
        var indexes: [Int] = []
        var range: IndexRange?
        for part in parts {
            if part.contains(":") {
                guard range == nil else {
                    throw fail("only single range filters of format (eg: [1:5]) are supported. Format [\(inside)] is not supported")
                }
                let bounds = part.split(separator: ":", omittingEmptySubsequences: false)
                guard bounds.count == 2 else { throw fail("a range has one ':'") }
                let start = bounds[0].isEmpty ? nil : Int(bounds[0])
                let end = bounds[1].isEmpty ? nil : Int(bounds[1])
                if (!bounds[0].isEmpty && start == nil) || (!bounds[1].isEmpty && end == nil) { throw fail("range bounds must be numbers") }
                range = IndexRange(start: start, end: end)
            } else {
                guard let index = Int(part) else { throw fail("'\(VisibleText.escaped(part))' is neither an index nor a quoted name") }
                indexes.append(index)
            }
        }
        return .indexes(indexes, range: range)
    }

    public struct SelectionError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Applies the filter to a record: CSV records are arrays of their fields.
    public func apply(_ value: JSONValue) throws -> JSONValue {
        var current = value
        for step in steps {
            current = try Self.apply(step, to: current, path: text)
        }
        return current
    }

    private static func apply(_ step: Step, to value: JSONValue, path: String) throws -> JSONValue {
        switch step {
        case .child(let name):
            guard case .object = value, let child = value[name] else {
                throw SelectionError(description: "\(path) selects '\(VisibleText.escaped(name))', which the record does not have")
            }
            return child
        case .children(let names):
            guard case .object(let members) = value else { throw SelectionError(description: "\(path) selects names from a record that is not an object") }
            return .object(names.compactMap { name in members.last { $0.0 == name } })
        case .wildcard:
            switch value {
            case .object(let members): return .array(members.map(\.1))
            default: return value
            }
        case .indexes(let indexes, let range):
            guard case .array(let items) = value else { throw SelectionError(description: "\(path) selects indexes from a record that is not a list") }
            var picked: [JSONValue] = []
            for index in indexes {
                let resolved = index < 0 ? items.count + index : index
                guard items.indices.contains(resolved) else {
                    throw SelectionError(description: "\(path): index \(index) is outside the record's \(items.count) fields")
                }
                picked.append(items[resolved])
            }
            if let range {
                let start = range.start.map { $0 < 0 ? items.count + $0 : $0 } ?? 0
                let end = range.end.map { $0 < 0 ? items.count + $0 : $0 } ?? items.count - 1  // inclusive, as the guide says
                if start <= min(end, items.count - 1), start >= 0 {
                    picked.append(contentsOf: items[start...min(end, items.count - 1)])
                }
            }
            if indexes.count == 1, range == nil { return picked[0] }
            return .array(picked)
        }
    }
}
