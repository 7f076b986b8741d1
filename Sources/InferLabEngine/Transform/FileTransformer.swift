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
/// Workers each take the next piece of work, have it scored, wait for its turn and write its
/// result (and hash it for the ETag), then take another. So one worker writes while the others
/// read and score, every core stays busy, and memory does not grow with the input.
///
/// **Bounded memory (what is observable, and what is not).** A mini-batch is formed exactly as
/// SageMaker forms it (greedy packing under MaxPayloadInMB, SingleRecord, oversized records), and
/// what a job shows of it stays the same: the mini-batch count and records in the progress, the
/// output's bytes and order, AssembleWith's newline per response, the failure and its record. But
/// a mini-batch of up to 100 MB is not held: with a container that scores each line on its own
/// (`PartwiseScoring`: the built-in Linear Learner and XGBoost for line records), the batcher
/// hands each mini-batch (with SplitType None, the object) out in parts of `partBytes`, the parts are scored as requests of their
/// own and their responses joined into the mini-batch's response as they are written. At most
/// `workerPool` parts are in flight, each holding one part and its response, whatever
/// MaxPayloadInMB and MaxConcurrentTransforms (up to 100 of them at 1 MB): a fixed pool of
/// buffers, not one per request. The number of simultaneous requests of such a container is not
/// observable (scoring is a function of the records), only the time, which more threads than
/// cores would not improve. A part that fails does not decide the failure: the whole mini-batch is
/// then read again and scored as one request, so the error, its message and its record number are
/// the whole request's (this failure path holds one whole mini-batch). Containers that are not
/// partwise (the kit's slow-model latency, custom framing) get whole mini-batches and
/// MaxConcurrentTransforms workers, as before, because there the concurrency is observable.
///
/// Failures are reported as reading, scoring and writing one wave (MaxConcurrentTransforms
/// mini-batches) at a time reported them: the first mini-batch that failed, except that a wave's
/// read failure (a record over MaxPayloadInMB) came before any of that wave was scored.
struct FileTransformer: Sendable {
    let settings: TransformSettings
    let store: any ObjectStore
    let isStopped: @Sendable () -> Bool
    let log: @Sendable (String) -> Void
    let progress: @Sendable (_ records: Int, _ batches: Int) -> Void

    struct Stopped: Error {}
    /// A part's response without the framing its container declared.
    private struct FramingMismatch: Error {}

    /// The size of the parts a mini-batch is scored in (about 1 MB of Linear Learner JSON Lines
    /// out). With parts of 1 MiB (4 MB of response each) the allocator kept more of what the
    /// workers freed: the 1 M-row job peaked at 60–63 MiB instead of 46 MiB, in the same time.
    static let partBytes = 1 << 18
    /// Parts in flight at most (the workers of a partwise job).
    static let workerPool = 4
    /// S3's part size for the output's multipart ETag: the AWS CLI's multipart_chunksize (and
    /// multipart_threshold), 8 MiB. SageMaker uploads a transform's output by multipart upload
    /// (§2.4); its own part size is not documented, so the CLI's default stands in for it.
    static let outputPartSize = 8 << 20

    func transform(input: S3Location, output: S3Location) throws {
        let source = try store.openObject(bucket: input.bucket, key: input.key)
        defer { source.close() }
        let framing = (settings.container as? any PartwiseScoring)?
            .partFraming(contentType: settings.contentType, accept: settings.accept, mode: .batchTransform)
        let batcher: RecordBatcher
        do {
            batcher = try RecordBatcher(source: source, gzip: settings.gzip, splitByLine: settings.splitByLine,
                                        singleRecord: settings.singleRecord, maxPayloadBytes: settings.maxPayloadBytes,
                                        partBytes: framing == nil ? nil : Self.partBytes)
        } catch {
            throw FileFailure(kind: "ClientError", status: 400, record: nil, message: "\(error)")
        }
        let workers = framing == nil ? settings.maxConcurrent : min(settings.maxConcurrent, Self.workerPool)
        try store.writeObject(bucket: output.bucket, key: output.key, contentType: nil, metadata: [:],
                              multipartPartSize: Self.outputPartSize) { sink in
            let turns = Turns(batcher: batcher, sink: sink, wave: settings.maxConcurrent)
            let work: @Sendable (Int) -> Void = { _ in self.work(turns, framing: framing, input: input) }
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
            if let failure = turns.failure { throw failure }
        }
    }

    /// One worker: take a mini-batch (or part), score it, write it in its turn; until the object
    /// ends or something fails.
    private func work(_ turns: Turns, framing: ResponseFraming?, input: S3Location) {
        while let taken = turns.take(isStopped: isStopped) {
            let result: Result<Data, any Error> = taken.result.flatMap { batch in
                Result { try framing.map { try partOutput(for: batch, framing: $0) } ?? output(for: batch) }.mapError(Self.failure)
            }
            guard turns.waitForTurn(taken.sequence) else { return }
            do {
                try commit(taken, result, turns, framing: framing, input: input)
                turns.done(taken.sequence, batch: taken.batch, failure: nil)
            } catch {
                turns.done(taken.sequence, batch: taken.batch, failure: error)
            }
        }
    }

    private static func failure(_ error: any Error) -> any Error {
        error is FramingMismatch ? error
            : error as? FileFailure ?? FileFailure(kind: "AlgorithmError", status: 500, record: nil, message: "\(error)")
    }

    /// In its turn: writes what was scored, or, for a part that failed, the outcome of its whole
    /// mini-batch scored as one request.
    private func commit(_ taken: Turns.Taken, _ result: Result<Data, any Error>, _ turns: Turns,
                        framing: ResponseFraming?, input: S3Location) throws {
        let batch = try taken.result.get()  // a read failure, or the job was stopped
        guard let framing else {
            try turns.sink.write(try result.get())
            progress(batch.recordCount, 1)
            return
        }
        if turns.skippedBatch == batch.batch { return }  // written whole already
        switch result {
        case .success(let data):
            try turns.writePart(data, of: batch, framing: settings.processor.isActive ? nil : framing,
                                assembleWithLine: settings.assembleWithLine)
            progress(batch.recordCount, batch.isLastPart ? 1 : 0)
        case .failure:
            let whole = try wholeMiniBatch(batch.batch, input: input)
            let data = try output(for: whole)
            // The whole request succeeded where a part failed: what the parts have written is its
            // beginning, so the rest follows, and the mini-batch's other parts are skipped.
            try turns.writeRest(of: data)
            progress(whole.recordCount - turns.batchRecords, 1)
            turns.skippedBatch = batch.batch
        }
    }

    /// Mini-batch `index` of the input, whole: read again from the start, as the batcher formed it.
    private func wholeMiniBatch(_ index: Int, input: S3Location) throws -> MiniBatch {
        let source = try store.openObject(bucket: input.bucket, key: input.key)
        defer { source.close() }
        let batcher = try RecordBatcher(source: source, gzip: settings.gzip, splitByLine: settings.splitByLine,
                                        singleRecord: settings.singleRecord, maxPayloadBytes: settings.maxPayloadBytes)
        let next = {
            do { return try batcher.next() } catch let error as BatchingError {
                throw FileFailure(kind: "ClientError", status: 413, record: error.record, message: error.message)
            }
        }
        for _ in 0..<index { _ = try next() }
        guard let batch = try next() else {
            throw FileFailure(kind: "AlgorithmError", status: 500, record: nil, message: "the input changed during the job")
        }
        return batch
    }

    /// A part, scored as a request of its own: its response without the framing (or, with
    /// filters or a join, its output lines). No retries here: a failure goes to the whole.
    private func partOutput(for part: MiniBatch, framing: ResponseFraming) throws -> Data {
        let body = try settings.processor.requestBody(for: part)
        let response = try invokeWithinTimeout(body)
        if settings.processor.isActive { return try settings.processor.outputLines(for: part, response: response) }
        let (prefix, suffix) = (framing.prefix.count, framing.suffix.count)
        guard response.count >= prefix + suffix, response.prefix(prefix).elementsEqual(framing.prefix),
              response.suffix(suffix).elementsEqual(framing.suffix) else { throw FramingMismatch() }
        return prefix == 0 && suffix == 0 ? response : response.subdata(in: (response.startIndex + prefix)..<(response.endIndex - suffix))
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

    /// One invocation, cut off at InvocationsTimeoutInSeconds. A built-in container runs past it
    /// only by the kit's slow-model latency, so one that would answer too late is waited for
    /// until the timeout and then failed, as SageMaker does; a framework container's process is
    /// given the timeout and cut off by it (ScriptContainer).
    private func invokeWithinTimeout(_ body: Data) throws -> Data {
        let timeout = settings.invocationTimeout
        if settings.container.addedLatency > timeout {
            let (seconds, attoseconds) = timeout.components
            Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
            throw ContainerError(status: 0, message: Self.timeoutMessage(timeout))
        }
        return try settings.container.invoke(body: body, contentType: settings.contentType, accept: settings.accept,
                                             mode: .batchTransform, timeout: timeout).body
    }

    static func timeoutMessage(_ timeout: Duration) -> String {
        "The invocation timed out after InvocationsTimeoutInSeconds (\(timeout.components.seconds) s) while waiting for a response from the container. Raise ModelClientConfig.InvocationsTimeoutInSeconds (up to 3600) or make the model answer faster."
    }
}

