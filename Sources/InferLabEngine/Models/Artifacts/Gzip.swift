import CGzip
import Foundation

/// gzip through zlib, in memory and as a stream.
public enum Gzip {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Compresses `data` into gzip format.
    public static func compress(_ data: Data, level: Int32 = 6) throws -> Data {
        var stream = z_stream()
        guard czlib_deflate_init_gzip(&stream, level) == Z_OK else { throw Failure(description: "cannot start gzip compression") }
        defer { deflateEnd(&stream) }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            var status: Int32 = Z_OK
            while status != Z_STREAM_END {
                try buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = deflate(&stream, Z_FINISH)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw Failure(description: "gzip compression failed (\(status))")
                    }
                    output.append(out.baseAddress!, count: out.count - Int(stream.avail_out))
                }
            }
        }
        return output
    }

    /// Decompresses gzip (or zlib) data; concatenated gzip members are read in turn.
    public static func decompress(_ data: Data) throws -> Data {
        let inflater = try Inflater()
        var output = try inflater.push(data)
        output.append(try inflater.finish())
        return output
    }
}

/// Streaming gzip decompression: feed compressed chunks, get decompressed bytes back.
public final class Inflater {
    private var stream = z_stream()
    private var ended = false
    private var buffer = [UInt8](repeating: 0, count: 256 << 10)

    public init() throws {
        guard czlib_inflate_init_gzip(&stream) == Z_OK else { throw Gzip.Failure(description: "cannot start gzip decompression") }
    }

    deinit { inflateEnd(&stream) }

    /// Decompresses one chunk of input.
    /// - Throws: when the data is not gzip or is corrupt.
    public func push(_ chunk: Data) throws -> Data {
        var output = Data()
        try chunk.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            guard input.count > 0 else { return }
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while stream.avail_in > 0 {
                if ended {
                    // Another gzip member follows (as `cat a.gz b.gz` makes): start again.
                    guard inflateReset(&stream) == Z_OK else { throw Gzip.Failure(description: "corrupt gzip data") }
                    ended = false
                }
                try buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    switch status {
                    case Z_OK, Z_BUF_ERROR: break
                    case Z_STREAM_END: ended = true
                    default: throw Gzip.Failure(description: "the data is not valid gzip (zlib status \(status))")
                    }
                    output.append(out.baseAddress!, count: out.count - Int(stream.avail_out))
                }
            }
        }
        return output
    }

    /// Checks the stream ended cleanly.
    /// - Throws: when the gzip data was cut short.
    public func finish() throws -> Data {
        guard ended else { throw Gzip.Failure(description: "the gzip data is truncated") }
        return Data()
    }
}
