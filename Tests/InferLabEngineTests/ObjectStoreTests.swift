import Foundation
import Testing
#if os(Linux)
import CXattr
#endif
@testable import InferLabEngine

/// The rules every store shares, run against both the filesystem store and the in-memory double.
struct ObjectStoreTests {
    enum Kind: String, CaseIterable { case fileSystem, inMemory }

    static func makeStore(_ kind: Kind) throws -> any ObjectStore {
        switch kind {
        case .fileSystem: try FileSystemObjectStore(root: temporaryFolder().appendingPathComponent("buckets"))
        case .inMemory: InMemoryObjectStore()
        }
    }

    @Test(arguments: Kind.allCases)
    func bucketLifecycleAndErrors(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        try store.createBucket("loan-lab")
        #expect(throws: AWSError.bucketAlreadyOwnedByYou("loan-lab")) { try store.createBucket("loan-lab") }
        try store.putObject(bucket: "loan-lab", key: "a.csv", data: Data("1\n".utf8))
        #expect(throws: AWSError.bucketNotEmpty("loan-lab")) { try store.deleteBucket("loan-lab") }
        try store.deleteObject(bucket: "loan-lab", key: "a.csv")
        try store.deleteBucket("loan-lab")
        #expect(try store.listBuckets().isEmpty)
        #expect(throws: AWSError.noSuchBucket("loan-lab", operation: "ListObjectsV2")) {
            try store.listObjects(ListObjectsRequest(bucket: "loan-lab"))
        }
    }

    @Test(arguments: ["ab", "Loan-Lab", "loan_lab", "-loan", "loan-", "a..b", "192.168.1.1", "xn--abc", "data-s3alias",
                      String(repeating: "a", count: 64)])
    func invalidBucketNamesAreRefused(name: String) throws {
        let store = try Self.makeStore(.fileSystem)
        #expect { try store.createBucket(name) } throws: { ($0 as? AWSError)?.code == "InvalidBucketName" }
    }

    @Test(arguments: ["../escape", "a/../../escape", "/etc/passwd", "a\\b", "a\u{0}b", ".", "a/./b", "", "a//b", "folder/",
                      "..", "ctrl\u{7}char", String(repeating: "k", count: 1025), String(repeating: "s", count: 256)])
    func hostileKeysNeverLeaveTheBucket(key: String) throws {
        let root = temporaryFolder()
        let store = try FileSystemObjectStore(root: root.appendingPathComponent("buckets"))
        try store.createBucket("loan-lab")
        #expect { try store.putObject(bucket: "loan-lab", key: key, data: Data("x".utf8)) } throws: {
            ($0 as? AWSError)?.code == "InvalidArgument"
        }
        // Nothing was written anywhere: not outside the bucket, not inside it.
        let written = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }
            .filter { !$0.hasPrefix("buckets/.meta") && $0 != "buckets/.incoming" && $0 != "buckets/.meta" } ?? []
        #expect(written.sorted() == ["buckets", "buckets/loan-lab"])
    }

    @Test(arguments: Kind.allCases)
    func objectsRoundTripWithETagTypeAndMetadata(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        try store.createBucket("bk1")
        let body = Data("25,50000,2\n35,60000,3\n".utf8)
        let info = try store.putObject(bucket: "bk1", key: "in/data.csv", body: .data(body), contentType: nil, metadata: ["owner": "me"])
        #expect(info.etag == md5Hex(body))
        #expect(info.contentType == "text/csv")
        let head = try store.headObject(bucket: "bk1", key: "in/data.csv")
        #expect(head.size == Int64(body.count))
        #expect(head.metadata == ["owner": "me"])
        #expect(try store.readObject(bucket: "bk1", key: "in/data.csv") == body)
        #expect(try store.readObject(bucket: "bk1", key: "in/data.csv", range: 3...7) == Data("50000".utf8))
        #expect(throws: AWSError.noSuchKey(bucket: "bk1", key: "missing", operation: "GetObject")) {
            try store.readObject(bucket: "bk1", key: "missing")
        }
        #expect { try store.headObject(bucket: "bk1", key: "missing") } throws: { ($0 as? AWSError)?.code == "404" }
    }

    @Test(arguments: Kind.allCases)
    func listingFollowsS3(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        try store.createBucket("bk1")
        for key in ["test/a.csv", "test/b.csv", "test_output/a.csv.out", "test.csv", "zeta", "a/b/c", "a/d", "émoji", "Z"] {
            try store.putObject(bucket: "bk1", key: key, data: Data(key.utf8))
        }
        // A raw string prefix, as S3: `test` also matches `test_output/…` and `test.csv`.
        let raw = try store.listObjects(ListObjectsRequest(bucket: "bk1", prefix: "test")).contents.map(\.key)
        #expect(raw == ["test.csv", "test/a.csv", "test/b.csv", "test_output/a.csv.out"])
        // Delimiter groups into common prefixes.
        let grouped = try store.listObjects(ListObjectsRequest(bucket: "bk1", delimiter: "/"))
        #expect(grouped.commonPrefixes == ["a/", "test/", "test_output/"])
        #expect(grouped.contents.map(\.key) == ["Z", "test.csv", "zeta", "émoji"])  // UTF-8 byte order
        // Start-after skips up to and including the key.
        let after = try store.listObjects(ListObjectsRequest(bucket: "bk1", startAfter: "test/b.csv")).contents.map(\.key)
        #expect(after == ["test_output/a.csv.out", "zeta", "émoji"])
    }

    @Test(arguments: Kind.allCases, [1, 2, 3, 5])
    func paginationVisitsEveryEntryOnce(kind: Kind, pageSize: Int) throws {
        let store = try Self.makeStore(kind)
        try store.createBucket("bk1")
        let keys = ["a/1", "a/2", "b", "c/1", "c/2", "c/3", "d", "e/x/y"]
        for key in keys { try store.putObject(bucket: "bk1", key: key, data: Data()) }
        for delimiter in [nil, "/"] {
            var request = ListObjectsRequest(bucket: "bk1", delimiter: delimiter, maxKeys: pageSize)
            var seen: [String] = []
            while true {
                let page = try store.listObjects(request)
                #expect(page.keyCount <= pageSize)
                seen += page.commonPrefixes + page.contents.map(\.key)
                guard page.isTruncated, let token = page.nextContinuationToken else { break }
                request.continuationToken = token
            }
            let expected = delimiter == nil ? keys : ["a/", "b", "c/", "d", "e/"]
            #expect(seen.sorted() == expected.sorted(), "delimiter \(delimiter ?? "none")")
        }
    }

    @Test func aKeyCannotBeBothAnObjectAndAFolder() throws {
        let store = try Self.makeStore(.fileSystem)
        try store.createBucket("bk1")
        try store.putObject(bucket: "bk1", key: "a", data: Data("x".utf8))
        #expect { try store.putObject(bucket: "bk1", key: "a/b", data: Data()) } throws: {
            ($0 as? AWSError)?.message.contains("the object s3://bk1/a exists") == true
        }
        try store.putObject(bucket: "bk1", key: "c/d", data: Data())
        #expect { try store.putObject(bucket: "bk1", key: "c", data: Data()) } throws: {
            ($0 as? AWSError)?.message.contains("objects exist under s3://bk1/c/") == true
        }
    }

    @Test func aFailedWriteLeavesTheOldObjectAndNoTemporaryFile() throws {
        let root = temporaryFolder().appendingPathComponent("buckets")
        let store = try FileSystemObjectStore(root: root)
        try store.createBucket("bk1")
        try store.putObject(bucket: "bk1", key: "k", data: Data("old".utf8))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.writeObject(bucket: "bk1", key: "k", contentType: nil, metadata: [:]) { sink in
                try sink.write(Data("new but".utf8))
                throw Boom()
            }
        }
        #expect(try store.readObject(bucket: "bk1", key: "k") == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".incoming").path).isEmpty)
    }

    @Test func leftoversOfDeadWritersAreCleanedAtStart() throws {
        let root = temporaryFolder().appendingPathComponent("buckets")
        _ = try FileSystemObjectStore(root: root)
        let incoming = root.appendingPathComponent(".incoming")
        let dead = incoming.appendingPathComponent("999999-\(UUID().uuidString)")
        let alive = incoming.appendingPathComponent("\(getpid())-\(UUID().uuidString)")
        try Data("partial".utf8).write(to: dead)
        try Data("in progress".utf8).write(to: alive)
        _ = try FileSystemObjectStore(root: root)
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: alive.path), "a running writer's file is left alone")
    }

    @Test func aFileEditedByHandGetsAFreshETag() throws {
        let root = temporaryFolder().appendingPathComponent("buckets")
        let store = try FileSystemObjectStore(root: root)
        try store.createBucket("bk1")
        try store.putObject(bucket: "bk1", key: "notes.txt", data: Data("one".utf8))
        try Data("one and two".utf8).write(to: root.appendingPathComponent("bk1/notes.txt"))
        let info = try store.headObject(bucket: "bk1", key: "notes.txt")
        #expect(info.size == 11)
        #expect(info.etag == md5Hex(Data("one and two".utf8)))
    }

    @Test func theRecordLivesOnTheObjectsFileWithNoSidecar() throws {
        let root = temporaryFolder().appendingPathComponent("buckets")
        let store = try FileSystemObjectStore(root: root)
        try store.createBucket("bk1")
        let file = root.appendingPathComponent("bk1/in/data.csv")
        try store.putObject(bucket: "bk1", key: "in/data.csv", body: .data(Data("1,2\n".utf8)), contentType: "text/csv",
                            metadata: ["owner": "me"])
        #if os(Linux)
        let onFile = getxattr(file.path, FileSystemObjectStore.recordAttribute, nil, 0) > 0
        try #require(onFile || errno == ENOTSUP, "user attributes are supported here but were not used")
        #expect(FileManager.default.fileExists(atPath: store.metaURL(bucket: "bk1", key: "in/data.csv").path) == !onFile,
                "a sidecar exactly when the file system has no user attributes")
        #endif
        let info = try store.headObject(bucket: "bk1", key: "in/data.csv")
        #expect(info.contentType == "text/csv" && info.metadata == ["owner": "me"] && info.etag == md5Hex(Data("1,2\n".utf8)))
    }

    @Test func aRecomputedRecordIsKeptOnTheFile() throws {
        let root = temporaryFolder().appendingPathComponent("buckets")
        let store = try FileSystemObjectStore(root: root)
        try store.createBucket("bk1")
        try store.putObject(bucket: "bk1", key: "notes.txt", data: Data("one".utf8))
        // Edited by hand: the record on the file still describes "one", and is stale.
        try Data("one and two".utf8).write(to: root.appendingPathComponent("bk1/notes.txt"))
        let file = root.appendingPathComponent("bk1/notes.txt")
        let first = try store.headObject(bucket: "bk1", key: "notes.txt")
        #expect(first.etag == md5Hex(Data("one and two".utf8)))
        #if os(Linux)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = getxattr(file.path, FileSystemObjectStore.recordAttribute, &buffer, buffer.count)
        if count > 0 || errno != ENOTSUP {
            #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).contains(first.etag), "the recomputed record is kept on the file")
        }
        #endif
        #expect(try store.headObject(bucket: "bk1", key: "notes.txt") == first)
    }

    @Test func aSidecarFromAnOlderWorkspaceIsStillRead() throws {
        let root = temporaryFolder().appendingPathComponent("buckets")
        let store = try FileSystemObjectStore(root: root)
        try store.createBucket("bk1")
        let file = root.appendingPathComponent("bk1/old.bin")
        try Data("old".utf8).write(to: file)
        let stat = try #require(FileStat(file))
        let record = ObjectRecord(etag: md5Hex(Data("old".utf8)), size: 3, modified: stat.modified.timeIntervalSince1970,
                                  contentType: "application/x-old", metadata: ["kept": "yes"])
        let sidecar = store.metaURL(bucket: "bk1", key: "old.bin")
        try FileManager.default.createDirectory(at: sidecar.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(record).write(to: sidecar)
        let info = try store.headObject(bucket: "bk1", key: "old.bin")
        #expect(info.contentType == "application/x-old" && info.metadata == ["kept": "yes"])
    }
}

func temporaryFolder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

import Crypto
func md5Hex(_ data: Data) -> String { Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined() }
