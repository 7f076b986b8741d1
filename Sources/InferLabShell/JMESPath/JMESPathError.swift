import InferLabEngine

/// What went wrong in a JMESPath expression, in the classes the compliance suite names, with the
/// words of Python's `jmespath` package (the one the AWS CLI uses), so that `--query` fails as the
/// CLI does.
public struct JMESPathError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case syntax
        case invalidArity = "invalid-arity"
        case invalidType = "invalid-type"
        case invalidValue = "invalid-value"
        case unknownFunction = "unknown-function"
    }

    public var kind: Kind
    public var description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// jmespath's ParseError text: the message, the column, the token and a caret under it.
    static func parse(_ message: String, at position: Int, token: JMESPathToken, expression: String) -> JMESPathError {
        let underline = String(repeating: " ", count: position + 1) + "^"
        return JMESPathError(.syntax, "\(message): Parse error at column \(position), token \"\(token.text)\" (\(token.kind.name.uppercased())), "
                                 + "for expression:\n\"\(expression)\"\n\(underline)")
    }

    static func incomplete(_ expression: String) -> JMESPathError {
        let underline = String(repeating: " ", count: expression.unicodeScalars.count + 1) + "^"
        return JMESPathError(.syntax, "Invalid jmespath expression: Incomplete expression:\n\"\(expression)\"\n\(underline)")
    }

    static func lexer(_ message: String, at position: Int, expression: String) -> JMESPathError {
        JMESPathError(.syntax, "Bad jmespath expression: \(message):\n\(expression)\n" + String(repeating: " ", count: position) + "^")
    }

    static func arity(_ function: String, expected: Int, actual: Int, variadic: Bool) -> JMESPathError {
        let noun = expected == 1 ? "argument" : "arguments"
        return JMESPathError(.invalidArity, "Expected \(variadic ? "at least " : "")\(expected) \(noun) for function \(function)(), received \(actual)")
    }

    static func type(_ function: String, value: JSONValue, actual: String, expected: [String]) -> JMESPathError {
        let list = "[" + expected.map { "'\($0)'" }.joined(separator: ", ") + "]"
        return JMESPathError(.invalidType, "In function \(function)(), invalid type for value: \(PythonText.str(value)), "
                                 + "expected one of: \(list), received: \"\(actual)\"")
    }
}
