import Foundation

/// A store with S3's semantics. Every method validates names and raises AWS's errors, with the
/// operation it stands for (`HeadObject`, `PutObject`…).
public protocol ObjectStore: Sendable {
    func createBucket(_ bucket: String) throws
    func deleteBucket(_ bucket: String) throws
    func listBuckets() throws -> [BucketInfo]
    func bucketExists(_ bucket: String) -> Bool

    func headObject(bucket: String, key: String) throws -> ObjectInfo
    /// Writes an object atomically: readers see the old object or the new one, never a part.
    @discardableResult
    func putObject(bucket: String, key: String, body: ObjectBody, contentType: String?, metadata: [String: String]) throws -> ObjectInfo
    /// Starts writing an object whose bytes arrive piece by piece (an HTTP body, a job's output):
    /// nothing is visible until `commit()`; `abort()` leaves nothing behind. The bucket and key
    /// are checked here, before any byte.
    /// - Parameter multipartPartSize: the object is written as a multipart upload of parts of this
    ///   size (its ETag is S3's `<md5 of the part md5s>-N`) if it is at least one part long; nil,
    ///   or a smaller object, for one PUT (its ETag is its MD5).
    func beginObject(bucket: String, key: String, contentType: String?, metadata: [String: String],
                     multipartPartSize: Int?) throws -> any ObjectUpload
    /// Opens an object for streaming reads.
    func openObject(bucket: String, key: String) throws -> any ObjectSource
    func deleteObject(bucket: String, key: String) throws
    func listObjects(_ request: ListObjectsRequest) throws -> ListObjectsPage
}

/// Receives the bytes of an object being written.
public protocol ObjectSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ObjectSink {
    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }
}

/// An object being written (see `ObjectStore.beginObject`). One owner at a time.
public protocol ObjectUpload: ObjectSink {
    /// Checksums verified by the writer (header name → base64), kept with the object at commit.
    var checksums: [String: String] { get set }
    /// Places the object whole, atomically, and returns what S3 would report of it.
    func commit() throws -> ObjectInfo
    /// Drops what was written; nothing becomes visible. Safe to call after a failed commit.
    func abort()
}

/// Reads an object's bytes in chunks.
public protocol ObjectSource: AnyObject {
    var info: ObjectInfo { get }
    /// Up to `maxCount` bytes; empty at the end.
    func read(upTo maxCount: Int) throws -> Data
    /// Reads into `buffer`, up to its size; 0 at the end. (For streaming out without a copy.)
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Moves to a byte offset (for ranged reads).
    func seek(to offset: Int64) throws
    func close()
}

extension ObjectSource {
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let chunk = try read(upTo: buffer.count)
        chunk.copyBytes(to: buffer)
        return chunk.count
    }
}

extension ObjectStore {
    /// `beginObject` as one PUT: the ETag is the object's MD5.
    public func beginObject(bucket: String, key: String, contentType: String?, metadata: [String: String]) throws -> any ObjectUpload {
        try beginObject(bucket: bucket, key: key, contentType: contentType, metadata: metadata, multipartPartSize: nil)
    }

    /// Streams an object in: `produce` is called with a writer until it returns. The object appears
    /// only when `produce` returns normally; if it throws, nothing is visible.
    @discardableResult
    public func writeObject(bucket: String, key: String, contentType: String?, metadata: [String: String],
                            multipartPartSize: Int? = nil, produce: (any ObjectSink) throws -> Void) throws -> ObjectInfo {
        let upload = try beginObject(bucket: bucket, key: key, contentType: contentType, metadata: metadata,
                                     multipartPartSize: multipartPartSize)
        do {
            try produce(upload)
            return try upload.commit()
        } catch {
            upload.abort()
            throw error
        }
    }

    @discardableResult
    public func putObject(bucket: String, key: String, data: Data, contentType: String? = nil) throws -> ObjectInfo {
        try putObject(bucket: bucket, key: key, body: .data(data), contentType: contentType, metadata: [:])
    }

    /// The whole object, or the inclusive byte range, in memory. For small objects.
    public func readObject(bucket: String, key: String, range: ClosedRange<Int64>? = nil) throws -> Data {
        let source = try openObject(bucket: bucket, key: key)
        defer { source.close() }
        var remaining = Int64.max
        if let range {
            guard range.lowerBound < source.info.size else { throw AWSError.invalidRange(operation: "GetObject") }
            try source.seek(to: range.lowerBound)
            remaining = min(range.upperBound, source.info.size - 1) - range.lowerBound + 1
        }
        var data = Data()
        while remaining > 0 {
            let chunk = try source.read(upTo: Int(min(remaining, 1 << 20)))
            if chunk.isEmpty { break }
            data.append(chunk)
            remaining -= Int64(chunk.count)
        }
        return data
    }

    /// Every object under a prefix, following continuation tokens.
    public func listAllObjects(bucket: String, prefix: String = "") throws -> [ObjectInfo] {
        var request = ListObjectsRequest(bucket: bucket, prefix: prefix)
        var all: [ObjectInfo] = []
        while true {
            let page = try listObjects(request)
            all += page.contents
            guard page.isTruncated, let token = page.nextContinuationToken else { return all }
            request.continuationToken = token
        }
    }
}
