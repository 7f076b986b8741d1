import Foundation

/// How the responses to the parts of one request join into the response to the whole request:
/// each part's response is `prefix`, its predictions, `suffix`; the whole's is `prefix`, every
/// part's predictions with `separator` between non-empty ones, `suffix`.
struct ResponseFraming: Sendable, Equatable {
    var prefix: [UInt8] = []
    var separator: [UInt8] = []
    var suffix: [UInt8] = []

    /// One prediction per line: the whole response is the parts' responses one after the other.
    static let lines = ResponseFraming()
}

/// A container that scores each line of a request on its own, so a request of line records can
/// be scored in consecutive parts and their responses joined, with the same bytes as the whole
/// request would get. Batch transform uses this to bound its memory (`FileTransformer`).
///
/// Only a request that succeeds is joined from parts: when a part fails, the transformer scores
/// the whole mini-batch as one request, so an error (its message, record numbers, which error
/// comes first) is exactly the one the whole request gets.
protocol PartwiseScoring: InferenceContainer {
    /// The framing of responses to requests with these headers, or nil when such a request must
    /// be scored whole (its body is not one record per line, or its response is not joinable).
    func partFraming(contentType: String?, accept: String?, mode: InvocationMode) -> ResponseFraming?
}

extension LinearLearnerContainer: PartwiseScoring {
    /// CSV and JSON Lines requests are one record per line; an application/json request is one
    /// document. JSON Lines responses are one object per line; application/json responses are
    /// `{"predictions":[…]}` with the predictions separated by commas.
    func partFraming(contentType: String?, accept: String?, mode: InvocationMode) -> ResponseFraming? {
        guard let request = try? Self.requestFormat(contentType), request != .json,
              let response = try? Self.responseFormat(accept) else { return nil }
        switch response {
        case .jsonLines: return .lines
        case .json: return ResponseFraming(prefix: Array(#"{"predictions":["#.utf8), separator: [UInt8(ascii: ",")], suffix: Array("]}".utf8))
        }
    }
}

extension XGBoostContainer: PartwiseScoring {
    /// CSV and LIBSVM are one record per line; in batch transform (SAGEMAKER_BATCH) the response
    /// is one prediction per line whatever the Accept. (A content type the container refuses
    /// fails the first part, and so the whole mini-batch, with the container's error.)
    func partFraming(contentType: String?, accept: String?, mode: InvocationMode) -> ResponseFraming? {
        mode == .batchTransform ? .lines : nil
    }
}
