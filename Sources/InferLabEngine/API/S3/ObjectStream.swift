import Foundation

/// GetObject's body: an open object, already at the range's start, that yields at most the
/// range's bytes. One reader at a time; close it when done (reading to the end does not).
public final class ObjectStream: @unchecked Sendable {
    private let source: any ObjectSource
    private var remaining: Int64

    init(_ source: any ObjectSource, start: Int64, length: Int64) throws {
        self.source = source
        self.remaining = length
        if start > 0 { try source.seek(to: start) }
    }

    /// Up to `maxCount` bytes; empty at the end.
    public func read(upTo maxCount: Int) throws -> Data {
        guard remaining > 0 else { return Data() }
        let chunk = try source.read(upTo: Int(min(Int64(maxCount), remaining)))
        remaining -= Int64(chunk.count)
        if chunk.isEmpty { remaining = 0 }
        return chunk
    }

    /// Reads into `buffer` (at most the range's remaining bytes); 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0 else { return 0 }
        let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<Int(min(Int64(buffer.count), remaining))]))
        remaining = count == 0 ? 0 : remaining - Int64(count)
        return count
    }

    /// Everything left, in memory (for small objects), and closes.
    public func readAll() throws -> Data {
        defer { close() }
        var data = Data()
        while true {
            let chunk = try read(upTo: 1 << 20)
            if chunk.isEmpty { return data }
            data.append(chunk)
        }
    }

    public func close() { source.close() }
}
