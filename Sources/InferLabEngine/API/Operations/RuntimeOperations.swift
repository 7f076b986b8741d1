import Foundation

/// `sagemaker-runtime`: requests to deployed endpoints.
public enum RuntimeOperations {
    public static let all: [any AWSOperation.Type] = [InvokeEndpoint.self, InvokeEndpointAsync.self]

    /// One synchronous request to a real-time endpoint (body at most 6 MB).
    public enum InvokeEndpoint: RuntimeOperation {
        public static func run(_ input: InvokeEndpointInput, on engine: Engine) throws -> InvokeEndpointOutput {
            try engine.sagemaker.invokeEndpoint(input)
        }
    }

    /// A request queued durably for an async endpoint, answered at once with where its result will be.
    public enum InvokeEndpointAsync: RuntimeOperation {
        public static func run(_ input: InvokeEndpointAsyncInput, on engine: Engine) throws -> InvokeEndpointAsyncOutput {
            try engine.sagemaker.invokeEndpointAsync(input)
        }
    }
}

/// An entry of `sagemaker-runtime`: the name is the type's.
public protocol RuntimeOperation: AWSOperation {}

extension RuntimeOperation {
    public static var service: AWSService { .sagemakerRuntime }
    public static var name: String { String(describing: Self.self) }
}
