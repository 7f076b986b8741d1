import Foundation

/// How a container is being called: batch transform sets `SAGEMAKER_BATCH`, which changes the
/// built-in containers' output encoding (one prediction per line whatever the Accept).
public enum InvocationMode: Sendable, Equatable {
    case batchTransform
    case endpoint
}

/// A loaded model inside its algorithm's serving container: the one entry point that scores a
/// payload — body, content type, accept — for batch transform and endpoints alike.
public protocol InferenceContainer: Sendable {
    /// Scores one request body, as the container's `/invocations` handler does.
    /// - Parameters:
    ///   - contentType: the request's Content-Type; `nil` when the caller sent none.
    ///   - accept: the request's Accept; `nil` or `*/*` for the container's default.
    /// - Returns: the response body and its content type.
    /// - Throws: `ContainerError` with the HTTP status and message the real container gives.
    func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode) throws -> ContainerResponse

    /// Latency added on purpose (INFERLAB_MODEL_LATENCY_MS), so callers with a timeout can cut it off.
    var addedLatency: Duration { get }

    /// Scores one request, answering within `timeout` (the caller's invocation timeout: the job's
    /// InvocationsTimeoutInSeconds, 60 s for real-time, the async request's
    /// InvocationTimeoutSeconds) or failing with status 0, as SageMaker reports a timeout.
    /// Containers that answer in microseconds ignore it (the default); script containers keep it.
    func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode, timeout: Duration) throws -> ContainerResponse

    /// Stops what the container runs (its processes); it answers no more requests. Built-in
    /// containers hold nothing to stop.
    func stop()
}

extension InferenceContainer {
    public var addedLatency: Duration { .zero }

    public func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode, timeout: Duration) throws -> ContainerResponse {
        try invoke(body: body, contentType: contentType, accept: accept, mode: mode)
    }

    public func stop() {}
}

public struct ContainerResponse: Sendable, Equatable {
    public var body: Data
    public var contentType: String

    public init(body: Data, contentType: String) {
        self.body = body
        self.contentType = contentType
    }
}

/// A failure inside the model container, with the HTTP status it answers with
/// (415 unsupported content type, 406 unsupported accept, 400 bad payload, 500 model failure).
public struct ContainerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String
    /// The 1-based record of the request body that failed, when the container knows it.
    public var record: Int?
    /// The container that answered so, as SageMaker names it in errors: `primary` for a
    /// single-container model, the ContainerHostname in a pipeline (nil: `primary`).
    public var origin: String?

    public init(status: Int, message: String, record: Int? = nil, origin: String? = nil) {
        self.status = status
        self.message = message
        self.record = record
        self.origin = origin
    }

    public var description: String { "\(status): \(message)" }

    public static func unsupportedContentType(_ type: String) -> ContainerError {
        ContainerError(status: 415, message: "Content-type \(type) is not supported.")
    }

    public static func unsupportedAccept(_ type: String) -> ContainerError {
        ContainerError(status: 406, message: "Accept type \(type) is not supported.")
    }
}

/// Media types compare without parameters or case: `text/csv; charset=utf-8` is `text/csv`.
public enum MediaType {
    public static func base(_ type: String?) -> String? {
        guard let type else { return nil }
        let base = type.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return base.isEmpty ? nil : base
    }
}
