#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// S3 semantics on the filesystem, laid out for people: `buckets/<bucket>/<key>` is a plain file.
///
/// Around the buckets live two kit folders whose names no bucket can take (bucket names start
/// with a letter or digit): `.incoming/` for objects being written, renamed into place only when
/// complete, and `.meta/` for the ETag, content type and user metadata of objects on a file system
/// without extended attributes (elsewhere they live on the object's file; see ObjectRecord).
///
/// Limitation: an object `a` and an object `a/b` cannot both exist, since `a` cannot be a file and
/// a folder at once; the second write is refused with a clear error.
public final class FileSystemObjectStore: ObjectStore {
    public let root: URL
    let incoming: URL
    let metaRoot: URL
    private let fileManager = FileManager.default

    /// - Parameter root: the workspace's `buckets` folder. Leftovers of interrupted writes by
    ///   processes that are gone are removed here.
    public init(root: URL) throws {
        self.root = root
        incoming = root.appendingPathComponent(".incoming", isDirectory: true)
        metaRoot = root.appendingPathComponent(".meta", isDirectory: true)
        for folder in [root, incoming, metaRoot] {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        removeAbandonedWrites()
    }

    // MARK: Buckets

    public func createBucket(_ bucket: String) throws {
        if let problem = S3Names.bucketNameProblem(bucket) {
            throw AWSError.invalidBucketName(bucket, reason: problem, operation: "CreateBucket")
        }
        let folder = bucketURL(bucket)
        guard !fileManager.fileExists(atPath: folder.path) else { throw AWSError.bucketAlreadyOwnedByYou(bucket) }
        try fileManager.createDirectory(at: metaFolder(bucket), withIntermediateDirectories: true)
        let record = try JSONEncoder().encode(BucketRecord(creationDate: Date()))
        try record.write(to: metaFolder(bucket).appendingPathComponent("bucket.json"), options: .atomic)
        try fileManager.createDirectory(at: folder, withIntermediateDirectories: false)
    }

    public func deleteBucket(_ bucket: String) throws {
        try requireBucket(bucket, operation: "DeleteBucket")
        if try !objectFiles(bucket: bucket, under: "").isEmpty { throw AWSError.bucketNotEmpty(bucket) }
        try fileManager.removeItem(at: bucketURL(bucket))
        try? fileManager.removeItem(at: metaFolder(bucket))
    }

    public func listBuckets() throws -> [BucketInfo] {
        let names = try fileManager.contentsOfDirectory(atPath: root.path)
            .filter { S3Names.bucketNameProblem($0) == nil && bucketExists($0) }
        return names.sorted().map { name in
            let record = (try? Data(contentsOf: metaFolder(name).appendingPathComponent("bucket.json")))
                .flatMap { try? JSONDecoder().decode(BucketRecord.self, from: $0) }
            let created = record?.creationDate
                ?? (try? fileManager.attributesOfItem(atPath: bucketURL(name).path)[.modificationDate] as? Date) ?? Date()
            return BucketInfo(name: name, creationDate: created)
        }
    }

    public func bucketExists(_ bucket: String) -> Bool {
        guard S3Names.bucketNameProblem(bucket) == nil else { return false }
        var isDirectory: ObjCBool = false
        return fileManager.fileExists(atPath: bucketURL(bucket).path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    // MARK: Objects

    public func headObject(bucket: String, key: String) throws -> ObjectInfo {
        let file = try objectURL(bucket: bucket, key: key, operation: "HeadObject")
        guard let stat = FileStat(file), stat.isRegularFile else {
            throw AWSError.headObjectNotFound(bucket: bucket, key: key)
        }
        return try info(bucket: bucket, key: key, file: file, stat: stat)
    }

    public func openObject(bucket: String, key: String) throws -> any ObjectSource {
        let file = try objectURL(bucket: bucket, key: key, operation: "GetObject")
        guard let stat = FileStat(file), stat.isRegularFile else {
            throw AWSError.noSuchKey(bucket: bucket, key: key, operation: "GetObject")
        }
        let info = try info(bucket: bucket, key: key, file: file, stat: stat)
        return try FileObjectSource(url: file, info: info)
    }

    public func deleteObject(bucket: String, key: String) throws {
        let file = try objectURL(bucket: bucket, key: key, operation: "DeleteObject")
        guard let stat = FileStat(file), stat.isRegularFile else { return }  // S3 answers 204 for a missing key
        try fileManager.removeItem(at: file)
        try? fileManager.removeItem(at: metaURL(bucket: bucket, key: key))
        removeEmptyFolders(from: file.deletingLastPathComponent(), upTo: bucketURL(bucket))
    }

    public func listObjects(_ request: ListObjectsRequest) throws -> ListObjectsPage {
        try requireBucket(request.bucket, operation: "ListObjectsV2")
        // Walk only the folder the prefix implies: `batch-input/da` starts at `batch-input/`.
        let folderPrefix = request.prefix.range(of: "/", options: .backwards).map { String(request.prefix[..<$0.upperBound]) } ?? ""
        let files = try objectFiles(bucket: request.bucket, under: folderPrefix)
        var page = try ListingPaginator.page(files, request: request)
        // ETags cost a read of the sidecar (or a hash): only for what is returned.
        for index in page.contents.indices {
            let key = page.contents[index].key
            let file = bucketURL(request.bucket).appendingPathComponent(key)
            if let stat = FileStat(file) {
                page.contents[index] = try info(bucket: request.bucket, key: key, file: file, stat: stat)
            }
        }
        return page
    }

    // MARK: Paths

    func bucketURL(_ bucket: String) -> URL { root.appendingPathComponent(bucket, isDirectory: true) }
    func metaFolder(_ bucket: String) -> URL { metaRoot.appendingPathComponent(bucket, isDirectory: true) }

    /// The file for a key, after the bucket and key are checked: never outside the bucket.
    func objectURL(bucket: String, key: String, operation: String) throws -> URL {
        try requireBucket(bucket, operation: operation)
        if let problem = S3Names.keyProblem(key) { throw AWSError.invalidKey(key, reason: problem, operation: operation) }
        return bucketURL(bucket).appendingPathComponent(key, isDirectory: false)
    }

    func requireBucket(_ bucket: String, operation: String) throws {
        if let problem = S3Names.bucketNameProblem(bucket) {
            throw AWSError.invalidBucketName(bucket, reason: problem, operation: operation)
        }
        guard bucketExists(bucket) else { throw AWSError.noSuchBucket(bucket, operation: operation) }
    }

    /// Every regular file under `bucket/folderPrefix`, as objects sorted by key (size and date
    /// only; ETags are filled in later for what a page returns).
    func objectFiles(bucket: String, under folderPrefix: String) throws -> [ObjectInfo] {
        let bucketFolder = bucketURL(bucket)
        let start = folderPrefix.isEmpty ? bucketFolder : bucketFolder.appendingPathComponent(folderPrefix, isDirectory: true)
        let basePath = bucketFolder.path.hasSuffix("/") ? bucketFolder.path : bucketFolder.path + "/"
        guard let walker = fileManager.enumerator(
            at: start, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey])
        else { return [] }
        var objects: [ObjectInfo] = []
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey])
            guard values?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(basePath) else { continue }
            let key = String(path.dropFirst(basePath.count))
            objects.append(ObjectInfo(key: key, size: Int64(values?.fileSize ?? 0), etag: "",
                                      lastModified: values?.contentModificationDate ?? Date(), contentType: ""))
        }
        return objects.sorted { ListingPaginator.precedes($0.key, $1.key) }
    }

    private func removeEmptyFolders(from folder: URL, upTo bucketFolder: URL) {
        var current = folder.standardizedFileURL
        let stop = bucketFolder.standardizedFileURL.path
        while current.path.count > stop.count, current.path.hasPrefix(stop),
              (try? fileManager.contentsOfDirectory(atPath: current.path).isEmpty) == true {
            try? fileManager.removeItem(at: current)
            current = current.deletingLastPathComponent()
        }
    }

    /// Removes temporary files of writes whose process has ended (crash, `kill -9`).
    private func removeAbandonedWrites() {
        guard let names = try? fileManager.contentsOfDirectory(atPath: incoming.path) else { return }
        for name in names {
            let pid = name.split(separator: "-").first.flatMap { Int32($0) } ?? 0
            if !ProcessLiveness.isAlive(pid) {
                try? fileManager.removeItem(at: incoming.appendingPathComponent(name))
            }
        }
    }
}

struct BucketRecord: Codable {
    var creationDate: Date
}

/// The few `stat(2)` facts the store needs.
struct FileStat {
    let isRegularFile: Bool
    let isDirectory: Bool
    let size: Int64
    let modified: Date

    init?(_ url: URL) {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        self.init(info)
    }

    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    private init(_ info: stat) {
        isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        size = Int64(info.st_size)
        #if canImport(Glibc)
        modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        #else
        modified = Date(timeIntervalSince1970: Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9)
        #endif
    }
}
