import Foundation
import InferLabEngine

/// An async request `lab compare` sent, and where its answer will appear: it is measured as a
/// client would, by polling S3 (HeadObject) until the output or the error object exists.
struct AsyncResult {
    var output: S3Location?
    var failure: S3Location?
    var sent: Date

    init(_ answer: InvokeEndpointAsyncOutput, sent: Date) {
        output = S3Location(answer.outputLocation)
        // Without an S3FailurePath, errors land next to the outputs as `<uuid>-error.out`.
        let failurePath = answer.failureLocation
            ?? (answer.outputLocation.hasSuffix(".out") ? String(answer.outputLocation.dropLast(4)) : answer.outputLocation) + "-error.out"
        failure = S3Location(failurePath)
        self.sent = sent
    }

    /// Milliseconds from each request's sending to when its result object was seen, once every
    /// request has one (sorted by the caller). LastModified has only whole seconds, so the time
    /// is the client's, as a client would measure it, to within the 2 ms between polls.
    ///
    /// The queue answers roughly in order, so each round polls the oldest unanswered requests
    /// only (`window` of them): a thousand requests cost a few HEADs a round, not a thousand.
    static func latencies(_ requests: [AsyncResult], engine: Engine, window: Int = 16) async throws -> [Double] {
        var pending = requests
        var latencies: [Double] = []
        while !pending.isEmpty {
            var unanswered = 0
            var kept: [AsyncResult] = []
            for request in pending {
                guard unanswered < window else { kept.append(request); continue }
                let answered = [request.output, request.failure].compactMap { $0 }.contains { location in
                    (try? S3Operations.HeadObject.run(HeadObjectInput(bucket: location.bucket, key: location.key), on: engine)) != nil
                }
                if answered {
                    latencies.append(Date().timeIntervalSince(request.sent) * 1000)
                } else {
                    unanswered += 1
                    kept.append(request)
                }
            }
            pending = kept
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
        }
        return latencies
    }
}
