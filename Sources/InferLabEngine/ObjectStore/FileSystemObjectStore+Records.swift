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
    /// Absent in records made before checksums were kept.
    var checksums: [String: String]? = nil

    func info(key: String) -> ObjectInfo {
        var info = ObjectInfo(key: key, size: size, etag: etag, lastModified: Date(timeIntervalSince1970: modified),
                              contentType: contentType, metadata: metadata)
        info.checksums = checksums ?? [:]
        return info
    }

    func describes(_ stat: FileStat) -> Bool {
        size == stat.size && abs(modified - stat.modified.timeIntervalSince1970) < 0.001
    }
}

/// Where an object's record lives: in an extended attribute of the object's own file, so data and
/// facts are placed by the same rename and a small object costs one file, not two (creating files
/// is the dearest part of a small put). Where the file system has no user attributes (or the
/// record is too big for one), in a sidecar `.meta/<bucket>/<2 hex>/<md5 of key>.json`, which is
/// also where workspaces made before attributes keep them. Both are read and written through open
/// descriptors, never through a link.
extension FileSystemObjectStore {
    static let recordAttribute = "user.inferlab.object"

    /// The object's facts, from its open file; recomputed (and saved) when the record is missing
    /// or stale, e.g. after a file was edited by hand.
    func info(bucket: String, key: String, descriptor: Int32, stat: FileStat) throws -> ObjectInfo {
        if let record = loadRecord(descriptor: descriptor, bucket: bucket, key: key), record.describes(stat) {
            return record.info(key: key)
        }
        var hasher = Insecure.MD5()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var offset: off_t = 0
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, offset)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw AWSError(code: "InternalError", message: "could not read s3://\(bucket)/\(key): \(String(cString: strerror(errno)))",
                               operation: "GetObject", httpStatus: 500)
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            offset += off_t(count)
        }
        let etag = Hex.string(hasher.finalize())
        let record = ObjectRecord(etag: etag, size: stat.size, modified: stat.modified.timeIntervalSince1970,
                                  contentType: ContentTypes.guess(forKey: key), metadata: [:])
        // Saved on the file that was hashed, if it did not change meanwhile. The sidecar, keyed by
        // name, only while the name still holds this file: a put may have renamed a new object
        // into place, whose record must stay.
        if let now = FileStat(descriptor: descriptor), record.describes(now), let data = try? JSONEncoder().encode(record),
           !Self.setAttribute(data, descriptor: descriptor),
           (try? openObjectFile(bucket: bucket, key: key, operation: "GetObject")).flatMap({ $0 }).map({ current in
               close(current.descriptor)
               return current.stat.identity == now.identity
           }) == true {
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

    private func loadRecord(descriptor: Int32, bucket: String, key: String) -> ObjectRecord? {
        // Records are read on every HEAD and GET; decoding JSON was a tenth of a small GET's
        // cost, so a decoded record is kept by file identity, size and modification time (a
        // file changed in any way misses, and is read again).
        let stat = FileStat(descriptor: descriptor)
        if let stat, let known = recordCache.record(for: stat) { return known }
        let data = Self.attribute(of: descriptor) ?? sidecarFolder(bucket: bucket, key: key, create: false)
            .flatMap { $0.folder.readFile($0.name, limit: 1 << 20) }
        let record = data.flatMap { try? JSONDecoder().decode(ObjectRecord.self, from: $0) }
        if let stat, let record, record.describes(stat) { recordCache.keep(record, for: stat) }
        return record
    }

    /// Where the sidecar of a key lives, as a path (for tests and people).
    func metaURL(bucket: String, key: String) -> URL {
        let (folder, name) = Self.sidecarPlace(key)
        return root.appendingPathComponent(Self.metaName, isDirectory: true).appendingPathComponent(bucket, isDirectory: true)
            .appendingPathComponent(folder, isDirectory: true).appendingPathComponent(name)
    }

    /// `.meta/<bucket>/<2 hex>/<md5 of key>.json`, as the folder under `.meta/<bucket>` and the name.
    private static func sidecarPlace(_ key: String) -> (folder: String, name: String) {
        let digest = Hex.string(Insecure.MD5.hash(data: Data(key.utf8)))
        return (String(digest.prefix(2)), digest + ".json")
    }

    private func sidecarFolder(bucket: String, key: String, create: Bool) -> (folder: ConfinedFolder, name: String)? {
        let (folder, name) = Self.sidecarPlace(key)
        guard let top = try? topFolder(operation: "GetObject"),
              let opened = try? top.folder(at: [Self.metaName, bucket, folder], create: create) else { return nil }
        return (opened, name)
    }

    func removeSidecar(bucket: String, key: String) {
        guard let (folder, name) = sidecarFolder(bucket: bucket, key: key, create: false) else { return }
        folder.removeFile(name)
    }

    /// Replaces the sidecar atomically; `durable` fsyncs it first.
    private func writeSidecar(_ data: Data, bucket: String, key: String, durable: Bool) throws {
        let top = try topFolder(operation: "PutObject")
        guard let (folder, name) = sidecarFolder(bucket: bucket, key: key, create: true) else {
            throw AWSError(code: "InternalError", message: "cannot create the record folder for s3://\(bucket)/\(key)",
                           operation: "PutObject", httpStatus: 500)
        }
        try writeSmallFile(data, named: name, in: folder, top: top, durable: durable, operation: "PutObject")
    }

    /// Writes a kit file (a sidecar, a bucket record) by a temporary file in `.incoming/`, which
    /// the next start clears after a crash, renamed over `name`.
    func writeSmallFile(_ data: Data, named name: String, in folder: ConfinedFolder, top: ConfinedFolder,
                        durable: Bool, operation: String) throws {
        let incoming = try incomingFolder(top, operation: operation)
        let temporary = "\(getpid())-\(UUID().uuidString).meta"
        let descriptor = incoming.openFile(temporary, flags: O_WRONLY | O_CREAT | O_EXCL)
        guard descriptor >= 0 else { throw internalError(incoming.error(for: temporary), operation: operation) }
        var written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if durable, fsync(descriptor) != 0 { written = -1 }
        close(descriptor)
        do {
            guard written == data.count else { throw internalError(incoming.error(for: temporary), operation: operation) }
            try confined(operation) { try incoming.move(temporary, to: folder, as: name) }
        } catch {
            incoming.removeFile(temporary)
            throw error
        }
    }

    // MARK: Extended attributes (Linux; elsewhere the sidecar)

    private static func setAttribute(_ data: Data, descriptor: Int32) -> Bool {
        #if os(Linux)
        return data.withUnsafeBytes { fsetxattr(descriptor, recordAttribute, $0.baseAddress, $0.count, 0) } == 0
        #else
        return false
        #endif
    }

    private static func attribute(of descriptor: Int32) -> Data? {
        #if os(Linux)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var count = fgetxattr(descriptor, recordAttribute, &buffer, buffer.count)
        if count < 0, errno == ERANGE {  // bigger than a page: ask its size, then read it
            let size = fgetxattr(descriptor, recordAttribute, nil, 0)
            guard size > 0, size <= 1 << 16 else { return nil }
            buffer = [UInt8](repeating: 0, count: size)
            count = fgetxattr(descriptor, recordAttribute, &buffer, buffer.count)
        }
        return count > 0 ? Data(buffer[..<count]) : nil
        #else
        return nil
        #endif
    }
}
