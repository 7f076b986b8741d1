import Foundation

/// The AWS services whose operations the engine answers, by the names the CLI and botocore use.
public enum AWSService: String, Sendable, CaseIterable {
    case s3, sagemaker, sagemakerRuntime = "sagemaker-runtime", logs, applicationAutoscaling = "application-autoscaling", sts, iam
}

/// One AWS operation of the engine: its service and name (`s3` `HeadObject`), its input and
/// output shapes (AWS's members, in Swift's lowerCamelCase), and what it does on an engine.
///
/// Front ends — the shell's `aws …` commands, the HTTP endpoint's routes — turn their own form
/// of a request into `Input`, call `engine.call(Operation.self, input)`, and render `Output`
/// their own way (the CLI's JSON, S3's XML). They do not reach past it into the store or catalog.
public protocol AWSOperation: Sendable {
    associatedtype Input: Sendable
    associatedtype Output: Sendable
    static var service: AWSService { get }
    /// AWS's operation name, as in errors and botocore's models: `CreateTransformJob`.
    static var name: String { get }
    static func run(_ input: Input, on engine: Engine) async throws -> Output
}

extension Engine {
    /// Runs one operation of the table.
    public func call<Operation: AWSOperation>(_ operation: Operation.Type, _ input: Operation.Input) async throws -> Operation.Output {
        try await operation.run(input, on: self)
    }
}

/// An operation whose shapes travel as JSON (AWS's JSON 1.1 protocol: SageMaker, CloudWatch Logs):
/// a front end can call it with the request's body and send back the encoded output.
public protocol JSONOperation: AWSOperation where Input: Decodable, Output: Encodable {
    /// Whether the service's members are PascalCase on the wire (SageMaker, Application Auto
    /// Scaling: `ModelName`) or as Swift names them (CloudWatch Logs: `logGroupName`).
    static var pascalCaseMembers: Bool { get }
}

extension JSONOperation {
    public static var pascalCaseMembers: Bool { true }

    /// Decodes the body (an empty body is `{}`), runs, encodes.
    public static func callJSON(_ body: Data, on engine: Engine) async throws -> Data {
        let decoder = pascalCaseMembers ? AWSCoding.decoder() : JSONDecoder()
        let input: Input
        do {
            input = try decoder.decode(Input.self, from: body.isEmpty ? Data("{}".utf8) : body)
        } catch let error as DecodingError {
            throw AWSError(code: "SerializationException", message: ErrorSentence.of(error), operation: name)
        }
        let output = try await engine.call(Self.self, input)
        return try pascalCaseMembers ? AWSWireEncoder.encode(output) : JSONEncoder().encode(output)
    }
}
