#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Multipart uploads on the filesystem: `buckets/.uploads/<upload id>/` holds `upload.json` (the
/// key, content type, metadata) and each part as `<number>-<unique>` with its record
/// `<number>.json`, which names that file. Parts
/// are written like objects (to `.incoming/`, fsynced, renamed into place), so an accepted part
/// survives a crash, and an upload can be listed, completed or aborted by a later process.
extension FileSystemObjectStore: MultipartObjectStore {
    static let uploadsName = ".uploads"

    public func createMultipartUpload(bucket: String, key: String, contentType: String?, metadata: [String: String]) throws -> String {
        let segments = try keySegments(key, operation: "CreateMultipartUpload")
        try checkPlace(try bucketFolder(bucket, operation: "CreateMultipartUpload"), segments: segments, bucket: bucket, key: key)
        let id = (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "").lowercased()
        let top = try topFolder(operation: "CreateMultipartUpload")
        let upload = MultipartUpload(uploadId: id, bucket: bucket, key: key, contentType: contentType, metadata: metadata, initiated: Date())
        try confined("CreateMultipartUpload") {
            let folder = try top.folder(at: [Self.uploadsName, id], create: true)!
            try writeSmallFile(try JSONEncoder().encode(upload), named: "upload.json", in: folder, top: top, durable: true,
                               operation: "CreateMultipartUpload")
        }
        return id
    }

    public func beginPart(uploadId: String, bucket: String, key: String, partNumber: Int) throws -> any ObjectUpload {
        guard MultipartRules.partNumbers.contains(partNumber) else {
            throw AWSError(code: "InvalidArgument", message: "Part number must be an integer between 1 and 10000, inclusive", operation: "UploadPart")
        }
        let (folder, _) = try upload(uploadId, bucket: bucket, key: key, operation: "UploadPart")
        let incoming = try incomingFolder(try topFolder(operation: "UploadPart"), operation: "UploadPart")
        let temporary = "\(getpid())-\(UUID().uuidString)"
        let sink = try HashingFileSink(folder: incoming, name: temporary)
        return TemporaryFileUpload(sink: sink, incoming: incoming, temporary: temporary) { upload in
            let sink = upload.sink
            try sink.finish { _ in }
            // The data goes in under a name of its own, then the record naming it is renamed over
            // the part's record: that one rename is the part's commit, so a part uploaded twice,
            // or a crash between the two, never pairs one upload's bytes with another's ETag.
            let data = "\(partNumber)-\(temporary)"
            let part = UploadedPart(number: partNumber, etag: sink.etag, size: sink.byteCount, lastModified: Date(), file: data)
            try self.confined("UploadPart") { try incoming.move(temporary, to: folder, as: data) }
            let replaced = Self.part(partNumber, in: folder)
            try self.writeSmallFile(try JSONEncoder().encode(part), named: "\(partNumber).json", in: folder,
                                    top: try self.topFolder(operation: "UploadPart"), durable: true, operation: "UploadPart")
            if let old = replaced?.file, old != data { folder.removeFile(old) }
            return ObjectInfo(key: key, size: part.size, etag: part.etag, lastModified: part.lastModified, contentType: "")
        }
    }

    public func listParts(uploadId: String, bucket: String, key: String) throws -> [UploadedPart] {
        let (folder, _) = try upload(uploadId, bucket: bucket, key: key, operation: "ListParts")
        return Self.parts(in: folder)
    }

    public func completeMultipartUpload(uploadId: String, bucket: String, key: String,
                                        parts: [(number: Int, etag: String)]) throws -> ObjectInfo {
        let (folder, upload) = try upload(uploadId, bucket: bucket, key: key, operation: "CompleteMultipartUpload")
        let stored = Dictionary(Self.parts(in: folder).map { ($0.number, $0) }, uniquingKeysWith: { $1 })
        var chosen: [UploadedPart] = []
        for (index, requested) in parts.enumerated() {
            if index > 0, requested.number <= parts[index - 1].number { throw MultipartRules.invalidPartOrder }
            let etag = requested.etag.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            guard let part = stored[requested.number], part.etag == etag else { throw MultipartRules.invalidPart(requested.number) }
            chosen.append(part)
        }
        for part in chosen.dropLast() where part.size < MultipartRules.minimumPartSize {
            throw MultipartRules.entityTooSmall(part.number)
        }
        let segments = try keySegments(key, operation: "CompleteMultipartUpload")
        let top = try topFolder(operation: "CompleteMultipartUpload")
        let incoming = try incomingFolder(top, operation: "CompleteMultipartUpload")
        let temporary = "\(getpid())-\(UUID().uuidString)"
        let output = incoming.openFile(temporary, flags: O_WRONLY | O_CREAT | O_EXCL)
        guard output >= 0 else { throw internalError(incoming.error(for: temporary), operation: "CompleteMultipartUpload") }
        var record: ObjectRecord?
        var onFile = false
        do {
            defer { close(output) }
            var size: Int64 = 0
            for part in chosen { size += try Self.append(part: part, from: folder, to: output) }
            let facts = ObjectRecord(
                etag: MultipartRules.etag(ofPartETags: chosen.map(\.etag)), size: size,
                modified: FileStat(descriptor: output)?.modified.timeIntervalSince1970 ?? 0,
                contentType: upload.contentType ?? ContentTypes.guess(forKey: key), metadata: upload.metadata)
            onFile = try saveRecord(facts, descriptor: output)
            guard fsync(output) == 0 else { throw internalError(incoming.error(for: temporary), operation: "CompleteMultipartUpload") }
            record = facts
            try place(temporary, from: incoming, in: try bucketFolder(bucket, operation: "CompleteMultipartUpload"),
                      segments: segments, bucket: bucket, key: key)
        } catch {
            incoming.removeFile(temporary)
            throw error
        }
        if !onFile { try saveSidecar(record!, bucket: bucket, key: key) }
        if let uploads = try? top.folder(Self.uploadsName, create: false) { uploads.removeTree(uploadId) }
        return record!.info(key: key)
    }

    public func abortMultipartUpload(uploadId: String, bucket: String, key: String) throws {
        _ = try upload(uploadId, bucket: bucket, key: key, operation: "AbortMultipartUpload")
        let top = try topFolder(operation: "AbortMultipartUpload")
        if let uploads = try? top.folder(Self.uploadsName, create: false) { uploads.removeTree(uploadId) }
    }

    public func listMultipartUploads(bucket: String) throws -> [MultipartUpload] {
        _ = try bucketFolder(bucket, operation: "ListMultipartUploads")
        let top = try topFolder(operation: "ListMultipartUploads")
        guard let uploads = try? top.folder(Self.uploadsName, create: false) else { return [] }
        return uploads.entries().compactMap { entry in
            guard entry.stat.isDirectory, let folder = try? uploads.folder(entry.name, create: false),
                  let data = folder.readFile("upload.json", limit: 1 << 20) else { return nil }
            return try? JSONDecoder().decode(MultipartUpload.self, from: data)
        }
        .filter { $0.bucket == bucket }
        .sorted { ($0.key, $0.initiated) < ($1.key, $1.initiated) }
    }

    // MARK: Helpers

    /// Removes every upload made for `bucket`.
    func removeUploads(ofBucket bucket: String, in top: ConfinedFolder) {
        guard let uploads = try? top.folder(Self.uploadsName, create: false) else { return }
        for entry in uploads.entries() where entry.stat.isDirectory {
            guard let folder = try? uploads.folder(entry.name, create: false),
                  let data = folder.readFile("upload.json", limit: 1 << 20),
                  let upload = try? JSONDecoder().decode(MultipartUpload.self, from: data), upload.bucket == bucket else { continue }
            uploads.removeTree(entry.name)
        }
    }

    /// The upload's folder and record, checked against the bucket and key it was made for.
    private func upload(_ id: String, bucket: String, key: String, operation: String) throws -> (ConfinedFolder, MultipartUpload) {
        _ = try bucketFolder(bucket, operation: operation)
        guard !id.isEmpty, id.allSatisfy({ $0.isHexDigit }),
              let folder = try? topFolder(operation: operation).folder(at: [Self.uploadsName, id], create: false),
              let data = folder.readFile("upload.json", limit: 1 << 20),
              let upload = try? JSONDecoder().decode(MultipartUpload.self, from: data),
              upload.bucket == bucket, upload.key == key else { throw MultipartRules.noSuchUpload(operation) }
        return (folder, upload)
    }

    private static func part(_ number: Int, in folder: ConfinedFolder) -> UploadedPart? {
        folder.readFile("\(number).json", limit: 1 << 16).flatMap { try? JSONDecoder().decode(UploadedPart.self, from: $0) }
    }

    private static func parts(in folder: ConfinedFolder) -> [UploadedPart] {
        folder.entries().compactMap { entry in
            guard entry.name.hasSuffix(".json"), entry.name != "upload.json",
                  let data = folder.readFile(entry.name, limit: 1 << 16) else { return nil }
            return try? JSONDecoder().decode(UploadedPart.self, from: data)
        }
        .sorted { $0.number < $1.number }
    }

    /// Copies a part's file onto the end of `output`; answers the bytes copied.
    private static func append(part: UploadedPart, from folder: ConfinedFolder, to output: Int32) throws -> Int64 {
        guard let (input, _) = try folder.openFileForReading(part.file ?? String(part.number)) else { throw MultipartRules.invalidPart(part.number) }
        defer { close(input) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var copied: Int64 = 0
        while true {
            let count = read(input, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw ioFailure("read") }
            if count == 0 { return copied }
            var offset = 0
            while offset < count {
                let written = write(output, buffer.baseAddress! + offset, count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw ioFailure("write") }
                offset += written
            }
            copied += Int64(count)
        }
    }

    private static func ioFailure(_ call: String) -> AWSError {
        AWSError(code: "InternalError", message: "\(call) failed while completing the upload: \(String(cString: strerror(errno)))",
                 operation: "CompleteMultipartUpload", httpStatus: 500)
    }
}
