import Foundation

/// Collects constraint violations and reports them as AWS does:
/// `1 validation error detected: Value 'bad name!' at 'modelName' failed to satisfy constraint: Member must satisfy regular expression pattern: …`
struct APIValidation {
    private var problems: [String] = []
    let operation: String

    init(operation: String) { self.operation = operation }

    mutating func pattern(_ value: String?, at path: String, _ pattern: String) {
        guard let value else { return }
        let anchored = "^(?:\(pattern))$"
        if value.range(of: anchored, options: .regularExpression) == nil {
            problems.append("Value '\(VisibleText.escaped(value))' at '\(path)' failed to satisfy constraint: Member must satisfy regular expression pattern: \(pattern)")
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

    /// A member the request must carry (AWS's model may list it as optional, as for training jobs).
    mutating func missing(_ path: String) {
        problems.append("Value null at '\(path)' failed to satisfy constraint: Member must not be null")
    }

    /// Throws `ValidationException` when anything was wrong.
    func check() throws {
        guard !problems.isEmpty else { return }
        let count = problems.count == 1 ? "1 validation error detected: " : "\(problems.count) validation errors detected: "
        throw AWSError.validation(count + problems.joined(separator: "; "), operation: operation)
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
