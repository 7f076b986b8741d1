#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Foundation

extension FileSystemObjectStore {
    @discardableResult
    public func putObject(bucket: String, key: String, body: ObjectBody, contentType: String?,
                          metadata: [String: String]) throws -> ObjectInfo {
        try writeObject(bucket: bucket, key: key, contentType: contentType, metadata: metadata) { sink in
            switch body {
            case .data(let data):
                try sink.write(data)
            case .file(let url):
                guard let input = FileHandle(forReadingAtPath: url.path) else {
                    throw AWSError(code: "InvalidArgument", message: "cannot read \(url.path)", operation: "PutObject")
                }
                defer { try? input.close() }
                while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try sink.write(chunk)
                }
            }
        }
    }

    /// Writes to `.incoming/<pid>-<uuid>`, fsyncs, then renames into place: the rename is atomic,
    /// so a reader sees the old object or the new one, and a crash leaves only a temporary file
    /// that the next start removes.
    @discardableResult
    public func writeObject(bucket: String, key: String, contentType: String?, metadata: [String: String],
                            produce: (any ObjectSink) throws -> Void) throws -> ObjectInfo {
        let destination = try objectURL(bucket: bucket, key: key, operation: "PutObject")
        try checkNoConflict(bucket: bucket, key: key)
        let temporary = incoming.appendingPathComponent("\(getpid())-\(UUID().uuidString)")
        let sink = try HashingFileSink(url: temporary)
        do {
            try produce(sink)
            try sink.finish()
        } catch {
            sink.abandon()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        do {
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard rename(temporary.path, destination.path) == 0 else {
                throw AWSError(code: "InternalError", message: "could not place the object: \(String(cString: strerror(errno)))",
                               operation: "PutObject", httpStatus: 500)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        let stat = FileStat(destination)
        let record = ObjectRecord(
            etag: sink.md5Hex, size: sink.byteCount, modified: stat?.modified.timeIntervalSince1970 ?? 0,
            contentType: contentType ?? ContentTypes.guess(forKey: key), metadata: metadata)
        try writeRecord(record, bucket: bucket, key: key)
        return record.info(key: key)
    }

    /// S3 allows `a` and `a/b` together; a filesystem does not. Refuse the second clearly.
    private func checkNoConflict(bucket: String, key: String) throws {
        var path = bucketURL(bucket)
        let segments = key.split(separator: "/").map(String.init)
        for (index, segment) in segments.enumerated() {
            path.appendPathComponent(segment)
            guard let stat = FileStat(path) else { return }
            let isLast = index == segments.count - 1
            if !isLast, stat.isRegularFile {
                let existing = segments[...index].joined(separator: "/")
                throw AWSError(code: "InvalidArgument",
                               message: "Cannot store s3://\(bucket)/\(key): the object s3://\(bucket)/\(existing) exists, and InferLab keeps objects as files, so a key cannot continue past another object's key",
                               operation: "PutObject", hint: "choose another key, or delete s3://\(bucket)/\(existing) first")
            }
            if isLast, stat.isDirectory {
                throw AWSError(code: "InvalidArgument",
                               message: "Cannot store s3://\(bucket)/\(key): objects exist under s3://\(bucket)/\(key)/, and InferLab keeps objects as files, so this key cannot also be an object",
                               operation: "PutObject", hint: "choose another key, e.g. \(key).data")
            }
        }
    }

    // MARK: Sidecar metadata

    /// `.meta/<bucket>/<2 hex>/<md5 of key>.json`: a flat, collision-free place for any key.
    func metaURL(bucket: String, key: String) -> URL {
        let digest = Insecure.MD5.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        return metaFolder(bucket).appendingPathComponent(String(digest.prefix(2)), isDirectory: true)
            .appendingPathComponent(digest + ".json")
    }

    private func writeRecord(_ record: ObjectRecord, bucket: String, key: String) throws {
        let url = metaURL(bucket: bucket, key: key)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(record).write(to: url, options: .atomic)
    }

    /// The object's facts from its sidecar; recomputed (and cached) when the sidecar is missing or
    /// stale, e.g. after a crash between rename and sidecar, or a file the learner edited by hand.
    func info(bucket: String, key: String, file: URL, stat: FileStat) throws -> ObjectInfo {
        let url = metaURL(bucket: bucket, key: key)
        if let data = try? Data(contentsOf: url), let record = try? JSONDecoder().decode(ObjectRecord.self, from: data),
           record.size == stat.size, abs(record.modified - stat.modified.timeIntervalSince1970) < 0.001 {
            return record.info(key: key)
        }
        var hasher = Insecure.MD5()
        let input = try FileHandle(forReadingFrom: file)
        defer { try? input.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        let etag = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let record = ObjectRecord(etag: etag, size: stat.size, modified: stat.modified.timeIntervalSince1970,
                                  contentType: ContentTypes.guess(forKey: key), metadata: [:])
        try? writeRecord(record, bucket: bucket, key: key)
        return record.info(key: key)
    }
}

/// What the sidecar keeps; size and modification time tell whether it still describes the file.
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
}

/// Writes a temporary file through a 1 MiB buffer while hashing it (the ETag is its MD5).
final class HashingFileSink: ObjectSink {
    private let descriptor: Int32
    private var hasher = Insecure.MD5()
    private var buffer: [UInt8] = []
    private(set) var byteCount: Int64 = 0
    private(set) var md5Hex = ""

    init(url: URL) throws {
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw AWSError(code: "InternalError", message: "cannot create \(url.lastPathComponent): \(String(cString: strerror(errno)))",
                           operation: "PutObject", httpStatus: 500)
        }
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        byteCount += Int64(bytes.count)
        if buffer.count + bytes.count > (1 << 20) { try flush() }
        if bytes.count >= (1 << 20) {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    func finish() throws {
        try flush()
        guard fsync(descriptor) == 0 else { throw ioError("fsync") }
        close(descriptor)
        md5Hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    func abandon() { close(descriptor) }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ioError("write")
            }
            offset += written
        }
    }

    private func ioError(_ call: String) -> AWSError {
        AWSError(code: "InternalError", message: "\(call) failed while storing the object: \(String(cString: strerror(errno)))",
                 operation: "PutObject", httpStatus: 500)
    }
}

/// Streams an object's file.
final class FileObjectSource: ObjectSource {
    let info: ObjectInfo
    private let handle: FileHandle

    init(url: URL, info: ObjectInfo) throws {
        self.info = info
        handle = try FileHandle(forReadingFrom: url)
    }

    func read(upTo maxCount: Int) throws -> Data { try handle.read(upToCount: maxCount) ?? Data() }
    func seek(to offset: Int64) throws { try handle.seek(toOffset: UInt64(offset)) }
    func close() { try? handle.close() }
}
