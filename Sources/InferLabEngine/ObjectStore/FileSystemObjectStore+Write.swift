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
    /// that the next start removes. A killed process loses no object it reported stored; after
    /// a power cut an object is whole or absent (the folder is not fsynced, so the newest
    /// renames may be undone), never torn.
    public func beginObject(bucket: String, key: String, contentType: String?, metadata: [String: String],
                            multipartPartSize: Int?) throws -> any ObjectUpload {
        let segments = try keySegments(key, operation: "PutObject")
        // Refused before any byte is produced; checked again when the object is placed.
        try checkPlace(try bucketFolder(bucket, operation: "PutObject"), segments: segments, bucket: bucket, key: key)
        let incoming = try incomingFolder(try topFolder(operation: "PutObject"), operation: "PutObject")
        let temporary = "\(getpid())-\(UUID().uuidString)"
        let sink = try HashingFileSink(folder: incoming, name: temporary, multipartPartSize: multipartPartSize)
        let contentType = contentType ?? ContentTypes.guess(forKey: key)
        return TemporaryFileUpload(sink: sink, incoming: incoming, temporary: temporary) { upload in
            try self.commit(upload, bucket: bucket, key: key, segments: segments, contentType: contentType, metadata: metadata)
        }
    }

    /// Finishes an upload: the record goes on the file before its fsync, so one fsync makes data
    /// and record durable together, and the rename places them together. (The rename keeps the
    /// modification time the record is checked against.)
    private func commit(_ upload: TemporaryFileUpload, bucket: String, key: String, segments: [String],
                        contentType: String, metadata: [String: String]) throws -> ObjectInfo {
        var record: ObjectRecord?
        var onFile = false
        try upload.sink.finish { descriptor in
            let facts = ObjectRecord(
                etag: upload.sink.etag, size: upload.sink.byteCount,
                modified: FileStat(descriptor: descriptor)?.modified.timeIntervalSince1970 ?? 0,
                contentType: contentType, metadata: metadata,
                checksums: upload.checksums.isEmpty ? nil : upload.checksums)
            onFile = try saveRecord(facts, descriptor: descriptor)
            record = facts
        }
        // The bucket is opened anew: it may have gone while the object was produced.
        try place(upload.temporary, from: upload.incoming, in: try bucketFolder(bucket, operation: "PutObject"),
                  segments: segments, bucket: bucket, key: key)
        // No attribute on this file system: the sidecar, once the object it describes is in place.
        if !onFile { try saveSidecar(record!, bucket: bucket, key: key) }
        return record!.info(key: key)
    }

    /// Renames a finished temporary file to the key's place, making the folders it needs, each
    /// without following a link: a link swapped in while the object was written is refused here.
    /// A folder removed under it meanwhile (a delete of the folder's last object prunes empty
    /// folders) is made again: S3 has no folders, so the put must not fail for that.
    func place(_ temporary: String, from incoming: ConfinedFolder, in bucketFolder: ConfinedFolder,
               segments: [String], bucket: String, key: String) throws {
        for attempt in 1...3 {
            let parent: ConfinedFolder
            do {
                parent = try bucketFolder.folder(at: segments.dropLast(), create: true)!
            } catch let error as ConfinementError {
                try checkPlace(bucketFolder, segments: segments, bucket: bucket, key: key)
                throw internalError(error, operation: "PutObject")
            }
            if parent.stat(of: segments.last!)?.isDirectory == true {
                try checkPlace(bucketFolder, segments: segments, bucket: bucket, key: key)
            }
            do {
                return try incoming.move(temporary, to: parent, as: segments.last!)
            } catch let error as ConfinementError where error.problem == .system(ENOENT) && attempt < 3 {
                continue
            } catch let error as ConfinementError {
                throw internalError(error, operation: "PutObject")
            }
        }
    }

    /// S3 allows `a` and `a/b` together; a filesystem does not. Refuse the second clearly, and a
    /// key whose folder is a link (which InferLab does not follow) too.
    func checkPlace(_ bucketFolder: ConfinedFolder, segments: [String], bucket: String, key: String) throws {
        var folder = bucketFolder
        for (index, segment) in segments.enumerated() {
            guard let stat = folder.stat(of: segment) else { return }
            let existing = segments[...index].joined(separator: "/")
            let isLast = index == segments.count - 1
            if !isLast, stat.isSymbolicLink {
                throw AWSError(code: "InvalidArgument",
                               message: "Cannot store s3://\(bucket)/\(key): buckets/\(bucket)/\(existing) in the workspace is a symbolic link, and InferLab follows no links, so that nothing is written outside the workspace",
                               operation: "PutObject", hint: "remove the link buckets/\(bucket)/\(existing), or choose another key")
            }
            if !isLast, !stat.isDirectory {
                throw AWSError(code: "InvalidArgument",
                               message: "Cannot store s3://\(bucket)/\(key): the object s3://\(bucket)/\(existing) exists, and InferLab keeps objects as files, so a key cannot continue past another object's key",
                               operation: "PutObject", hint: "choose another key, or delete s3://\(bucket)/\(existing) first")
            }
            if isLast, stat.isDirectory {
                throw AWSError(code: "InvalidArgument",
                               message: "Cannot store s3://\(bucket)/\(key): objects exist under s3://\(bucket)/\(key)/, and InferLab keeps objects as files, so this key cannot also be an object",
                               operation: "PutObject", hint: "choose another key, e.g. \(key).data")
            }
            if isLast { return }
            guard let next = try? folder.folder(segment, create: false) else { return }
            folder = next
        }
    }
}

/// An object or a part being written to its temporary file in `.incoming/`; `keep` makes it
/// visible (places the object, or keeps the part) when committed.
final class TemporaryFileUpload: ObjectUpload {
    let sink: HashingFileSink
    let incoming: ConfinedFolder
    let temporary: String
    var checksums: [String: String] = [:]
    private let keep: (TemporaryFileUpload) throws -> ObjectInfo
    private var ended = false

    init(sink: HashingFileSink, incoming: ConfinedFolder, temporary: String, keep: @escaping (TemporaryFileUpload) throws -> ObjectInfo) {
        (self.sink, self.incoming, self.temporary, self.keep) = (sink, incoming, temporary, keep)
    }

    /// An upload dropped without `commit()` (its owner failed, a client went away) leaves nothing.
    deinit { abort() }

    func write(_ bytes: UnsafeRawBufferPointer) throws { try sink.write(bytes) }

    func commit() throws -> ObjectInfo {
        precondition(!ended, "an upload is committed once")
        do {
            let info = try keep(self)
            ended = true
            return info
        } catch {
            abort()
            throw error
        }
    }

    func abort() {
        guard !ended else { return }
        ended = true
        sink.abandon()
        incoming.removeFile(temporary)
    }
}

/// Writes a temporary file through a 1 MiB buffer while hashing it for its ETag (its MD5, or
/// S3's multipart ETag: `ETagHasher`).
///
/// Two things keep a large object (a transform job's output: 400 MB for ten million Linear
/// Learner lines) from costing more than its MD5:
/// - A large write is copied out on a thread of its own while the caller hashes it: both are
///   serial over the object, and side by side they take the longer of the two, not their sum.
/// - Where the system allows it (Linux), whole 1 MiB blocks are written with O_DIRECT: the
///   object is written once and not read back, so there is nothing to gain from copying it into
///   the page cache, which cost 0.2–0.5 s of kernel time per 400 MB on the benchmark machine,
///   and `fsync` then has little left to flush. The last partial block is written the usual
///   way; a file system that refuses O_DIRECT gets every block the usual way.
///
/// One thread at a time uses a sink; a large write lends it to the writing thread while the
/// caller waits, which is why it can be `@unchecked Sendable`.
final class HashingFileSink: ObjectSink, @unchecked Sendable {
    private let descriptor: Int32
    private var direct: Bool
    private let hasher: ETagHasher
    private static let blockSize = 1 << 20
    /// `blockSize` bytes, page-aligned as O_DIRECT wants; `buffered` of them are in use.
    private let block = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 4096)
    private var buffered = 0
    private(set) var byteCount: Int64 = 0
    private(set) var etag = ""
    private var closed = false
    /// Made at the first large write: small objects never start a thread.
    private var writer: DispatchQueue?

    /// Creates the file `name` in `folder` (never through a link).
    init(folder: ConfinedFolder, name: String, multipartPartSize: Int? = nil) throws {
        hasher = ETagHasher(multipartPartSize: multipartPartSize)
        var descriptor = openDirect == 0 ? -1 : folder.openFile(name, flags: O_WRONLY | O_CREAT | O_EXCL | openDirect)
        direct = descriptor >= 0
        if openDirect == 0 {
            descriptor = folder.openFile(name, flags: O_WRONLY | O_CREAT | O_EXCL)
        } else if descriptor < 0 && errno == EINVAL {
            // No O_DIRECT here. Some file systems refuse it only after creating the file, so
            // without O_EXCL this time: the name (pid and UUID) is ours alone anyway.
            descriptor = folder.openFile(name, flags: O_WRONLY | O_CREAT | O_TRUNC)
        }
        self.descriptor = descriptor
        guard descriptor >= 0 else {
            // No deallocation here: the object is whole, so `deinit` runs and frees the block.
            throw AWSError(code: "InternalError", message: "cannot create \(name): \(String(cString: strerror(errno)))",
                           operation: "PutObject", httpStatus: 500)
        }
    }

    deinit { block.deallocate() }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        byteCount += Int64(bytes.count)
        guard bytes.count >= Self.blockSize else {
            hasher.update(bytes)
            try copy(bytes)
            return
        }
        let writer = self.writer ?? DispatchQueue(label: "object-write")
        self.writer = writer
        let failure = Failure()
        let copying = DispatchGroup()
        let lent = LentBytes(bytes: bytes)
        writer.async(group: copying) {
            // The caller waits for `copying` below, so `bytes` outlives this.
            do { try self.copy(lent.bytes) } catch { failure.error = error }
        }
        hasher.update(bytes)
        copying.wait()
        if let error = failure.error { throw error }
    }

    /// Writes the last partial block and finishes the hash; `label` may then attach facts to the
    /// file (the object's record) before one fsync makes data and facts durable.
    func finish(label: (_ descriptor: Int32) throws -> Void) throws {
        if buffered > 0 {
            // The last block is partial, which O_DIRECT cannot write.
            if direct { try stopDirect() }
            try writeAll(UnsafeRawBufferPointer(start: block, count: buffered))
            buffered = 0
        }
        etag = hasher.finish()
        try label(descriptor)
        guard fsync(descriptor) == 0 else { throw ioError("fsync") }
        close(descriptor)
        closed = true
    }

    func abandon() { if !closed { close(descriptor) } }

    /// Appends to the block, writing it each time it is full.
    private func copy(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = min(bytes.count - offset, Self.blockSize - buffered)
            (block + buffered).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            buffered += count
            offset += count
            if buffered == Self.blockSize {
                try writeAll(UnsafeRawBufferPointer(start: block, count: buffered))
                buffered = 0
            }
        }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                // A file system that opens with O_DIRECT but will not write that way (or a short
                // write that left the offset unaligned): go on the usual way.
                if errno == EINVAL && direct {
                    try stopDirect()
                    continue
                }
                throw ioError("write")
            }
            offset += written
        }
    }

    private func stopDirect() throws {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags & ~openDirect) == 0 else { throw ioError("fcntl") }
        direct = false
    }

    private func ioError(_ call: String) -> AWSError {
        AWSError(code: "InternalError", message: "\(call) failed while storing the object: \(String(cString: strerror(errno)))",
                 operation: "PutObject", httpStatus: 500)
    }

    /// The caller's bytes, lent to the writing thread for the length of one `write` call.
    private struct LentBytes: @unchecked Sendable { let bytes: UnsafeRawBufferPointer }
    private final class Failure: @unchecked Sendable { var error: (any Error)? }
}

/// O_DIRECT, which the Swift overlay of Glibc does not export (it is a GNU extension); its value
/// differs between architectures. 0 where it is not known: every write then uses the page cache.
#if os(Linux) && arch(x86_64)
private let openDirect: Int32 = 0o40000
#elseif os(Linux) && arch(arm64)
private let openDirect: Int32 = 0o200000
#else
private let openDirect: Int32 = 0
#endif

/// Streams an object's file, from the descriptor it was opened with (never reopened by name).
final class FileObjectSource: ObjectSource {
    let info: ObjectInfo
    private let handle: FileHandle

    init(descriptor: Int32, info: ObjectInfo) {
        self.info = info
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    func read(upTo maxCount: Int) throws -> Data { try handle.read(upToCount: maxCount) ?? Data() }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(handle.fileDescriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR {
                throw AWSError(code: "InternalError", message: "could not read s3://\(info.key): \(String(cString: strerror(errno)))",
                               operation: "GetObject", httpStatus: 500)
            }
        }
    }
    func seek(to offset: Int64) throws { try handle.seek(toOffset: UInt64(offset)) }
    func close() { try? handle.close() }
}
