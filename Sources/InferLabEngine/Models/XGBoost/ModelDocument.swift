/// A parsed model file, the same shape whether it came from JSON or UBJSON, so that one decoder
/// reads both.
///
/// JSON numbers stay as their text until a field asks for a type: thresholds must become exactly
/// the `float` XGBoost wrote, and going through `Double` first could round twice.
indirect enum ModelValue {
    case object([String: ModelValue])
    case array([ModelValue])
    case string(String)
    case number(ModelNumber)
    case bool(Bool)
    case null
}

/// A number as the encoding delivered it.
enum ModelNumber {
    /// A JSON literal, converted on demand.
    case text(String)
    case integer(Int64)
    case float32(Float)
    case float64(Double)

    var float: Float? {
        switch self {
        case .text(let text): return Float(text)
        case .integer(let value): return Float(value)
        case .float32(let value): return value
        case .float64(let value): return Float(value)
        }
    }

    var integer: Int64? {
        switch self {
        case .text(let text):
            if let value = Int64(text) { return value }
            // Some writers print integral values as "3.0"; accept them only when exact.
            guard let value = Double(text), value.rounded() == value, abs(value) < 9e15 else { return nil }
            return Int64(value)
        case .integer(let value): return value
        case .float32(let value): return value.rounded() == value && abs(value) < 9e15 ? Int64(value) : nil
        case .float64(let value): return value.rounded() == value && abs(value) < 9e15 ? Int64(value) : nil
        }
    }
}

/// A value with the path that reached it, so every error can say where it is
/// (`learner.gradient_booster.model.trees[3].split_conditions`).
struct ModelNode {
    let value: ModelValue
    let path: String
    /// "JSON" or "UBJSON", for the messages.
    let format: String

    func field(_ name: String) throws -> ModelNode {
        guard let node = optionalField(name) else {
            throw XGBoostModelError.missing(join(name), format: format)
        }
        return node
    }

    func optionalField(_ name: String) -> ModelNode? {
        guard case .object(let members) = value, let member = members[name] else { return nil }
        return ModelNode(value: member, path: join(name), format: format)
    }

    func string() throws -> String {
        guard case .string(let text) = value else { throw wrongType("a string") }
        return text
    }

    func elements() throws -> [ModelNode] {
        guard case .array(let items) = value else { throw wrongType("an array") }
        return items.enumerated().map { ModelNode(value: $1, path: "\(path)[\($0)]", format: format) }
    }

    /// An integer written either as a number or, as XGBoost writes its parameters, as a string.
    func int() throws -> Int {
        switch value {
        case .number(let number):
            if let integer = number.integer, let result = Int(exactly: integer) { return result }
        case .string(let text):
            if let result = Int(text.trimmingWhitespace()) { return result }
        default:
            break
        }
        throw wrongType("an integer")
    }

    func floats() throws -> [Float] {
        try numbers(each: "a number") { $0.float }
    }

    func int32s() throws -> [Int32] {
        try numbers(each: "a 32-bit integer") { $0.integer.flatMap { Int32(exactly: $0) } }
    }

    /// Flags, written as 0/1 by XGBoost 1.6 and later and as `true`/`false` before.
    func flags() throws -> [Bool] {
        guard case .array(let items) = value else { throw wrongType("an array of flags") }
        var result = [Bool]()
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            switch item {
            case .bool(let flag): result.append(flag)
            case .number(let number) where number.integer != nil: result.append(number.integer! != 0)
            default: throw elementError(index, "a flag (0, 1, true or false)")
            }
        }
        return result
    }

    func wrongType(_ expected: String) -> XGBoostModelError {
        .wrongType(path, expected: expected, format: format)
    }

    private func numbers<T>(each expected: String, _ convert: (ModelNumber) -> T?) throws -> [T] {
        guard case .array(let items) = value else { throw wrongType("an array") }
        var result = [T]()
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .number(let number) = item, let converted = convert(number) else {
                throw elementError(index, expected)
            }
            result.append(converted)
        }
        return result
    }

    private func elementError(_ index: Int, _ expected: String) -> XGBoostModelError {
        .wrongType("\(path)[\(index)]", expected: expected, format: format)
    }

    private func join(_ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return self[start...end]
    }
}
