import Crypto
import Foundation

/// An object's ETag as S3 gives it: the hex MD5 of its bytes for an object uploaded whole; for an
/// object uploaded in parts (multipart upload), the hex MD5 of the concatenated binary MD5s of its
/// parts, a dash and the number of parts — `"<md5 of the part md5s>-N"`, as in the reference's
/// capture of `aws s3 cp` of 20,000,000 bytes (three parts of 8 MiB, 8 MiB and 3,222,784 bytes,
/// ETag `…-3`).
///
/// With a part size, an object of at least one part's size gets the multipart ETag and a smaller
/// one the plain MD5: the AWS CLI uploads below its multipart_threshold in one PUT, and its
/// threshold and part size are both 8 MiB by default. Parts are hashed on threads of their own,
/// since a part's MD5 does not depend on the others: the caller only copies the bytes to the
/// part's queue, and two parts can be hashed at once. At most `inFlightLimit` bytes wait to be
/// hashed; a caller that gets ahead waits.
final class ETagHasher: @unchecked Sendable {
    private let partSize: Int?
    private var whole = Insecure.MD5()
    private var parts: [Part] = []
    /// Bytes in the current (last) part so far.
    private var partFill = 0
    private var byteCount = 0
    private let pending = NSCondition()
    private var pendingBytes = 0
    /// Copies waiting to be hashed: up to 2 MiB. (8 MiB cost as much peak RSS and gained nothing
    /// measurable on two cores, where the job's other work keeps both busy.)
    private static let inFlightLimit = 2 << 20
    private static let piece = 1 << 18

    private final class Part: @unchecked Sendable {
        let queue = DispatchQueue(label: "etag-part", target: .global())
        var md5 = Insecure.MD5()
        var digest: Insecure.MD5Digest?
    }

    /// - Parameter multipartPartSize: the part size of a multipart upload; nil for a plain MD5.
    init(multipartPartSize: Int?) {
        partSize = multipartPartSize.map { max(1, $0) }
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        byteCount += bytes.count
        guard let partSize else { return whole.update(bufferPointer: bytes) }
        var offset = 0
        while offset < bytes.count {
            if parts.isEmpty || partFill == partSize {
                parts.append(Part())
                partFill = 0
            }
            let count = min(bytes.count - offset, partSize - partFill, Self.piece)
            let copy = Data(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
            pending.withLock {
                while pendingBytes > 0 && pendingBytes + count > Self.inFlightLimit { pending.wait() }
                pendingBytes += count
            }
            let part = parts[parts.count - 1]
            part.queue.async {
                part.md5.update(data: copy)
                self.pending.withLock {
                    self.pendingBytes -= count
                    self.pending.broadcast()
                }
            }
            partFill += count
            offset += count
            if partFill == partSize { part.queue.async { part.digest = part.md5.finalize() } }
        }
    }

    /// The ETag, without quotes (waits for the parts' hashes).
    func finish() -> String {
        guard let partSize, byteCount >= partSize else {
            if partSize != nil, let part = parts.first {  // one short part: its MD5 is the object's
                return Self.hex(part.queue.sync { part.md5.finalize() })
            }
            return Self.hex(whole.finalize())
        }
        if let last = parts.last, partFill < partSize { last.queue.async { last.digest = last.md5.finalize() } }
        var combined = Insecure.MD5()
        for part in parts {
            part.queue.sync {}
            part.digest!.withUnsafeBytes { combined.update(bufferPointer: $0) }
        }
        return Self.hex(combined.finalize()) + "-\(parts.count)"
    }

    private static func hex(_ digest: Insecure.MD5Digest) -> String {
        Hex.string(digest)
    }
}
