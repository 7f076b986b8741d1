import InferLabEngine

/// A compiled JMESPath expression (the language of `--query`), evaluated over `JSONValue`.
///
/// Written by hand because no JMESPath package for Swift is among the project's dependencies.
/// It follows Python's `jmespath` package — the AWS CLI's — token for token, including where
/// that package goes beyond the specification (string ordering, the deprecated `` `foo` ``
/// literal), so that `--query` answers here what it answers on AWS.
public struct JMESPath: Sendable {
    public let expression: String
    let root: JMESPathNode

    /// - Throws: `JMESPathError` (kind `.syntax`) for an expression that does not parse.
    public init(_ expression: String) throws {
        self.expression = expression
        self.root = try JMESPathParser.parse(expression)
    }

    /// - Throws: `JMESPathError` for a function called with the wrong number or types of
    ///   arguments, an unknown function, or a slice step of zero.
    public func search(_ value: JSONValue) throws -> JSONValue {
        try JMESPathInterpreter().visit(root, value)
    }
}
