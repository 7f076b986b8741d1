import Foundation
import Testing
@testable import InferLabEngine

/// MaxConcurrentTransforms, observed where it acts: how many requests the model has at once.
/// The model is the real sample XGBoost container behind a probe that counts the requests in
/// flight; the first request waits (up to `patience`) for a second to arrive, so with
/// concurrency the overlap is certain and without it the count stays 1, whatever the load.
struct TransformConcurrencyTests {
    /// Counts the requests inside the container, and the most there ever were.
    final class InFlightProbe: InferenceContainer, @unchecked Sendable {
        let base: any InferenceContainer
        let patience: TimeInterval
        private let condition = NSCondition()
        private var inFlight = 0
        private var peak = 0

        init(base: any InferenceContainer, patience: TimeInterval) {
            self.base = base
            self.patience = patience
        }

        var mostAtOnce: Int { condition.lock(); defer { condition.unlock() }; return peak }

        func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode) throws -> ContainerResponse {
            condition.lock()
            inFlight += 1
            peak = max(peak, inFlight)
            condition.broadcast()
            let deadline = Date().addingTimeInterval(patience)
            while peak < 2, condition.wait(until: deadline) {}
            condition.unlock()
            defer { condition.lock(); inFlight -= 1; condition.unlock() }
            return try base.invoke(body: body, contentType: contentType, accept: accept, mode: mode)
        }

        func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode, timeout: Duration) throws -> ContainerResponse {
            try invoke(body: body, contentType: contentType, accept: accept, mode: mode)
        }

        func stop() { base.stop() }
    }

    private static let rows = String(repeating: "35,60000,3\n25,50000,2\n", count: 3)

    /// Transforms six single-record requests with `maxConcurrent`: the probe, the output, and the
    /// model's own predictions for the rows.
    private func transform(maxConcurrent: Int, patience: TimeInterval) throws -> (probe: InFlightProbe, output: String, expected: String) {
        let engine = try transformEngine()
        let probe = InFlightProbe(base: try engine.sagemaker.container(forModel: "loan-xgb"), patience: patience)
        try put(engine, "s3://loan-lab/in/a.csv", Self.rows)
        let settings = TransformSettings(
            container: probe, contentType: "text/csv", accept: nil, splitByLine: true, singleRecord: true,
            maxPayloadBytes: 6 << 20, gzip: false, assembleWithLine: false,
            processor: DataProcessor(inputFormat: .csv, outputFormat: .csv, inputFilter: nil, outputFilter: nil, joinInput: false),
            maxConcurrent: maxConcurrent, maxRetries: 0, invocationTimeout: .seconds(60))
        let transformer = FileTransformer(settings: settings, store: engine.store, isStopped: { false }, log: { _ in },
                                          progress: { _, _ in })
        try transformer.transform(input: S3Location("s3://loan-lab/in/a.csv")!, output: S3Location("s3://loan-lab/out/a.csv.out")!)
        return (probe, try text(engine, "s3://loan-lab/out/a.csv.out"), try modelPredictions(engine, Self.rows))
    }

    @Test func twoAtATimeMeansTwoRequestsInFlightAndTheOutputInInputOrder() throws {
        let (probe, output, expected) = try transform(maxConcurrent: 2, patience: 30)
        #expect(probe.mostAtOnce == 2)
        #expect(output == expected)
    }

    @Test func oneAtATimeNeverOverlaps() throws {
        let (probe, output, _) = try transform(maxConcurrent: 1, patience: 0.2)
        #expect(probe.mostAtOnce == 1)
        #expect(output.split(separator: "\n").count == 6)
    }
}
