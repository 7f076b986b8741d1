import Foundation

/// The mini-batches (or parts of them) of one object, numbered as they are read, whose turn it is
/// to write, and how far the mini-batch being written has got.
///
/// `batcher` and `sink` are not Sendable; the locks make them safe to share: the batcher is used
/// only under `reading`, the sink and the written state only by the worker whose turn it is.
final class Turns: @unchecked Sendable {
    struct Taken {
        var sequence: Int
        /// The mini-batch it is (of), counted from 0.
        var batch: Int
        var result: Result<MiniBatch, any Error>
    }

    private let batcher: RecordBatcher
    let sink: any ObjectSink
    /// MaxConcurrentTransforms: the mini-batches of a wave.
    private let wave: Int
    private let reading = NSLock()
    private var nextSequence = 0
    private var exhausted = false
    /// The mini-batch whose read failed, and why.
    private var readFailure: (batch: Int, error: any Error)?
    private let turn = NSCondition()
    private var nextToWrite = 0
    private var failed: (any Error)?

    // The turn holder's: the mini-batch being written.
    private(set) var batchRecords = 0
    private var batchWritten = 0
    private var batchHasPredictions = false
    private var batchLastByte: UInt8?
    /// A mini-batch written whole after one of its parts failed: its later parts are not written.
    var skippedBatch: Int?

    init(batcher: RecordBatcher, sink: any ObjectSink, wave: Int) {
        self.batcher = batcher
        self.sink = sink
        self.wave = wave
    }

    var failure: (any Error)? { turn.withLock { failed } }

    /// The next piece of work, or nil when there is nothing more to do.
    func take(isStopped: () -> Bool) -> Taken? {
        reading.withLock {
            guard !exhausted, readFailure == nil, failure == nil else { return nil }
            defer { nextSequence += 1 }
            if isStopped() {
                exhausted = true
                return Taken(sequence: nextSequence, batch: batcher.nextBatch, result: .failure(FileTransformer.Stopped()))
            }
            guard let result = read() else { return nil }
            return Taken(sequence: nextSequence, batch: (try? result.get())?.batch ?? batcher.nextBatch, result: result)
        }
    }

    /// Reads the next piece (under `reading`); nil at the end of the object.
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
            readFailure = (batcher.nextBatch, failure)
            return .failure(failure)
        }
    }

    /// Waits until every earlier piece is written; false if one failed (nothing more is written
    /// then, so the turn does not matter).
    func waitForTurn(_ sequence: Int) -> Bool {
        turn.withLock {
            while nextToWrite != sequence && failed == nil { turn.wait() }
            return failed == nil
        }
    }

    /// Ends piece `sequence`'s turn, with the reason the file fails if it does.
    func done(_ sequence: Int, batch: Int, failure: (any Error)?) {
        let failure = failure.map { precedingReadFailure(batch) ?? $0 }
        turn.withLock {
            if failed == nil, let failure { failed = failure }
            nextToWrite = sequence + 1
            turn.broadcast()
        }
    }

    /// Writes a part's output (in its turn): with `framing`, its predictions joined into the
    /// mini-batch's response; without, as it is (output lines of filters or a join).
    func writePart(_ data: Data, of part: MiniBatch, framing: ResponseFraming?, assembleWithLine: Bool) throws {
        if part.isFirstPart {
            batchRecords = 0
            batchWritten = 0
            batchHasPredictions = false
            batchLastByte = nil
        }
        batchRecords += part.recordCount
        guard let framing else { return try write(data) }
        if part.isFirstPart { try write(framing.prefix) }
        if !data.isEmpty {
            if batchHasPredictions { try write(framing.separator) }
            try write(data)
            batchHasPredictions = true
        }
        guard part.isLastPart else { return }
        try write(framing.suffix)
        // AssembleWith Line: every response ends with exactly one newline.
        if assembleWithLine, let last = batchLastByte, last != 0x0A { try write([0x0A]) }
    }

    /// Writes what the parts of the mini-batch being written have not, of its whole output.
    func writeRest(of output: Data) throws {
        if batchWritten < output.count { try sink.write(output.subdata(in: (output.startIndex + batchWritten)..<output.endIndex)) }
    }

    private func write(_ data: Data) throws {
        guard let last = data.last else { return }
        try sink.write(data)
        batchWritten += data.count
        batchLastByte = last
    }

    private func write(_ bytes: [UInt8]) throws {
        guard let last = bytes.last else { return }
        try bytes.withUnsafeBytes { try sink.write($0) }
        batchWritten += bytes.count
        batchLastByte = last
    }

    /// A read failure in the same wave as a mini-batch that failed to score or write: reading
    /// the whole wave came first when waves went one at a time, so it is the reason reported.
    private func precedingReadFailure(_ batch: Int) -> (any Error)? {
        let waveEnd = (batch / wave + 1) * wave
        return reading.withLock {
            while batcher.nextBatch < waveEnd && !exhausted && readFailure == nil {
                _ = read()  // read only to learn whether it fails
                nextSequence += 1
            }
            guard let readFailure, readFailure.batch > batch, readFailure.batch < waveEnd else { return nil }
            return readFailure.error
        }
    }
}
