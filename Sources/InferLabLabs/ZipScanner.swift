import CGzip
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small zip reader for untrusted bundles: the central directory is parsed with every offset
/// and length checked against the file, and entries are inflated with zlib in 64 KiB chunks,
/// each handed to a consumer that may stop the reading. (ZIPFoundation, which writes bundles,
/// loops forever on a deflate stream cut short, so it does not read them.)
///
/// Only what `lab submit` writes is accepted: stored or deflated entries, no zip64, no encryption.
struct ZipScanner {
    struct Entry {
        var path: String
        var isDirectory: Bool
        var isSymlink: Bool
        var method: UInt16
        var crc: UInt32
        var compressedSize: Int64
        var uncompressedSize: Int64
        var localHeaderOffset: Int64
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private let descriptor: Int32
    private let size: Int64
    let name: String

    init(url: URL) throws {
        name = url.lastPathComponent
        descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(description: "\(url.path) cannot be opened") }
        // The size by seeking: `stat`'s members are not visible from this module under
        // MemberImportVisibility (Swift files them under CoreFoundation). Reads use pread.
        size = Int64(lseek(descriptor, 0, SEEK_END))
    }

    func close() { _ = Glibc.close(descriptor) }

    private func bytes(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, Int64(count) <= size - offset else {
            throw Failure(description: "it points past its own end (offset \(offset), \(count) bytes, file of \(size))")
        }
        var buffer = [UInt8](repeating: 0, count: count)
        let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        guard read == count else { throw Failure(description: "it cannot be read at offset \(offset)") }
        return buffer
    }

    private static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ at: Int) -> UInt32 { UInt32(u16(b, at)) | UInt32(u16(b, at + 2)) << 16 }

    /// The entries of the central directory, in order, at most `limit` of them.
    func entries(limit: Int) throws -> [Entry] {
        let tailSize = Int(min(size, 22 + 65_535))
        let tail = try bytes(at: size - Int64(tailSize), count: tailSize)
        guard tailSize >= 22, let end = stride(from: tailSize - 22, through: 0, by: -1).first(where: { Self.u32(tail, $0) == 0x0605_4B50 }) else {
            throw Failure(description: "it has no end of central directory: not a zip, or cut short")
        }
        let count = Int(Self.u16(tail, end + 10))
        let directorySize = Int64(Self.u32(tail, end + 12)), directoryOffset = Int64(Self.u32(tail, end + 16))
        guard count != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else {
            throw Failure(description: "it is a zip64 archive, which `lab submit` never writes")
        }
        guard count <= limit else { throw BundleReader.LimitHit(reason: "the bundle has more than \(limit) entries; a real bundle has fewer than 50") }
        let directory = try bytes(at: directoryOffset, count: Int(directorySize))
        var entries: [Entry] = []
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, Self.u32(directory, at) == 0x0201_4B50 else {
                throw Failure(description: "its central directory is damaged at entry \(entries.count + 1)")
            }
            let nameLength = Int(Self.u16(directory, at + 28)), extra = Int(Self.u16(directory, at + 30)), comment = Int(Self.u16(directory, at + 32))
            guard at + 46 + nameLength + extra + comment <= directory.count else {
                throw Failure(description: "its central directory is damaged at entry \(entries.count + 1)")
            }
            let flags = Self.u16(directory, at + 8)
            let system = Self.u16(directory, at + 4) >> 8
            let mode = (Self.u32(directory, at + 38) >> 16) & 0xF000
            let path = String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            let entry = Entry(path: path, isDirectory: path.hasSuffix("/"), isSymlink: system == 3 && mode == 0xA000,
                              method: Self.u16(directory, at + 10), crc: Self.u32(directory, at + 16),
                              compressedSize: Int64(Self.u32(directory, at + 20)), uncompressedSize: Int64(Self.u32(directory, at + 24)),
                              localHeaderOffset: Int64(Self.u32(directory, at + 42)))
            if flags & 1 != 0 { throw Failure(description: "entry \(Display.text(path)) is encrypted, which `lab submit` never does") }
            if entry.compressedSize == 0xFFFF_FFFF || entry.uncompressedSize == 0xFFFF_FFFF || entry.localHeaderOffset == 0xFFFF_FFFF {
                throw Failure(description: "entry \(Display.text(path)) is a zip64 entry, which `lab submit` never writes")
            }
            entries.append(entry)
            at += 46 + nameLength + extra + comment
        }
        return entries
    }

    /// Inflates (or copies) an entry in chunks; `consumer` may throw to stop. Checks the CRC and
    /// the size the header gives once the whole entry is read.
    func extract(_ entry: Entry, consumer: ([UInt8]) throws -> Void) throws {
        let header = try bytes(at: entry.localHeaderOffset, count: 30)
        guard Self.u32(header, 0) == 0x0403_4B50 else { throw Failure(description: "entry \(Display.text(entry.path)) has no local header where the directory says") }
        var offset = entry.localHeaderOffset + 30 + Int64(Self.u16(header, 26)) + Int64(Self.u16(header, 28))
        let end = offset + entry.compressedSize
        guard end <= size else { throw Failure(description: "entry \(Display.text(entry.path)) runs past the end of the file: the zip was cut short") }
        var crc = crc32(0, nil, 0)
        var produced: Int64 = 0
        func emit(_ chunk: [UInt8]) throws {
            crc = chunk.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
            produced += Int64(chunk.count)
            try consumer(chunk)
        }
        let chunkSize = 64 << 10
        switch entry.method {
        case 0:
            while offset < end {
                try emit(try bytes(at: offset, count: Int(min(Int64(chunkSize), end - offset))))
                offset += Int64(min(Int64(chunkSize), end - offset))
            }
        case 8:
            var stream = z_stream()
            guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw Failure(description: "zlib cannot start")
            }
            defer { inflateEnd(&stream) }
            var output = [UInt8](repeating: 0, count: chunkSize)
            var finished = false
            while !finished {
                guard offset < end else { throw Failure(description: "entry \(Display.text(entry.path)) is cut short: its deflate stream does not end") }
                var input = try bytes(at: offset, count: Int(min(Int64(chunkSize), end - offset)))
                offset += Int64(input.count)
                try input.withUnsafeMutableBufferPointer { inputPointer in
                    stream.next_in = inputPointer.baseAddress
                    stream.avail_in = uInt(inputPointer.count)
                    repeat {
                        let (status, made) = output.withUnsafeMutableBufferPointer { outputPointer -> (Int32, Int) in
                            stream.next_out = outputPointer.baseAddress
                            stream.avail_out = uInt(outputPointer.count)
                            let status = inflate(&stream, Z_NO_FLUSH)
                            return (status, outputPointer.count - Int(stream.avail_out))
                        }
                        if made > 0 { try emit(Array(output[0..<made])) }
                        switch status {
                        case Z_STREAM_END: finished = true
                        case Z_OK, Z_BUF_ERROR: break
                        default: throw Failure(description: "entry \(Display.text(entry.path)) is not valid deflate data: the zip is damaged")
                        }
                        if status == Z_BUF_ERROR && made == 0 { break }
                    } while !finished && (stream.avail_in > 0 || stream.avail_out == 0)
                }
            }
        default:
            throw Failure(description: "entry \(Display.text(entry.path)) uses compression method \(entry.method); `lab submit` writes deflate only")
        }
        guard produced == entry.uncompressedSize, UInt32(crc) == entry.crc else {
            throw Failure(description: "entry \(Display.text(entry.path)) does not match its header (size or CRC): the zip is damaged or was edited by hand")
        }
    }
}
