import Foundation

/// The bytes of a PutObject or UploadPart: in memory, a local file, or streamed by the caller
/// (an HTTP body). A stream writes into the sink and returns once everything is written and
/// checked; the object or part appears only then, and nothing at all if it throws.
public enum ObjectPayload: Sendable {
    case data(Data)
    case file(URL)
    case stream(@Sendable (any ObjectSink) async throws -> Void)
}
