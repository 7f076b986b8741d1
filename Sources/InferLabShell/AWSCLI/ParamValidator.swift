import Foundation
import InferLabEngine

/// botocore's client-side parameter validation (botocore/validate.py), rule for rule: required
/// members, unknown members, types, and the model's `min` (length or value) — nothing else, as
/// the client checks nothing else (`max`, `pattern` and `enum` are the service's to check).
/// Its report is botocore's: "Parameter validation failed:" and one line per problem, in the
/// order botocore finds them. (botocore's tagged-union, document and JSON-header rules are left
/// out: no request shape of the kit's operations has one; the generator would need them first.)
struct ParamValidator {
    private(set) var problems: [String] = []

    static func validate(_ value: JSONValue, _ shape: APIShape) -> [String] {
        var validator = ParamValidator()
        validator.validate(value, shape, name: "")
        return validator.problems
    }

    static func report(_ problems: [String]) -> String {
        "Parameter validation failed:\n" + problems.joined(separator: "\n")
    }

    private mutating func validate(_ value: JSONValue, _ shape: APIShape, name: String) {
        switch shape.kind {
        case .document: return
        case .structure(let members):
            guard case .object(let params) = value else { return invalidType(value, name: name, valid: ["<class 'dict'>"]) }
            for member in members where member.isRequired && !params.contains(where: { $0.0 == member.name }) {
                problems.append("Missing required parameter in \(display(name)): \"\(member.name)\"")
            }
            var known: [(String, JSONValue, APIShape)] = []
            for (key, item) in params {
                if let member = members.first(where: { $0.name == key }) {
                    known.append((key, item, member.shape))
                } else {
                    problems.append("Unknown parameter in \(display(name)): \"\(key)\", must be one of: \(members.map(\.name).joined(separator: ", "))")
                }
            }
            for (key, item, memberShape) in known { validate(item, memberShape, name: "\(name).\(key)") }
        case .list(let element):
            guard case .array(let items) = value else { return invalidType(value, name: name, valid: ["<class 'list'>", "<class 'tuple'>"]) }
            rangeCheck(Int64(items.count), shape, name: name, kind: "length", shown: value)
            for (offset, item) in items.enumerated() { validate(item, element, name: "\(name)[\(offset)]") }
        case .map(let keyShape, let valueShape):
            guard case .object(let entries) = value else { return invalidType(value, name: name, valid: ["<class 'dict'>"]) }
            for (key, item) in entries {
                validate(.string(key), keyShape, name: "\(name) (key: \(key))")
                validate(item, valueShape, name: "\(name).\(key)")
            }
        case .string:
            guard case .string(let text) = value else { return invalidType(value, name: name, valid: ["<class 'str'>"]) }
            rangeCheck(Int64(text.unicodeScalars.count), shape, name: name, kind: "length", shown: value)
        case .integer, .long:
            // Python's bool is an int, so botocore takes true for 1.
            switch value {
            case .int(let number): rangeCheck(number, shape, name: name, kind: "value", shown: value)
            case .bool(let flag): rangeCheck(flag ? 1 : 0, shape, name: name, kind: "value", shown: value)
            default: invalidType(value, name: name, valid: ["<class 'int'>"])
            }
        case .double, .float:
            switch value {
            case .int(let number): rangeCheckDouble(Double(number), shape, name: name, shown: value)
            case .double(let number): rangeCheckDouble(number, shape, name: name, shown: value)
            case .bool(let flag): rangeCheckDouble(flag ? 1 : 0, shape, name: name, shown: value)
            default: invalidType(value, name: name, valid: ["<class 'float'>", "<class 'decimal.Decimal'>", "<class 'int'>"])
            }
        case .boolean:
            guard case .bool = value else { return invalidType(value, name: name, valid: ["<class 'bool'>"]) }
        case .blob:
            guard case .string = value else {
                return invalidType(value, name: name, valid: ["<class 'bytes'>", "<class 'bytearray'>", "file-like object"])
            }
        case .timestamp:
            if !Self.isTimestamp(value) { invalidType(value, name: name, valid: ["<class 'datetime.datetime'>", "timestamp-string"]) }
        }
    }

    private func display(_ name: String) -> String {
        name.isEmpty ? "input" : name.hasPrefix(".") ? String(name.dropFirst()) : name
    }

    private mutating func invalidType(_ value: JSONValue, name: String, valid: [String]) {
        problems.append("Invalid type for parameter \(display(name)), value: \(PythonText.str(value)), type: \(PythonText.type(value)), valid types: \(valid.joined(separator: ", "))")
    }

    private mutating func rangeCheck(_ number: Int64, _ shape: APIShape, name: String, kind: String, shown: JSONValue) {
        // For lengths botocore reports the length itself: "value: 0, valid min length: 1".
        guard let min = shape.min, number < min else { return }
        let value = kind == "length" ? String(number) : PythonText.str(shown)
        problems.append("Invalid \(kind) for parameter \(display(name)), value: \(value), valid min \(kind): \(min)")
    }

    private mutating func rangeCheckDouble(_ number: Double, _ shape: APIShape, name: String, shown: JSONValue) {
        guard let min = shape.min, number < Double(min) else { return }
        problems.append("Invalid value for parameter \(display(name)), value: \(PythonText.str(shown)), valid min value: \(min)")
    }

    /// botocore's `parse_to_aware_datetime` on what a command line gives: epoch seconds or an
    /// ISO 8601 date or date-time.
    static func isTimestamp(_ value: JSONValue) -> Bool {
        switch value {
        case .int, .double, .bool: return true  // Python's bool is an int: epoch 0 or 1
        case .string(let text):
            if Double(text) != nil { return true }
            return text.range(of: #"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"#, options: .regularExpression) != nil
        default: return false
        }
    }
}

extension PythonText {
    /// Python's `type()` of the values `json.loads` makes, as botocore's messages print it.
    static func type(_ value: JSONValue) -> String {
        switch value {
        case .null: "<class 'NoneType'>"
        case .bool: "<class 'bool'>"
        case .int: "<class 'int'>"
        case .double: "<class 'float'>"
        case .string: "<class 'str'>"
        case .array: "<class 'list'>"
        case .object: "<class 'dict'>"
        }
    }
}
