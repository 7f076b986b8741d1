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
/// Nothing leaves `buckets/`: every name is resolved a component at a time without following
/// links (see ConfinedFolder). A link inside a bucket is not an object, a link in `buckets/` is not
/// a bucket, and a write through a linked folder is refused.
///
/// Limitation: an object `a` and an object `a/b` cannot both exist, since `a` cannot be a file and
/// a folder at once; the second write is refused with a clear error.
public final class FileSystemObjectStore: ObjectStore {
    public let root: URL
    let recordCache = RecordCache()
    static let incomingName = ".incoming"
    static let metaName = ".meta"

    /// - Parameter root: the workspace's `buckets` folder. Leftovers of interrupted writes by
    ///   processes that are gone are removed here.
    public init(root: URL) throws {
        self.root = root
        let top = try topFolder(operation: "ListBuckets")
        for name in [Self.incomingName, Self.metaName] {
            _ = try confined("ListBuckets") { try top.folder(name, create: true) }
        }
        removeAbandonedWrites(in: try incomingFolder(top, operation: "ListBuckets"))
    }

    // MARK: Buckets

    public func createBucket(_ bucket: String) throws {
        if let problem = S3Names.bucketNameProblem(bucket) {
            throw AWSError.invalidBucketName(bucket, reason: problem, operation: "CreateBucket")
        }
        let top = try topFolder(operation: "CreateBucket")
        if let existing = top.stat(of: bucket) {
            guard existing.isDirectory else {
                throw AWSError(code: "InvalidArgument",
                               message: "buckets/\(bucket) exists in the workspace and is not a bucket (a symbolic link or a file: InferLab follows no links, so that everything stays inside the workspace)",
                               operation: "CreateBucket", hint: "remove buckets/\(bucket) from the workspace, or choose another name")
            }
            throw AWSError.bucketAlreadyOwnedByYou(bucket)
        }
        let record = try JSONEncoder().encode(BucketRecord(creationDate: Date()))
        try confined("CreateBucket") {
            let meta = try top.folder(at: [Self.metaName, bucket], create: true)!
            try writeSmallFile(record, named: "bucket.json", in: meta, top: top, durable: false, operation: "CreateBucket")
            _ = try top.folder(bucket, create: true)
        }
    }

    public func deleteBucket(_ bucket: String) throws {
        _ = try bucketFolder(bucket, operation: "DeleteBucket")
        if try !objectFiles(bucket: bucket, under: "").isEmpty { throw AWSError.bucketNotEmpty(bucket) }
        let top = try topFolder(operation: "DeleteBucket")
        // Empty folders, links and other non-objects go with the bucket (a link is removed, never
        // followed); an object put since the check above stays, and the bucket with it.
        guard let folder = try? top.folder(bucket, create: false) else { return }
        Self.removeAllButObjects(in: folder)
        guard top.removeEmptyFolder(bucket) else { throw AWSError.bucketNotEmpty(bucket) }
        if let meta = try? top.folder(Self.metaName, create: false) { meta.removeTree(bucket) }
        // Its unfinished multipart uploads go too (S3 aborts them with the bucket).
        removeUploads(ofBucket: bucket, in: top)
    }

    public func listBuckets() throws -> [BucketInfo] {
        let top = try topFolder(operation: "ListBuckets")
        let meta = try? top.folder(Self.metaName, create: false)
        return top.entries()
            .filter { $0.stat.isDirectory && S3Names.bucketNameProblem($0.name) == nil }
            .sorted { $0.name < $1.name }
            .map { entry in
                let record = (try? meta?.folder(entry.name, create: false))??.readFile("bucket.json", limit: 1 << 16)
                    .flatMap { try? JSONDecoder().decode(BucketRecord.self, from: $0) }
                return BucketInfo(name: entry.name, creationDate: record?.creationDate ?? entry.stat.modified)
            }
    }

    /// True for a real folder in `buckets/` with a bucket's name; a link there is not a bucket.
    public func bucketExists(_ bucket: String) -> Bool {
        guard S3Names.bucketNameProblem(bucket) == nil, let top = try? topFolder(operation: "HeadBucket") else { return false }
        return top.stat(of: bucket)?.isDirectory == true
    }

    // MARK: Objects

    public func headObject(bucket: String, key: String) throws -> ObjectInfo {
        guard let (descriptor, stat) = try openObjectFile(bucket: bucket, key: key, operation: "HeadObject") else {
            throw AWSError.headObjectNotFound(bucket: bucket, key: key)
        }
        defer { close(descriptor) }
        return try info(bucket: bucket, key: key, descriptor: descriptor, stat: stat)
    }

    public func openObject(bucket: String, key: String) throws -> any ObjectSource {
        guard let (descriptor, stat) = try openObjectFile(bucket: bucket, key: key, operation: "GetObject") else {
            throw AWSError.noSuchKey(bucket: bucket, key: key, operation: "GetObject")
        }
        do {
            let info = try info(bucket: bucket, key: key, descriptor: descriptor, stat: stat)
            return FileObjectSource(descriptor: descriptor, info: info)
        } catch {
            close(descriptor)
            throw error
        }
    }

    public func deleteObject(bucket: String, key: String) throws {
        let bucketFolder = try bucketFolder(bucket, operation: "DeleteObject")
        let segments = try keySegments(key, operation: "DeleteObject")
        // The folders from the bucket down; a link or a file on the way means there is no such
        // object, and S3 answers 204 for a missing key.
        var chain = [bucketFolder]
        for segment in segments.dropLast() {
            guard let next = try? chain.last!.folder(segment, create: false) else { return }
            chain.append(next)
        }
        let leaf = segments.last!
        guard chain.last!.stat(of: leaf)?.isRegularFile == true else { return }
        guard chain.last!.removeFile(leaf) else {
            throw AWSError(code: "InternalError", message: "could not delete s3://\(bucket)/\(key): \(String(cString: strerror(errno)))",
                           operation: "DeleteObject", httpStatus: 500)
        }
        removeSidecar(bucket: bucket, key: key)
        // Folders left empty go too, as S3 has no folders: up the chain, until one is not empty.
        for level in stride(from: chain.count - 1, to: 0, by: -1) {
            guard chain[level - 1].removeEmptyFolder(segments[level - 1]) else { break }
        }
    }

    public func listObjects(_ request: ListObjectsRequest) throws -> ListObjectsPage {
        _ = try bucketFolder(request.bucket, operation: "ListObjectsV2")
        // Walk only the folder the prefix implies: `batch-input/da` starts at `batch-input/`.
        let folderPrefix = request.prefix.range(of: "/", options: .backwards).map { String(request.prefix[..<$0.upperBound]) } ?? ""
        // A prefix whose folders no key could have (`../`, `a//b/`) matches nothing.
        let prefixFolders = folderPrefix.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        guard prefixFolders.allSatisfy({ ConfinedFolder.isPlainName(String($0)) }) else {
            return try ListingPaginator.page([], request: request)
        }
        let files = try objectFiles(bucket: request.bucket, under: folderPrefix)
        var page = try ListingPaginator.page(files, request: request)
        // ETags cost a read of the record (or a hash): only for what is returned. Keys come
        // sorted, so one open folder serves a run of keys in it.
        var folders: (path: Substring, folder: ConfinedFolder?)?
        let bucketFolder = try bucketFolder(request.bucket, operation: "ListObjectsV2")
        for index in page.contents.indices {
            let key = page.contents[index].key
            let slash = key.lastIndex(of: "/")
            let folderPath = slash.map { key[..<$0] } ?? ""
            if folders?.path != folderPath {
                let folder = folderPath.isEmpty ? bucketFolder : try? bucketFolder.folder(at: folderPath.split(separator: "/"), create: false)
                folders = (folderPath, folder)
            }
            let leaf = String(slash.map { key[key.index(after: $0)...] } ?? key[...])
            guard let (descriptor, stat) = try folders?.folder?.openFileForReading(leaf) else { continue }
            defer { close(descriptor) }
            page.contents[index] = try info(bucket: request.bucket, key: key, descriptor: descriptor, stat: stat)
        }
        return page
    }

    // MARK: Resolving names, never through a link

    /// `buckets/` itself: its last component may not be a link.
    func topFolder(operation: String) throws -> ConfinedFolder {
        try confined(operation) { try ConfinedFolder.open(root.path, create: true) }
    }

    func incomingFolder(_ top: ConfinedFolder, operation: String) throws -> ConfinedFolder {
        try confined(operation) { try top.folder(Self.incomingName, create: true)! }
    }

    /// The bucket's folder, after its name is checked. A link in `buckets/` is not a bucket.
    func bucketFolder(_ bucket: String, operation: String) throws -> ConfinedFolder {
        if let problem = S3Names.bucketNameProblem(bucket) {
            throw AWSError.invalidBucketName(bucket, reason: problem, operation: operation)
        }
        let top = try topFolder(operation: operation)
        guard top.stat(of: bucket)?.isDirectory == true, let folder = try? top.folder(bucket, create: false) else {
            throw AWSError.noSuchBucket(bucket, operation: operation)
        }
        return folder
    }

    /// A checked key's segments: `in/data.csv` is `["in", "data.csv"]`.
    func keySegments(_ key: String, operation: String) throws -> [String] {
        if let problem = S3Names.keyProblem(key) { throw AWSError.invalidKey(key, reason: problem, operation: operation) }
        return key.split(separator: "/").map(String.init)
    }

    /// The object's open file and its facts; nil when there is no such object (nothing there, or
    /// a link, a folder or another non-file on the way).
    func openObjectFile(bucket: String, key: String, operation: String) throws -> (descriptor: Int32, stat: FileStat)? {
        let bucketFolder = try bucketFolder(bucket, operation: operation)
        let segments = try keySegments(key, operation: operation)
        let parent: ConfinedFolder?
        do {
            parent = try bucketFolder.folder(at: segments.dropLast(), create: false)
        } catch let error as ConfinementError where error.problem != .link && error.problem != .notFolder {
            throw internalError(error, operation: operation)
        } catch {
            return nil
        }
        return try confined(operation) { try parent?.openFileForReading(segments.last!) }
    }

    /// Runs `body`, turning a path that could not be used into an InternalError that names it.
    func confined<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ConfinementError { throw internalError(error, operation: operation) }
    }

    func internalError(_ error: ConfinementError, operation: String) -> AWSError {
        AWSError(code: "InternalError", message: "the workspace's object store cannot be used: \(error)", operation: operation,
                 httpStatus: 500, hint: error.problem == .link ? "remove the link: InferLab keeps everything inside the workspace" : nil)
    }

    /// Every regular file under `bucket/folderPrefix`, as objects sorted by key (size and date
    /// only; ETags are filled in later for what a page returns). Links are skipped, not followed.
    func objectFiles(bucket: String, under folderPrefix: String) throws -> [ObjectInfo] {
        let bucketFolder = try bucketFolder(bucket, operation: "ListObjectsV2")
        guard let start = try? bucketFolder.folder(at: folderPrefix.split(separator: "/"), create: false) else { return [] }
        var objects: [ObjectInfo] = []
        Self.collectFiles(in: start, prefix: folderPrefix, into: &objects)
        return objects.sorted { ListingPaginator.precedes($0.key, $1.key) }
    }

    private static func collectFiles(in folder: ConfinedFolder, prefix: String, into objects: inout [ObjectInfo]) {
        // No key is longer than 1,024 bytes, so no object lies deeper: this bounds the descriptors
        // a hand-made deep tree could take.
        guard prefix.utf8.count <= 1024 else { return }
        for (name, stat) in folder.entries() {
            if stat.isRegularFile {
                objects.append(ObjectInfo(key: prefix + name, size: stat.size, etag: "", lastModified: stat.modified, contentType: ""))
            } else if stat.isDirectory, let child = try? folder.folder(name, create: false) {
                collectFiles(in: child, prefix: prefix + name + "/", into: &objects)
            }
        }
    }

    /// Empties a folder of everything but regular files (objects), depth first.
    private static func removeAllButObjects(in folder: ConfinedFolder) {
        for (name, stat) in folder.entries() where !stat.isRegularFile {
            if stat.isDirectory, let child = try? folder.folder(name, create: false) {
                removeAllButObjects(in: child)
                folder.removeEmptyFolder(name)
            } else {
                folder.removeFile(name)
            }
        }
    }

    /// Removes temporary files of writes whose process has ended (crash, `kill -9`).
    private func removeAbandonedWrites(in incoming: ConfinedFolder) {
        for (name, _) in incoming.entries() {
            let pid = name.split(separator: "-").first.flatMap { Int32($0) } ?? 0
            if !ProcessLiveness.isAlive(pid) { incoming.removeTree(name) }
        }
    }
}

struct BucketRecord: Codable {
    var creationDate: Date
}

/// The few `stat(2)` facts the store needs.
struct FileStat: Equatable {
    let isRegularFile: Bool
    let isDirectory: Bool
    let isSymbolicLink: Bool
    let size: Int64
    let modified: Date
    /// Device and inode: which file this is, whatever its name now.
    let identity: [UInt64]

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

    init(_ info: stat) {
        isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        isSymbolicLink = (info.st_mode & S_IFMT) == S_IFLNK
        identity = [UInt64(info.st_dev), UInt64(info.st_ino)]
        size = Int64(info.st_size)
        #if canImport(Glibc)
        modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        #else
        modified = Date(timeIntervalSince1970: Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9)
        #endif
    }
}
