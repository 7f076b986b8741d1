import Foundation

/// One request body for the model: whole records of one file, in order.
public struct MiniBatch: Sendable {
    public var payload: Data
    /// Where each record starts in `payload` (a record runs to the next start or the end).
    public var recordStarts: [Int]
    /// The 1-based line number (record number) of the first record in its file.
    public var firstRecord: Int

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
public final class RecordBatcher {
    private let source: any ObjectSource
    private let inflater: Inflater?
    private let splitByLine: Bool
    private let singleRecord: Bool
    private let maxPayload: Int
    private var pending = Data()
    private var sourceDone = false
    private var nextRecord = 1
    private var finished = false

    public init(source: any ObjectSource, gzip: Bool, splitByLine: Bool, singleRecord: Bool, maxPayloadBytes: Int) throws {
        self.source = source
        self.inflater = gzip ? try Inflater() : nil
        self.splitByLine = splitByLine
        self.singleRecord = singleRecord
        self.maxPayload = maxPayloadBytes
    }

    /// The next mini-batch, or nil at the end of the object.
    public func next() throws -> MiniBatch? {
        guard !finished else { return nil }
        if !splitByLine { return try wholeObject() }
        var starts: [Int] = []
        var payloadEnd = 0
        var scan = 0
        while true {
            // Find the end of the next record in what is buffered, reading more when needed.
            var lineEnd: Int?
            while lineEnd == nil {
                if let newline = pending[(pending.startIndex + scan)...].firstIndex(of: 0x0A) {
                    lineEnd = newline - pending.startIndex + 1
                } else if sourceDone {
                    lineEnd = pending.count > payloadEnd ? pending.count : nil
                    break
                } else {
                    scan = pending.count
                    try fill()
                    if pending.count - payloadEnd > maxPayload + 1 && starts.isEmpty {
                        throw oversized(nextRecord)
                    }
                }
            }
            guard let end = lineEnd else { break }  // end of object
            let recordLength = end - payloadEnd
            if recordLength > maxPayload { if starts.isEmpty { throw oversized(nextRecord) } else { break } }
            if end > maxPayload && !starts.isEmpty { break }  // the next record would overflow: send what we have
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
        let payload = pending.prefix(payloadEnd)
        pending = Data(pending.dropFirst(payloadEnd))
        return MiniBatch(payload: Data(payload), recordStarts: starts, firstRecord: nextRecord - starts.count)
    }

    private func wholeObject() throws -> MiniBatch? {
        finished = true
        while !sourceDone {
            try fill()
            if pending.count > maxPayload { throw oversized(1, whole: true) }
        }
        if pending.isEmpty { return nil }
        return MiniBatch(payload: pending, recordStarts: [0], firstRecord: 1)
    }

    private func fill() throws {
        let chunk = try source.read(upTo: 1 << 20)
        if chunk.isEmpty {
            sourceDone = true
            if let inflater { _ = try inflater.finish() }
            return
        }
        if let inflater {
            do { pending.append(try inflater.push(chunk)) } catch {
                throw BatchingError(record: nil, message: "CompressionType is Gzip but the object is not valid gzip: \(error)")
            }
        } else {
            pending.append(chunk)
        }
    }

    private func oversized(_ record: Int, whole: Bool = false) -> BatchingError {
        let limit = maxPayload / (1 << 20)
        if whole {
            return BatchingError(record: nil, message: "The object is larger than MaxPayloadInMB (\(limit) MB) and SplitType is None, so it cannot be sent as one request. Set SplitType to Line, or raise MaxPayloadInMB.")
        }
        return BatchingError(record: record, message: "Record is larger than \(limit)MB. Please increase your max_payload (MaxPayloadInMB).")
    }
}
