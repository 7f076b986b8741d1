#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CXattr
import Crypto
import Foundation

/// What S3 knows of an object besides its bytes; size and modification time tell whether it still
/// describes the file.
struct ObjectRecord: Codable {
    var etag: String
    var size: Int64
    var modified: Double
    var contentType: String
    var metadata: [String: String]

    func info(key: String) -> ObjectInfo {
        ObjectInfo(key: key, size: size, etag: etag, lastModified: Date(timeIntervalSince1970: modified),
                   contentType: contentType, metadata: metadata)
    }

    func describes(_ stat: FileStat) -> Bool {
        size == stat.size && abs(modified - stat.modified.timeIntervalSince1970) < 0.001
    }
}

/// Where an object's record lives: in an extended attribute of the object's own file, so data and
/// facts are placed by the same rename and a small object costs one file, not two (creating files
/// is the dearest part of a small put). Where the file system has no user attributes (or the
/// record is too big for one), in a sidecar `.meta/<bucket>/<2 hex>/<md5 of key>.json`, which is
/// also where workspaces made before attributes keep them.
extension FileSystemObjectStore {
    static let recordAttribute = "user.inferlab.object"

    /// The object's facts; recomputed (and saved) when the record is missing or stale, e.g. after a
    /// file was edited by hand.
    func info(bucket: String, key: String, file: URL, stat: FileStat) throws -> ObjectInfo {
        if let record = loadRecord(file: file, bucket: bucket, key: key), record.describes(stat) {
            return record.info(key: key)
        }
        let input = try FileHandle(forReadingFrom: file)
        defer { try? input.close() }
        var hasher = Insecure.MD5()
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        let etag = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let record = ObjectRecord(etag: etag, size: stat.size, modified: stat.modified.timeIntervalSince1970,
                                  contentType: ContentTypes.guess(forKey: key), metadata: [:])
        // Saved on the file that was hashed, and only if it is still the one `stat` described: a
        // put may have renamed a new object into place meanwhile, whose record must stay.
        let descriptor = input.fileDescriptor
        if let now = FileStat(descriptor: descriptor), record.describes(now), FileStat(file).map(record.describes) == true,
           let data = try? JSONEncoder().encode(record), !Self.setAttribute(data, descriptor: descriptor) {
            try? writeSidecar(data, bucket: bucket, key: key, durable: false)
        }
        return record.info(key: key)
    }

    /// A new object's record, on its open file before the file's fsync, which makes it durable
    /// too. False where the file system keeps no user attributes: then `saveSidecar` after the
    /// object is in place.
    func saveRecord(_ record: ObjectRecord, descriptor: Int32) throws -> Bool {
        Self.setAttribute(try JSONEncoder().encode(record), descriptor: descriptor)
    }

    /// A new object's sidecar, fsynced: content type and metadata cannot be recomputed.
    func saveSidecar(_ record: ObjectRecord, bucket: String, key: String) throws {
        try writeSidecar(try JSONEncoder().encode(record), bucket: bucket, key: key, durable: true)
    }

    private func loadRecord(file: URL, bucket: String, key: String) -> ObjectRecord? {
        let data = Self.attribute(of: file) ?? (try? Data(contentsOf: metaURL(bucket: bucket, key: key)))
        return data.flatMap { try? JSONDecoder().decode(ObjectRecord.self, from: $0) }
    }

    func metaURL(bucket: String, key: String) -> URL {
        let digest = Insecure.MD5.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        return metaFolder(bucket).appendingPathComponent(String(digest.prefix(2)), isDirectory: true)
            .appendingPathComponent(digest + ".json")
    }

    /// Replaces the sidecar atomically (a temporary file renamed over it); `durable` fsyncs it first.
    private func writeSidecar(_ data: Data, bucket: String, key: String, durable: Bool) throws {
        let url = metaURL(bucket: bucket, key: key)
        // In `.incoming/`, like an object's temporary file, so the next start clears it after a crash.
        let temporary = incoming.appendingPathComponent("\(getpid())-\(UUID().uuidString).meta")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.ioError("open", temporary) }
        var written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if durable, fsync(descriptor) != 0 { written = -1 }
        close(descriptor)
        do {
            guard written == data.count else { throw Self.ioError("write", temporary) }
            try place(temporary, at: url)
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    private static func ioError(_ call: String, _ url: URL) -> AWSError {
        AWSError(code: "InternalError", message: "\(call) \(url.path) failed: \(String(cString: strerror(errno)))",
                 operation: "PutObject", httpStatus: 500)
    }

    // MARK: Extended attributes (Linux; elsewhere the sidecar)

    private static func setAttribute(_ data: Data, descriptor: Int32) -> Bool {
        #if os(Linux)
        return data.withUnsafeBytes { fsetxattr(descriptor, recordAttribute, $0.baseAddress, $0.count, 0) } == 0
        #else
        return false
        #endif
    }

    private static func attribute(of file: URL) -> Data? {
        #if os(Linux)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var count = getxattr(file.path, recordAttribute, &buffer, buffer.count)
        if count < 0, errno == ERANGE {  // bigger than a page: ask its size, then read it
            let size = getxattr(file.path, recordAttribute, nil, 0)
            guard size > 0 else { return nil }
            buffer = [UInt8](repeating: 0, count: size)
            count = getxattr(file.path, recordAttribute, &buffer, buffer.count)
        }
        return count > 0 ? Data(buffer[..<count]) : nil
        #else
        return nil
        #endif
    }
}
