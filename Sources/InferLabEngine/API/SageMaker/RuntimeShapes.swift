import Foundation

// sagemaker-runtime's shapes, hand-written: InvokeEndpoint carries its members in headers and a raw
// body, not in JSON (scripts/aws-models/kit.json, "engine").

public struct InvokeEndpointInput: Sendable, Equatable {
    public var endpointName: String
    public var body: Data
    public var contentType: String?
    public var accept: String?
    public var targetVariant: String?
    public init(endpointName: String, body: Data, contentType: String? = nil, accept: String? = nil) {
        self.endpointName = endpointName
        self.body = body
        self.contentType = contentType
        self.accept = accept
    }
}

public struct InvokeEndpointOutput: Sendable, Equatable {
    public var body: Data
    public var contentType: String
    public var invokedProductionVariant: String
}

public struct InvokeEndpointAsyncInput: Codable, Sendable, Equatable {
    public var endpointName: String
    public var contentType: String?
    public var accept: String?
    public var customAttributes: String?
    public var inferenceId: String?
    public var inputLocation: String
    public var requestTTLSeconds: Int?
    public var invocationTimeoutSeconds: Int?
    public init(endpointName: String, inputLocation: String) { self.endpointName = endpointName; self.inputLocation = inputLocation }
}

/// Members in the order the AWS CLI prints them: botocore reads the headers (OutputLocation,
/// FailureLocation) before the body (InferenceId).
public struct InvokeEndpointAsyncOutput: Codable, Sendable, Equatable {
    public var outputLocation: String
    public var failureLocation: String?
    public var inferenceId: String
}
