import Foundation
import Synchronization

/// Collects constraint violations and reports them as AWS does:
/// `1 validation error detected: Value 'bad name!' at 'modelName' failed to satisfy constraint: Member must satisfy regular expression pattern: …`
struct APIValidation {
    private var problems: [String] = []
    let operation: String

    init(operation: String) { self.operation = operation }

    mutating func pattern(_ value: String?, at path: String, _ pattern: String) {
        guard let value else { return }
        // A pattern of AWS's model that ICU cannot read is not held against the request.
        guard let regex = Self.regex(pattern) else { return }
        if regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) == nil {
            problems.append("Value '\(VisibleText.escaped(value))' at '\(path)' failed to satisfy constraint: Member must satisfy regular expression pattern: \(pattern)")
        }
    }

    /// Compiled once per pattern, anchored to the whole value (AWS's patterns match whole values).
    private static let regexes = Mutex<[String: NSRegularExpression?]>([:])

    private static func regex(_ pattern: String) -> NSRegularExpression? {
        regexes.withLock { cache in
            if let known = cache[pattern] { return known }
            let compiled = try? NSRegularExpression(pattern: "^(?:\(pattern))$")
            cache[pattern] = compiled
            return compiled
        }
    }

    mutating func length(_ value: String?, at path: String, max: Int, min: Int = 0) {
        guard let value else { return }
        if value.count > max {
            problems.append("Value '\(VisibleText.escaped(value))' at '\(path)' failed to satisfy constraint: Member must have length less than or equal to \(max)")
        } else if value.count < min {
            problems.append("Value '\(VisibleText.escaped(value))' at '\(path)' failed to satisfy constraint: Member must have length greater than or equal to \(min)")
        }
    }

    mutating func range(_ value: Int?, at path: String, _ bounds: ClosedRange<Int>) {
        guard let value else { return }
        if value < bounds.lowerBound {
            problems.append("Value '\(value)' at '\(path)' failed to satisfy constraint: Member must have value greater than or equal to \(bounds.lowerBound)")
        } else if value > bounds.upperBound {
            problems.append("Value '\(value)' at '\(path)' failed to satisfy constraint: Member must have value less than or equal to \(bounds.upperBound)")
        }
    }

    /// The model's `min`/`max` of an integer member.
    mutating func range(_ value: Int?, at path: String, min: Int? = nil, max: Int? = nil) {
        range(value, at: path, (min ?? Int.min)...(max ?? Int.max))
    }

    /// The model's `min`/`max` of a long kept as Int64 (CloudWatch Logs' epoch milliseconds).
    mutating func range(_ value: Int64?, at path: String, min: Int? = nil, max: Int? = nil) {
        range(value.map { Int($0) }, at: path, min: min, max: max)
    }

    /// The model's `min`/`max` of a float or double member.
    mutating func range(_ value: Double?, at path: String, min: Double? = nil, max: Double? = nil) {
        guard let value else { return }
        if let min, value < min {
            problems.append("Value '\(value)' at '\(path)' failed to satisfy constraint: Member must have value greater than or equal to \(min)")
        } else if let max, value > max {
            problems.append("Value '\(value)' at '\(path)' failed to satisfy constraint: Member must have value less than or equal to \(max)")
        }
    }

    mutating func oneOf(_ value: String?, at path: String, _ allowed: [String]) {
        guard let value, !allowed.contains(value) else { return }
        problems.append("Value '\(VisibleText.escaped(value))' at '\(path)' failed to satisfy constraint: Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
    }

    mutating func count<Item>(_ items: [Item]?, at path: String, _ bounds: ClosedRange<Int>) {
        guard let items else { return }
        if items.count > bounds.upperBound {
            problems.append("Value with \(items.count) members at '\(path)' failed to satisfy constraint: Member must have length less than or equal to \(bounds.upperBound)")
        } else if items.count < bounds.lowerBound {
            problems.append("Value with \(items.count) members at '\(path)' failed to satisfy constraint: Member must have length greater than or equal to \(bounds.lowerBound)")
        }
    }

    /// The model's `min`/`max` of a map: its number of entries.
    mutating func count<Key, Value>(_ entries: [Key: Value]?, at path: String, _ bounds: ClosedRange<Int>) {
        count(entries.map { Array($0.keys) }, at: path, bounds)
    }

    /// A member the request must carry (AWS's model may list it as optional, as for training jobs).
    mutating func missing(_ path: String) {
        problems.append("Value null at '\(path)' failed to satisfy constraint: Member must not be null")
    }

    /// Throws `ValidationException` when anything was wrong (CloudWatch Logs calls the same answer
    /// `InvalidParameterException`: `code` says so).
    func check(code: String = "ValidationException") throws {
        guard !problems.isEmpty else { return }
        let count = problems.count == 1 ? "1 validation error detected: " : "\(problems.count) validation errors detected: "
        var error = AWSError.validation(count + problems.joined(separator: "; "), operation: operation)
        error.code = code
        throw error
    }
}

/// A request shape with the constraints of AWS's model (generated: Sources/InferLabEngine/API/Generated/).
protocol AWSValidatable {
    /// Adds what breaks the model's min, max, pattern and enum, members named from `path`
    /// (`""` for the request itself, `"transformInput."` inside it).
    func validate(into validation: inout APIValidation, at path: String)
}

extension AWSValidatable {
    /// A validation of the whole request for `operation`, with AWS's constraints already checked:
    /// the caller adds the kit's own rules and calls `check()`.
    func validation(for operation: String) -> APIValidation {
        var validation = APIValidation(operation: operation)
        validate(into: &validation, at: "")
        return validation
    }
}

extension AWSError {
    public static func validation(_ message: String, operation: String, hint: String? = nil) -> AWSError {
        AWSError(code: "ValidationException", message: message, operation: operation, httpStatus: 400, hint: hint)
    }

    public static func resourceInUse(_ message: String, operation: String) -> AWSError {
        AWSError(code: "ResourceInUse", message: message, operation: operation, httpStatus: 400)
    }

    public static func resourceNotFound(_ message: String, operation: String) -> AWSError {
        AWSError(code: "ResourceNotFound", message: message, operation: operation, httpStatus: 400)
    }
}
