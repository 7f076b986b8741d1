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
}

extension InferenceContainer {
    public var addedLatency: Duration { .zero }
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

    public init(status: Int, message: String, record: Int? = nil) {
        self.status = status
        self.message = message
        self.record = record
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
