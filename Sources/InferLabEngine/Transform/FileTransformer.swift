import Foundation
import Synchronization

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
            var wave: [MiniBatch] = []
            while true {
                if isStopped() { throw Stopped() }
                wave.removeAll(keepingCapacity: true)
                do {
                    while wave.count < settings.maxConcurrent, let batch = try batcher.next() { wave.append(batch) }
                } catch let error as BatchingError {
                    throw FileFailure(kind: "ClientError", status: 413, record: error.record, message: error.message)
                }
                if wave.isEmpty { return }
                for written in try score(wave) { try sink.write(written) }
                progress(wave.reduce(0) { $0 + $1.recordCount }, wave.count)
            }
        }
    }

    /// Scores a wave of mini-batches concurrently; returns what to write for each, in order.
    private func score(_ wave: [MiniBatch]) throws -> [Data] {
        let results = Mutex<[Result<Data, FileFailure>?]>(Array(repeating: nil, count: wave.count))
        let work: @Sendable (Int) -> Void = { index in
            let outcome = Result { try self.output(for: wave[index]) }.mapError { error -> FileFailure in
                error as? FileFailure ?? FileFailure(kind: "AlgorithmError", status: 500, record: nil, message: "\(error)")
            }
            results.withLock { $0[index] = outcome }
        }
        if wave.count == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: wave.count, execute: work) }
        return try results.withLock { outcomes in try outcomes.map { try $0!.get() } }
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
                return try settings.container.invoke(body: body, contentType: settings.contentType, accept: settings.accept,
                                                     mode: .batchTransform).body
            } catch let error as ContainerError {
                let record = error.record.map { batch.firstRecord + $0 - 1 }
                // A 4xx is the input's fault and fails the same way again; 5xx and timeouts are retried.
                if error.status < 500 || attempt >= settings.maxRetries {
                    throw FileFailure(kind: error.status < 500 ? "ClientError" : "AlgorithmError", status: error.status,
                                      record: record, message: error.message)
                }
                attempt += 1
                log("Retrying a request that failed with \(error.status) (attempt \(attempt + 1) of \(settings.maxRetries + 1))")
            }
        }
    }
}
