import Foundation

/// Everything about a job that decides how one file is transformed.
struct TransformSettings: Sendable {
    var container: any InferenceContainer
    var contentType: String?
    var accept: String?
    var splitByLine: Bool
    var singleRecord: Bool
    var maxPayloadBytes: Int
    var gzip: Bool
    var assembleWithLine: Bool
    var processor: DataProcessor
    var maxConcurrent: Int
    var maxRetries: Int
    /// ModelClientConfig.InvocationsTimeoutInSeconds (default 600).
    var invocationTimeout: Duration
}

/// Why a file failed, in the job log's terms, with the 1-based record where it happened.
struct FileFailure: Error, Sendable {
    var kind: String  // ClientError (4xx, bad input) or AlgorithmError (5xx)
    var status: Int
    var record: Int?
    var message: String
}

/// Transforms one input object into its `.out` object (§2.3–2.6): mini-batches go to the model,
/// up to MaxConcurrentTransforms at once, and results are written in input order. The output is
/// written only if every mini-batch succeeds; otherwise nothing of it is stored.
///
/// MaxConcurrentTransforms workers each take the next mini-batch, have it scored, wait for its
/// turn and write its result (and hash it for the ETag), then take another. So one worker writes
/// while the others read and score, every core stays busy, and each worker holds one payload and
/// one response: a job's memory does not grow with its input. (Reading a wave, scoring it, then
/// writing it left the cores idle for half of a linear model's job.) Failures are reported as
/// reading, scoring and writing one wave at a time reported them: the first mini-batch that
/// failed, except that a wave's read failure (a record over MaxPayloadInMB) came before any of
/// that wave was scored.
struct FileTransformer: Sendable {
    let settings: TransformSettings
    let store: any ObjectStore
    let isStopped: @Sendable () -> Bool
    let log: @Sendable (String) -> Void
    let progress: @Sendable (_ records: Int, _ batches: Int) -> Void

    struct Stopped: Error {}

    func transform(input: S3Location, output: S3Location) throws {
        let source = try store.openObject(bucket: input.bucket, key: input.key)
        defer { source.close() }
        let batcher: RecordBatcher
        do {
            batcher = try RecordBatcher(source: source, gzip: settings.gzip, splitByLine: settings.splitByLine,
                                        singleRecord: settings.singleRecord, maxPayloadBytes: settings.maxPayloadBytes)
        } catch {
            throw FileFailure(kind: "ClientError", status: 400, record: nil, message: "\(error)")
        }
        try store.writeObject(bucket: output.bucket, key: output.key, contentType: nil, metadata: [:]) { sink in
            let turns = Turns(batcher: batcher, sink: sink, wave: settings.maxConcurrent)
            let work: @Sendable (Int) -> Void = { _ in self.work(turns) }
            if settings.maxConcurrent == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: settings.maxConcurrent, execute: work) }
            if let failure = turns.failure { throw failure }
        }
    }

    /// One worker: take a mini-batch, score it, write it in its turn; until the object ends or
    /// something fails.
    private func work(_ turns: Turns) {
        while let (sequence, next) = turns.take(isStopped: isStopped) {
            let records = (try? next.get())?.recordCount ?? 0
            let result: Result<Data, any Error> = next.flatMap { batch in
                Result { try output(for: batch) }.mapError { error in
                    error as? FileFailure ?? FileFailure(kind: "AlgorithmError", status: 500, record: nil, message: "\(error)")
                }
            }
            guard turns.waitForTurn(sequence) else { return }
            do {
                try turns.sink.write(try result.get())
                progress(records, 1)
                turns.done(sequence, failure: nil)
            } catch {
                turns.done(sequence, failure: error)
            }
        }
    }

    private func output(for batch: MiniBatch) throws -> Data {
        let body: Data
        do {
            body = try settings.processor.requestBody(for: batch)
        } catch let error as DataProcessor.RecordError {
            throw FileFailure(kind: "ClientError", status: 400, record: batch.firstRecord + error.index, message: error.message)
        }
        let response = try invokeWithRetries(body, batch: batch)
        if settings.processor.isActive {
            do {
                return try settings.processor.outputLines(for: batch, response: response)
            } catch let error as DataProcessor.RecordError {
                throw FileFailure(kind: "ClientError", status: 400, record: batch.firstRecord + error.index, message: error.message)
            }
        }
        // AssembleWith Line: every response ends with exactly one newline. None: raw bytes.
        if settings.assembleWithLine, let last = response.last, last != 0x0A { return response + Data([0x0A]) }
        return response
    }

    private func invokeWithRetries(_ body: Data, batch: MiniBatch) throws -> Data {
        var attempt = 0
        while true {
            do {
                return try invokeWithinTimeout(body)
            } catch let error as ContainerError {
                let record = error.record.map { batch.firstRecord + $0 - 1 }
                // A 4xx is the input's fault and fails the same way again; 5xx and timeouts
                // (status 0, as AWS reports them) are retried.
                let retryable = error.status >= 500 || error.status == 0
                if !retryable || attempt >= settings.maxRetries {
                    throw FileFailure(kind: retryable ? "AlgorithmError" : "ClientError", status: error.status,
                                      record: record, message: error.message)
                }
                attempt += 1
                let why = error.status == 0 ? "timed out after \(settings.invocationTimeout.components.seconds) s" : "failed with \(error.status)"
                log("Retrying a request that \(why) (attempt \(attempt + 1) of \(settings.maxRetries + 1))")
            }
        }
    }

    /// One invocation, cut off at InvocationsTimeoutInSeconds. Only the kit's slow-model latency
    /// can run past the timeout (scoring itself takes milliseconds), so a container that would
    /// answer too late is waited for until the timeout and then failed, as SageMaker does.
    private func invokeWithinTimeout(_ body: Data) throws -> Data {
        let timeout = settings.invocationTimeout
        if settings.container.addedLatency > timeout {
            let (seconds, attoseconds) = timeout.components
            Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
            throw ContainerError(status: 0, message: Self.timeoutMessage(timeout))
        }
        return try settings.container.invoke(body: body, contentType: settings.contentType, accept: settings.accept,
                                             mode: .batchTransform).body
    }

    static func timeoutMessage(_ timeout: Duration) -> String {
        "The invocation timed out after InvocationsTimeoutInSeconds (\(timeout.components.seconds) s) while waiting for a response from the container. Raise ModelClientConfig.InvocationsTimeoutInSeconds (up to 3600) or make the model answer faster."
    }
}

/// The mini-batches of one object, numbered as they are read, and whose turn it is to write.
///
/// `batcher` and `sink` are not Sendable; the locks make them safe to share: the batcher is used
/// only under `reading`, the sink only by the worker whose turn it is.
private final class Turns: @unchecked Sendable {
    private let batcher: RecordBatcher
    let sink: any ObjectSink
    /// MaxConcurrentTransforms: the mini-batches of a wave.
    private let wave: Int
    private let reading = NSLock()
    private var nextSequence = 0
    private var exhausted = false
    /// The mini-batch whose read failed, and why.
    private var readFailure: (sequence: Int, error: any Error)?
    private let turn = NSCondition()
    private var nextToWrite = 0
    private var failed: (any Error)?

    init(batcher: RecordBatcher, sink: any ObjectSink, wave: Int) {
        self.batcher = batcher
        self.sink = sink
        self.wave = wave
    }

    var failure: (any Error)? { turn.withLock { failed } }

    /// The next mini-batch and its number (or why it could not be read), or nil when there is
    /// nothing more to do.
    func take(isStopped: () -> Bool) -> (Int, Result<MiniBatch, any Error>)? {
        reading.withLock {
            guard !exhausted, readFailure == nil, failure == nil else { return nil }
            defer { nextSequence += 1 }
            if isStopped() {
                exhausted = true
                return (nextSequence, .failure(FileTransformer.Stopped()))
            }
            guard let result = read() else { return nil }
            return (nextSequence, result)
        }
    }

    /// Reads mini-batch `nextSequence` (under `reading`); nil at the end of the object.
    private func read() -> Result<MiniBatch, any Error>? {
        do {
            guard let batch = try batcher.next() else {
                exhausted = true
                return nil
            }
            return .success(batch)
        } catch {
            let failure = (error as? BatchingError).map {
                FileFailure(kind: "ClientError", status: 413, record: $0.record, message: $0.message)
            } ?? error
            readFailure = (nextSequence, failure)
            return .failure(failure)
        }
    }

    /// Waits until every earlier mini-batch is written; false if one failed (nothing more is
    /// written then, so the turn does not matter).
    func waitForTurn(_ sequence: Int) -> Bool {
        turn.withLock {
            while nextToWrite != sequence && failed == nil { turn.wait() }
            return failed == nil
        }
    }

    /// Ends mini-batch `sequence`'s turn, with the reason the file fails if it does.
    func done(_ sequence: Int, failure: (any Error)?) {
        let failure = failure.map { precedingReadFailure(sequence) ?? $0 }
        turn.withLock {
            if failed == nil, let failure { failed = failure }
            nextToWrite = sequence + 1
            turn.broadcast()
        }
    }

    /// A read failure in the same wave as a mini-batch that failed to score or write: reading
    /// the whole wave came first when waves went one at a time, so it is the reason reported.
    private func precedingReadFailure(_ sequence: Int) -> (any Error)? {
        let waveEnd = (sequence / wave + 1) * wave
        return reading.withLock {
            while nextSequence < waveEnd && !exhausted && readFailure == nil {
                _ = read()  // read only to learn whether it fails
                nextSequence += 1
            }
            guard let readFailure, readFailure.sequence > sequence, readFailure.sequence < waveEnd else { return nil }
            return readFailure.error
        }
    }
}
