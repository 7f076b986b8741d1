#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One request body for the model: whole records of one file, in order.
public struct MiniBatch: Sendable {
    public var payload: Data
    /// Where each record starts in `payload` (a record runs to the next start or the end).
    public var recordStarts: [Int]
    /// The 1-based line number (record number) of the first record in its file.
    public var firstRecord: Int
    /// The 0-based number of the mini-batch in its file, and where this part of it lies: a
    /// batcher with a part size hands a mini-batch out in parts (see `RecordBatcher`).
    public var batch = 0
    public var isFirstPart = true
    public var isLastPart = true

    public var recordCount: Int { recordStarts.count }

    /// Record `index`, with its line ending removed.
    public func record(_ index: Int) -> Data {
        let start = recordStarts[index]
        var end = index + 1 < recordStarts.count ? recordStarts[index + 1] : payload.count
        if end > start, payload[payload.startIndex + end - 1] == 0x0A { end -= 1 }
        if end > start, payload[payload.startIndex + end - 1] == 0x0D { end -= 1 }
        return payload.subdata(in: (payload.startIndex + start)..<(payload.startIndex + end))
    }
}

/// A record or file that cannot be sent, with the 1-based record where it happened.
public struct BatchingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var record: Int?
    public var message: String
    public var description: String { message }
}

/// Reads an object as a stream and cuts it into mini-batches as batch transform does (§2.3):
/// SplitType None sends the whole object; Line splits at newlines, each record keeping its `\n`;
/// MultiRecord packs consecutive records while the payload stays within MaxPayloadInMB,
/// SingleRecord sends one at a time. Memory stays within one payload plus one read chunk.
///
/// With a `partBytes` below MaxPayloadInMB, each mini-batch is formed by the same rule but
/// handed out in consecutive parts of about `partBytes` (whole records, the last part flagged),
/// so memory stays within one part plus one record and one read chunk, whatever MaxPayloadInMB.
/// A part is cut only between two records that both begin with visible text: containers treat a
/// blank line or a byte-order mark by its place in a request (a trailing blank line is ignored, one
/// between records is an error), so such a line stays where it was, inside a part.
///
/// The unsent bytes live in one buffer this class owns, scanned with `memchr` and compacted with
/// one `memmove` per mini-batch: a `Data` scanned with `firstIndex` and rebuilt per batch cost
/// more than scoring a linear model (a class's stored `Data` is also checked for exclusive
/// access on every touch, which dominated the profile).
public final class RecordBatcher {
    private let source: any ObjectSource
    private let inflater: Inflater?
    private let splitByLine: Bool
    private let singleRecord: Bool
    private let maxPayload: Int
    private let partBytes: Int
    /// Bytes of the current mini-batch already handed out in earlier parts, and its number.
    private var batchBytes = 0
    private var batchIndex = 0
    /// `buffer[0..<count]` holds what has been read and not yet sent; the next record starts at 0.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private var sourceDone = false
    private var nextRecord = 1
    private var finished = false
    /// Records in the last mini-batch, to size the next one's `recordStarts` once.
    private var lastRecordCount = 0

    /// - Parameter partBytes: the size of the parts mini-batches are handed out in; nil for whole
    ///   mini-batches. With SplitType None the object (one mini-batch) is cut at line ends, for a
    ///   container that reads a request line by line; one over MaxPayloadInMB fails at the part
    ///   that crosses the limit, with the error the whole object gets.
    public init(source: any ObjectSource, gzip: Bool, splitByLine: Bool, singleRecord: Bool, maxPayloadBytes: Int,
                partBytes: Int? = nil) throws {
        self.source = source
        self.inflater = gzip ? try Inflater() : nil
        self.splitByLine = splitByLine
        self.singleRecord = singleRecord
        self.maxPayload = maxPayloadBytes
        self.partBytes = partBytes.map { max(1, $0) } ?? Int.max
        capacity = 1 << 16
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The number of the mini-batch the next call reads (or fails to read), from 0.
    public var nextBatch: Int { batchIndex }

    /// The next mini-batch (or part of one), or nil at the end of the object.
    public func next() throws -> MiniBatch? {
        guard !finished else { return nil }
        if !splitByLine && partBytes == Int.max { return try wholeObject() }
        // SplitType None in parts: the object is one mini-batch, cut at line ends like Line's.
        let maxPayload = splitByLine ? self.maxPayload : Int.max
        var starts: [Int] = []
        starts.reserveCapacity(singleRecord ? 1 : min(lastRecordCount + lastRecordCount / 8 + 16, 1 << 20))
        var payloadEnd = 0
        var scan = 0
        // Positions are in this part; `batchBytes + position` is in the mini-batch.
        let batchBytes = self.batchBytes
        var batchEnds = true
        records: while true {
            let batchIsEmpty = batchBytes == 0 && starts.isEmpty
            // Find the end of the next record in what is buffered, reading more when needed.
            var lineEnd: Int?
            while lineEnd == nil {
                if scan < count, let newline = memchr(buffer + scan, 0x0A, count - scan) {
                    lineEnd = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
                } else if sourceDone {
                    lineEnd = count > payloadEnd ? count : nil
                    break
                } else {
                    // The record being read already ends past MaxPayloadInMB, so it cannot join this
                    // mini-batch: send what we have now (the next call reads or refuses it) rather
                    // than buffer a record of any size only to find that out at its end.
                    if !batchIsEmpty && batchBytes + count > maxPayload { break records }
                    // Refused as soon as what is buffered of it, without its line end, is over the
                    // limit (checked before reading more: the chunk read next may end the record).
                    if batchIsEmpty && count - payloadEnd > maxPayload { throw oversized(nextRecord) }
                    scan = count
                    try fill()
                }
            }
            guard let end = lineEnd else { break }  // end of object
            let recordLength = end - payloadEnd
            if recordLength > maxPayload { if batchIsEmpty { throw oversized(nextRecord) } else { break } }
            if batchBytes + end > maxPayload && !batchIsEmpty { break }  // the next record would overflow: send what we have
            // The record belongs to this mini-batch; past the part size it starts the next part.
            if end > partBytes && !starts.isEmpty && mayCut(before: payloadEnd, after: starts[starts.count - 1]) {
                batchEnds = false
                break
            }
            starts.append(payloadEnd)
            payloadEnd = end
            scan = end
            nextRecord += 1
            if singleRecord { break }
        }
        guard !starts.isEmpty else {
            finished = true
            return nil
        }
        if !splitByLine && batchBytes + payloadEnd > self.maxPayload { throw oversized(1, whole: true) }
        let payload = Data(bytes: buffer, count: payloadEnd)
        count -= payloadEnd
        if count > 0 { memmove(buffer, buffer + payloadEnd, count) }
        lastRecordCount = starts.count
        var batch = MiniBatch(payload: payload, recordStarts: starts, firstRecord: nextRecord - starts.count)
        batch.batch = batchIndex
        batch.isFirstPart = batchBytes == 0
        batch.isLastPart = batchEnds
        if batchEnds {
            self.batchBytes = 0
            batchIndex += 1
        } else {
            self.batchBytes += payloadEnd
        }
        return batch
    }

    /// Whether a part may end between the record at `previous` and the one at `next` (buffer
    /// offsets, the next one whole in the buffer): both must begin with a visible ASCII character.
    private func mayCut(before next: Int, after previous: Int) -> Bool {
        @inline(__always) func visible(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
        return next < count && visible(buffer[next]) && visible(buffer[previous])
    }

    private func wholeObject() throws -> MiniBatch? {
        finished = true
        while !sourceDone {
            try fill()
            if count > maxPayload { throw oversized(1, whole: true) }
        }
        if count == 0 { return nil }
        return MiniBatch(payload: Data(bytes: buffer, count: count), recordStarts: [0], firstRecord: 1)
    }

    private func fill() throws {
        let chunk = try source.read(upTo: 1 << 20)
        if chunk.isEmpty {
            sourceDone = true
            if let inflater { _ = try inflater.finish() }
            return
        }
        if let inflater {
            do { append(try inflater.push(chunk)) } catch {
                throw BatchingError(record: nil, message: "CompressionType is Gzip but the object is not valid gzip: \(error)")
            }
        } else {
            append(chunk)
        }
    }

    private func append(_ data: Data) {
        if count + data.count > capacity {
            capacity = max(count + data.count, 2 * capacity)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: buffer, count: count)
            buffer.deallocate()
            buffer = grown
        }
        data.copyBytes(to: buffer + count, count: data.count)
        count += data.count
    }

    private func oversized(_ record: Int, whole: Bool = false) -> BatchingError {
        let limit = maxPayload / (1 << 20)
        if whole {
            return BatchingError(record: nil, message: "The object is larger than MaxPayloadInMB (\(limit) MB) and SplitType is None, so it cannot be sent as one request. Set SplitType to Line, or raise MaxPayloadInMB.")
        }
        return BatchingError(record: record, message: "Record is larger than \(limit)MB. Please increase your max_payload (MaxPayloadInMB).")
    }
}
