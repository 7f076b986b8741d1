import Foundation
import InferLabEngine

/// JMESPath's built-in functions, with jmespath's signatures, type checks and messages.
enum JMESPathFunctions {
    /// An argument's accepted types: `number`, `string`, `array-number`, `expref`, ...; empty
    /// means any.
    private struct Signature {
        var types: [[String]]
        var variadic = false
    }

    private static let signatures: [String: Signature] = [
        "abs": Signature(types: [["number"]]),
        "avg": Signature(types: [["array-number"]]),
        "ceil": Signature(types: [["number"]]),
        "contains": Signature(types: [["array", "string"], []]),
        "ends_with": Signature(types: [["string"], ["string"]]),
        "floor": Signature(types: [["number"]]),
        "join": Signature(types: [["string"], ["array-string"]]),
        "keys": Signature(types: [["object"]]),
        "length": Signature(types: [["string", "array", "object"]]),
        "map": Signature(types: [["expref"], ["array"]]),
        "max": Signature(types: [["array-number", "array-string"]]),
        "max_by": Signature(types: [["array"], ["expref"]]),
        "merge": Signature(types: [["object"]], variadic: true),
        "min": Signature(types: [["array-number", "array-string"]]),
        "min_by": Signature(types: [["array"], ["expref"]]),
        "not_null": Signature(types: [[]], variadic: true),
        "reverse": Signature(types: [["array", "string"]]),
        "sort": Signature(types: [["array-string", "array-number"]]),
        "sort_by": Signature(types: [["array"], ["expref"]]),
        "starts_with": Signature(types: [["string"], ["string"]]),
        "sum": Signature(types: [["array-number"]]),
        "to_array": Signature(types: [[]]),
        "to_number": Signature(types: [[]]),
        "to_string": Signature(types: [[]]),
        "type": Signature(types: [[]]),
        "values": Signature(types: [["object"]]),
    ]

    static func call(_ name: String, _ arguments: [JMESPathArgument], interpreter: JMESPathInterpreter) throws -> JSONValue {
        guard let signature = signatures[name] else {
            throw JMESPathError(.unknownFunction, "Unknown function: \(name)()")
        }
        if signature.variadic ? arguments.count < signature.types.count : arguments.count != signature.types.count {
            throw JMESPathError.arity(name, expected: signature.types.count, actual: arguments.count, variadic: signature.variadic)
        }
        for (argument, types) in zip(arguments, signature.types) where !types.isEmpty {
            try check(argument, types, function: name)
        }
        if signature.variadic, let types = signature.types.last, !types.isEmpty {
            for argument in arguments.dropFirst(signature.types.count) { try check(argument, types, function: name) }
        }
        let values = arguments.map { argument -> JSONValue in
            if case .value(let value) = argument { return value }
            return .null
        }
        func expression(_ index: Int) -> JMESPathNode {
            if case .expref(let node) = arguments[index] { return node }
            return .identity
        }
        switch name {
        case "abs":
            if case .int(let number) = values[0] { return number == .min ? .double(-Double(number)) : .int(abs(number)) }
            return .double(abs(PythonValue.number(values[0]) ?? 0))
        case "avg":
            let numbers = array(values[0])
            guard !numbers.isEmpty else { return .null }
            return .double(toDouble(sum(numbers)) / Double(numbers.count))
        case "ceil", "floor":
            if case .int = values[0] { return values[0] }
            let number = PythonValue.number(values[0]) ?? 0
            let rounded = name == "ceil" ? number.rounded(.up) : number.rounded(.down)
            return Int64(exactly: rounded).map { .int($0) } ?? .double(rounded)
        case "contains":
            if case .string(let subject) = values[0] {
                guard case .string(let search) = values[1] else { return .bool(false) }
                return .bool(containsScalars(Array(subject.unicodeScalars), Array(search.unicodeScalars)))
            }
            return .bool(array(values[0]).contains { PythonValue.equals($0, values[1]) })
        case "ends_with", "starts_with":
            guard case .string(let subject) = values[0], case .string(let affix) = values[1] else { return .null }
            let s = Array(subject.unicodeScalars), a = Array(affix.unicodeScalars)
            return .bool(name == "ends_with" ? s.reversed().starts(with: a.reversed()) : s.starts(with: a))
        case "join":
            guard case .string(let separator) = values[0] else { return .null }
            return .string(array(values[1]).map { PythonText.str($0) }.joined(separator: separator))
        case "keys":
            guard case .object(let members) = values[0] else { return .null }
            return .array(uniqueKeys(members).map { .string($0) })
        case "values":
            guard case .object(let members) = values[0] else { return .null }
            return .array(JMESPathInterpreter.uniqueValues(members))
        case "length":
            switch values[0] {
            case .string(let text): return .int(Int64(text.unicodeScalars.count))
            case .array(let items): return .int(Int64(items.count))
            case .object(let members): return .int(Int64(uniqueKeys(members).count))
            default: return .null
            }
        case "map":
            return .array(try array(values[1]).map { try interpreter.visit(expression(0), $0) })
        case "max", "min":
            let items = array(values[0])
            guard var best = items.first else { return .null }
            for item in items.dropFirst() {
                let order = PythonValue.order(item, best) ?? 0
                if name == "max" ? order > 0 : order < 0 { best = item }
            }
            return best
        case "max_by", "min_by":
            let items = array(values[0])
            guard !items.isEmpty else { return .null }
            var best = items[0]
            var bestKey = try key(interpreter.visit(expression(1), best), function: name, allowed: ["number", "string"])
            for item in items.dropFirst() {
                let itemKey = try key(interpreter.visit(expression(1), item), function: name, allowed: ["number", "string"])
                guard let order = PythonValue.order(itemKey, bestKey) else {
                    throw JMESPathError.type(name, value: itemKey, actual: typeName(itemKey), expected: ["number", "string"])
                }
                if name == "max_by" ? order > 0 : order < 0 { (best, bestKey) = (item, itemKey) }
            }
            return best
        case "merge":
            var merged: [(String, JSONValue)] = []
            for value in values {
                guard case .object(let members) = value else { continue }
                for (key, member) in members {
                    if let index = merged.firstIndex(where: { $0.0 == key }) { merged[index].1 = member } else { merged.append((key, member)) }
                }
            }
            return .object(merged)
        case "not_null":
            return values.first { $0 != .null } ?? .null
        case "reverse":
            if case .string(let text) = values[0] { return .string(String(String.UnicodeScalarView(text.unicodeScalars.reversed()))) }
            return .array(array(values[0]).reversed())
        case "sort":
            return .array(stableSorted(array(values[0])) { PythonValue.order($0, $1) ?? 0 })
        case "sort_by":
            let items = array(values[0])
            guard let first = items.first else { return values[0] }
            let required = typeName(try interpreter.visit(expression(1), first))
            guard required == "number" || required == "string" else {
                throw JMESPathError.type("sort_by", value: first, actual: required, expected: ["string", "number"])
            }
            let keys = try items.map { try key(interpreter.visit(expression(1), $0), function: "sort_by", allowed: [required]) }
            let order = stableSorted(Array(keys.indices)) { PythonValue.order(keys[$0], keys[$1]) ?? 0 }
            return .array(order.map { items[$0] })
        case "sum":
            return sum(array(values[0]))
        case "to_array":
            if case .array = values[0] { return values[0] }
            return .array([values[0]])
        case "to_number":
            return toNumber(values[0])
        case "to_string":
            if case .string = values[0] { return values[0] }
            return .string(PythonJSON.dumpsCompact(values[0]))
        case "type":
            return .string(typeName(values[0]))
        default:
            throw JMESPathError(.unknownFunction, "Unknown function: \(name)()")
        }
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    static func pythonTypeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .object: "dict"
        }
    }

    /// jmespath's `_type_check_single` and `_subtype_check`.
    private static func check(_ argument: JMESPathArgument, _ types: [String], function: String) throws {
        guard case .value(let value) = argument else {
            if types.contains("expref") { return }
            throw JMESPathError.type(function, value: .string("<expression>"), actual: "expref", expected: types)
        }
        let actual = typeName(value)
        let bases = types.map { String($0.split(separator: "-", maxSplits: 1)[0]) }
        guard bases.contains(actual) else { throw JMESPathError.type(function, value: value, actual: actual, expected: types) }
        let subtypes = types.compactMap { type -> String? in
            let parts = type.split(separator: "-", maxSplits: 1)
            return parts.count == 2 ? String(parts[1]) : nil
        }
        guard !subtypes.isEmpty, case .array(let items) = value else { return }
        // jmespath names an element's type as Python does here (str, NoneType, bool, ...).
        if subtypes.count == 1 {
            for item in items where typeName(item) != subtypes[0] {
                throw JMESPathError.type(function, value: item, actual: pythonTypeName(item), expected: types)
            }
        } else if let first = items.first {
            let firstType = typeName(first)
            guard subtypes.contains(firstType) else { throw JMESPathError.type(function, value: first, actual: pythonTypeName(first), expected: types) }
            for item in items where typeName(item) != firstType {
                throw JMESPathError.type(function, value: item, actual: pythonTypeName(item), expected: types)
            }
        }
    }

    private static func key(_ value: JSONValue, function: String, allowed: [String]) throws -> JSONValue {
        let type = typeName(value)
        guard allowed.contains(type) else { throw JMESPathError.type(function, value: value, actual: type, expected: allowed) }
        return value
    }

    private static func array(_ value: JSONValue) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return []
    }

    private static func uniqueKeys(_ members: [(String, JSONValue)]) -> [String] {
        var seen = Set<String>()
        return members.map(\.0).filter { seen.insert($0).inserted }
    }

    /// Python's `sum`: integers stay integers until a float joins them.
    private static func sum(_ numbers: [JSONValue]) -> JSONValue {
        var total: JSONValue = .int(0)
        for number in numbers {
            switch (total, number) {
            case (.int(let a), .int(let b)):
                let (result, overflow) = a.addingReportingOverflow(b)
                total = overflow ? .double(Double(a) + Double(b)) : .int(result)
            default:
                total = .double(toDouble(total) + toDouble(number))
            }
        }
        return total
    }

    /// Python's `needle in haystack` for strings: by code point, not by grapheme.
    private static func containsScalars(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    private static func toDouble(_ value: JSONValue) -> Double { PythonValue.number(value) ?? 0 }

    /// Python's `sorted`: stable, by a three-way comparison.
    private static func stableSorted<T>(_ items: [T], by compare: (T, T) -> Int) -> [T] {
        items.enumerated().sorted { a, b in
            let order = compare(a.element, b.element)
            return order != 0 ? order < 0 : a.offset < b.offset
        }.map(\.element)
    }

    /// jmespath's `to_number`: `int(text)`, else `float(text)`, else null.
    private static func toNumber(_ value: JSONValue) -> JSONValue {
        switch value {
        case .int, .double: return value
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let integer = pythonInt(trimmed) { return .int(integer) }
            if let number = pythonFloat(trimmed) { return .double(number) }
            return .null
        default: return .null
        }
    }

    private static func pythonInt(_ text: String) -> Int64? {
        var body = Substring(text)
        var sign: Int64 = 1
        if let first = body.first, first == "+" || first == "-" {
            sign = first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }), let magnitude = Int64(body) else { return nil }
        return sign * magnitude
    }

    private static func pythonFloat(_ text: String) -> Double? {
        let lower = text.lowercased()
        let unsigned = lower.hasPrefix("+") || lower.hasPrefix("-") ? String(lower.dropFirst()) : lower
        if ["inf", "infinity", "nan"].contains(unsigned) { return Double(lower.replacingOccurrences(of: "infinity", with: "inf")) }
        guard !unsigned.isEmpty, unsigned.allSatisfy({ "0123456789.e+-".contains($0) }), unsigned.contains(where: \.isNumber) else { return nil }
        return Double(text)
    }
}
