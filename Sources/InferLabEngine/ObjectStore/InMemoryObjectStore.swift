import Crypto
import Foundation
import Synchronization

/// An object store in memory, with the same names, errors and listing rules as the filesystem
/// store: a fast, deterministic double for tests of the layers above. (Unlike the filesystem
/// store it allows `a` and `a/b` together, as S3 does.)
public final class InMemoryObjectStore: ObjectStore {
    private struct Stored {
        var data: Data
        var info: ObjectInfo
    }

    private let state = Mutex<[String: (created: Date, objects: [String: Stored])]>([:])

    public init() {}

    public func createBucket(_ bucket: String) throws {
        if let problem = S3Names.bucketNameProblem(bucket) {
            throw AWSError.invalidBucketName(bucket, reason: problem, operation: "CreateBucket")
        }
        try state.withLock { buckets in
            guard buckets[bucket] == nil else { throw AWSError.bucketAlreadyOwnedByYou(bucket) }
            buckets[bucket] = (Date(), [:])
        }
    }

    public func deleteBucket(_ bucket: String) throws {
        try state.withLock { buckets in
            guard let contents = buckets[bucket] else { throw AWSError.noSuchBucket(bucket, operation: "DeleteBucket") }
            guard contents.objects.isEmpty else { throw AWSError.bucketNotEmpty(bucket) }
            buckets[bucket] = nil
        }
    }

    public func listBuckets() throws -> [BucketInfo] {
        state.withLock { buckets in
            buckets.map { BucketInfo(name: $0.key, creationDate: $0.value.created) }.sorted { $0.name < $1.name }
        }
    }

    public func bucketExists(_ bucket: String) -> Bool { state.withLock { $0[bucket] != nil } }

    public func headObject(bucket: String, key: String) throws -> ObjectInfo {
        do {
            return try stored(bucket: bucket, key: key, operation: "HeadObject").info
        } catch let error as AWSError where error.code == "NoSuchKey" {
            throw AWSError.headObjectNotFound(bucket: bucket, key: key)
        }
    }

    public func putObject(bucket: String, key: String, body: ObjectBody, contentType: String?,
                          metadata: [String: String]) throws -> ObjectInfo {
        try writeObject(bucket: bucket, key: key, contentType: contentType, metadata: metadata) { sink in
            switch body {
            case .data(let data): try sink.write(data)
            case .file(let url): try sink.write(Data(contentsOf: url))
            }
        }
    }

    public func beginObject(bucket: String, key: String, contentType: String?, metadata: [String: String],
                            multipartPartSize: Int?) throws -> any ObjectUpload {
        try check(bucket: bucket, key: key, operation: "PutObject")
        return DataUpload { data, checksums in
            let hasher = ETagHasher(multipartPartSize: multipartPartSize)
            data.withUnsafeBytes { hasher.update($0) }
            var info = ObjectInfo(key: key, size: Int64(data.count), etag: hasher.finish(), lastModified: Date(),
                                  contentType: contentType ?? ContentTypes.guess(forKey: key), metadata: metadata)
            info.checksums = checksums
            try self.state.withLock { buckets in
                guard buckets[bucket] != nil else { throw AWSError.noSuchBucket(bucket, operation: "PutObject") }
                buckets[bucket]!.objects[key] = Stored(data: data, info: info)
            }
            return info
        }
    }

    public func openObject(bucket: String, key: String) throws -> any ObjectSource {
        let stored = try stored(bucket: bucket, key: key, operation: "GetObject")
        return DataSource(data: stored.data, info: stored.info)
    }

    public func deleteObject(bucket: String, key: String) throws {
        try check(bucket: bucket, key: key, operation: "DeleteObject")
        state.withLock { _ = $0[bucket]?.objects.removeValue(forKey: key) }
    }

    public func listObjects(_ request: ListObjectsRequest) throws -> ListObjectsPage {
        let objects = try state.withLock { buckets in
            guard let contents = buckets[request.bucket] else {
                throw AWSError.noSuchBucket(request.bucket, operation: "ListObjectsV2")
            }
            return contents.objects.values.map(\.info)
        }
        return try ListingPaginator.page(objects.sorted { ListingPaginator.precedes($0.key, $1.key) }, request: request)
    }

    private func check(bucket: String, key: String, operation: String) throws {
        guard bucketExists(bucket) else { throw AWSError.noSuchBucket(bucket, operation: operation) }
        if let problem = S3Names.keyProblem(key) { throw AWSError.invalidKey(key, reason: problem, operation: operation) }
    }

    private func stored(bucket: String, key: String, operation: String) throws -> Stored {
        try check(bucket: bucket, key: key, operation: operation)
        guard let stored = state.withLock({ $0[bucket]?.objects[key] }) else {
            throw AWSError.noSuchKey(bucket: bucket, key: key, operation: operation)
        }
        return stored
    }
}

private final class DataUpload: ObjectUpload {
    private var data = Data()
    var checksums: [String: String] = [:]
    private let store: (Data, [String: String]) throws -> ObjectInfo

    init(store: @escaping (Data, [String: String]) throws -> ObjectInfo) { self.store = store }

    func write(_ bytes: UnsafeRawBufferPointer) throws { data.append(contentsOf: bytes) }
    func commit() throws -> ObjectInfo { try store(data, checksums) }
    func abort() { data = Data() }
}

private final class DataSource: ObjectSource {
    let info: ObjectInfo
    private let data: Data
    private var offset = 0

    init(data: Data, info: ObjectInfo) {
        self.data = data
        self.info = info
    }

    func read(upTo maxCount: Int) throws -> Data {
        let end = min(data.count, offset + maxCount)
        defer { offset = end }
        return data.subdata(in: offset..<end)
    }

    func seek(to offset: Int64) throws { self.offset = Int(min(Int64(data.count), offset)) }
    func close() {}
}
