import CGzip
import Crypto
import Foundation

/// The checksums S3 takes and returns (`x-amz-checksum-crc32`, `-crc32c`, `-sha1`, `-sha256`),
/// computed as the bytes stream through; each is reported base64-encoded, as S3 does.
public enum ChecksumAlgorithm: String, Sendable, CaseIterable {
    case crc32 = "CRC32", crc32c = "CRC32C", sha1 = "SHA1", sha256 = "SHA256"

    /// The header S3 carries it in: `x-amz-checksum-crc32`.
    public var header: String { "x-amz-checksum-\(rawValue.lowercased())" }

    public func makeHasher() -> ChecksumHasher { ChecksumHasher(self) }
}

/// One running checksum.
public struct ChecksumHasher {
    public let algorithm: ChecksumAlgorithm
    private var crc: UInt32 = 0
    private var sha1 = Insecure.SHA1()
    private var sha256 = SHA256()

    init(_ algorithm: ChecksumAlgorithm) {
        self.algorithm = algorithm
        if algorithm == .crc32c { crc = 0xFFFF_FFFF }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch algorithm {
        case .crc32:
            // zlib's crc32 is the same CRC (IEEE 802.3) S3 uses, and far faster than a table here.
            guard let base = bytes.baseAddress else { return }
            crc = UInt32(CGzip.crc32(uLong(crc), base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
        case .crc32c:
            crc = CRC32C.update(crc, bytes)
        case .sha1: sha1.update(bufferPointer: bytes)
        case .sha256: sha256.update(bufferPointer: bytes)
        }
    }

    /// The checksum, base64 of its big-endian bytes.
    public func finalize() -> String {
        switch algorithm {
        case .crc32: Self.base64(crc)
        case .crc32c: Self.base64(crc ^ 0xFFFF_FFFF)
        case .sha1: Data(sha1.finalize()).base64EncodedString()
        case .sha256: Data(sha256.finalize()).base64EncodedString()
        }
    }

    private static func base64(_ value: UInt32) -> String {
        Data([UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]).base64EncodedString()
    }
}

/// CRC-32C (Castagnoli), which zlib lacks: a byte-at-a-time table, written by hand since no
/// package here has it.
enum CRC32C {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0x82F6_3B78 : value >> 1 }
        return value
    }

    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = crc
        table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc
    }
}
