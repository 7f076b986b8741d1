#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import InferLabEngine

/// Links planted inside `buckets/` never lead the store outside it: every kind of link, against
/// every store operation. After each, the folder outside is exactly as it was.
struct ObjectStoreConfinementTests {
    /// A workspace's `buckets/` next to an `outside/` folder holding a secret file and folder.
    struct Fixture {
        let base: URL
        let store: FileSystemObjectStore
        var buckets: URL { base.appendingPathComponent("ws/buckets") }
        var outside: URL { base.appendingPathComponent("outside") }

        init() throws {
            base = temporaryFolder()
            let outside = base.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside.appendingPathComponent("dir"), withIntermediateDirectories: true)
            try Data("SECRET".utf8).write(to: outside.appendingPathComponent("secret.txt"))
            try Data("SECRET".utf8).write(to: outside.appendingPathComponent("dir/secret.txt"))
            store = try FileSystemObjectStore(root: base.appendingPathComponent("ws/buckets"))
            try store.createBucket("bk1")
        }

        /// Every file and folder outside, with contents: compared before and after.
        func outsideSnapshot() -> [String: String] {
            var snapshot: [String: String] = [:]
            let walker = FileManager.default.enumerator(atPath: outside.path)
            while let path = walker?.nextObject() as? String {
                let data = FileManager.default.contents(atPath: outside.appendingPathComponent(path).path)
                snapshot[path] = data.map { String(decoding: $0, as: UTF8.self) } ?? "<folder>"
            }
            return snapshot
        }

        func link(_ path: String, to target: String) throws {
            let url = buckets.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            #expect(symlink(target, url.path) == 0)
        }
    }

    /// Where a link is planted and the object key that goes through it.
    enum Link: String, CaseIterable, CustomTestStringConvertible {
        case fileAbsolute, fileRelative, folderAbsolute, folderRelative, nested, dangling, bucketLevel
        var testDescription: String { rawValue }

        func plant(in fixture: Fixture) throws {
            switch self {
            case .fileAbsolute: try fixture.link("bk1/linked.txt", to: fixture.outside.appendingPathComponent("secret.txt").path)
            case .fileRelative: try fixture.link("bk1/linked.txt", to: "../../outside/secret.txt")
            case .folderAbsolute: try fixture.link("bk1/linked", to: fixture.outside.appendingPathComponent("dir").path)
            case .folderRelative: try fixture.link("bk1/linked", to: "../../outside/dir")
            case .nested: try fixture.link("bk1/a/b/linked", to: "../../../../outside/dir")
            case .dangling: try fixture.link("bk1/linked", to: fixture.outside.appendingPathComponent("made-by-a-write").path)
            case .bucketLevel: try fixture.link("evil", to: fixture.outside.appendingPathComponent("dir").path)
            }
        }

        var bucket: String { self == .bucketLevel ? "evil" : "bk1" }
        var key: String {
            switch self {
            case .fileAbsolute, .fileRelative: "linked.txt"
            case .folderAbsolute, .folderRelative: "linked/secret.txt"
            case .nested: "a/b/linked/secret.txt"
            case .dangling: "linked/new.txt"
            case .bucketLevel: "secret.txt"
            }
        }
    }

    @Test(arguments: Link.allCases)
    func readsFindNoObjectBehindALink(link: Link) throws {
        let fixture = try Fixture()
        try link.plant(in: fixture)
        let before = fixture.outsideSnapshot()
        #expect(throws: AWSError.self) { try fixture.store.headObject(bucket: link.bucket, key: link.key) }
        #expect(throws: AWSError.self) { try fixture.store.readObject(bucket: link.bucket, key: link.key) }
        #expect(throws: AWSError.self) { try fixture.store.readObject(bucket: link.bucket, key: link.key, range: 0...2) }
        if link != .bucketLevel {
            let listed = try fixture.store.listAllObjects(bucket: "bk1").map(\.key)
            #expect(!listed.contains { $0.contains("secret") || $0.contains("linked") }, "listed \(listed)")
            let underLink = try fixture.store.listAllObjects(bucket: "bk1", prefix: "linked/").map(\.key)
            #expect(underLink.isEmpty)
        } else {
            #expect(try fixture.store.listBuckets().map(\.name) == ["bk1"])
            #expect(!fixture.store.bucketExists("evil"))
            #expect(throws: AWSError.noSuchBucket("evil", operation: "ListObjectsV2")) {
                try fixture.store.listObjects(ListObjectsRequest(bucket: "evil"))
            }
        }
        #expect(fixture.outsideSnapshot() == before)
    }

    @Test(arguments: Link.allCases)
    func writesNeverLandOutside(link: Link) throws {
        let fixture = try Fixture()
        try link.plant(in: fixture)
        let before = fixture.outsideSnapshot()
        let write = { try fixture.store.putObject(bucket: link.bucket, key: link.key, data: Data("EVIL".utf8)) }
        switch link {
        case .fileAbsolute, .fileRelative:
            // The key names the link itself: the new object replaces the link, not its target.
            try write()
            #expect(try fixture.store.readObject(bucket: "bk1", key: link.key) == Data("EVIL".utf8))
            #expect(FileStat(fixture.buckets.appendingPathComponent("bk1/linked.txt"))?.isRegularFile == true)
        case .bucketLevel:
            #expect(throws: AWSError.noSuchBucket("evil", operation: "PutObject")) { try write() }
        default:
            #expect { try write() } throws: { error in
                let error = error as? AWSError
                return error?.code == "InvalidArgument" && error?.message.contains("symbolic link") == true
            }
        }
        // Streaming writes take the same way.
        if link != .fileAbsolute && link != .fileRelative {
            #expect(throws: AWSError.self) {
                try fixture.store.writeObject(bucket: link.bucket, key: link.key, contentType: nil, metadata: [:]) { try $0.write(Data("EVIL".utf8)) }
            }
        }
        #expect(fixture.outsideSnapshot() == before)
    }

    @Test(arguments: Link.allCases)
    func deletesRemoveNothingOutside(link: Link) throws {
        let fixture = try Fixture()
        try link.plant(in: fixture)
        let before = fixture.outsideSnapshot()
        if link == .bucketLevel {
            #expect(throws: AWSError.noSuchBucket("evil", operation: "DeleteObject")) { try fixture.store.deleteObject(bucket: "evil", key: link.key) }
            #expect(throws: AWSError.noSuchBucket("evil", operation: "DeleteBucket")) { try fixture.store.deleteBucket("evil") }
        } else {
            try fixture.store.deleteObject(bucket: "bk1", key: link.key)
            // A bucket holding only a link is empty: deleting it removes the link, not its target.
            try fixture.store.deleteBucket("bk1")
            #expect(!FileManager.default.fileExists(atPath: fixture.buckets.appendingPathComponent("bk1").path))
        }
        #expect(fixture.outsideSnapshot() == before)
    }

    /// `openat` follows `..` whatever O_NOFOLLOW says: a listing prefix of `../` must not walk up.
    @Test(arguments: ["../", "../../", "../../outside/", "./", "a//", "../../outside/dir/"])
    func aDotDotPrefixListsNothing(prefix: String) throws {
        let fixture = try Fixture()
        try fixture.store.putObject(bucket: "bk1", key: "in/a.csv", data: Data("1\n".utf8))
        let before = fixture.outsideSnapshot()
        #expect(try fixture.store.listAllObjects(bucket: "bk1", prefix: prefix).isEmpty)
        #expect(try fixture.store.listObjects(ListObjectsRequest(bucket: "bk1", prefix: prefix, delimiter: "/")).commonPrefixes.isEmpty)
        #expect(fixture.outsideSnapshot() == before)
    }

    @Test func aBucketNameTakenByALinkCannotBeCreated() throws {
        let fixture = try Fixture()
        try Link.bucketLevel.plant(in: fixture)
        #expect { try fixture.store.createBucket("evil") } throws: { ($0 as? AWSError)?.message.contains("not a bucket") == true }
        #expect(try fixture.store.listBuckets().map(\.name) == ["bk1"])
    }

    /// A folder swapped for a link while an object is being written: the object is refused when it
    /// is placed, and nothing reaches the link's target.
    @Test func aLinkSwappedInMidWriteIsRefused() throws {
        let fixture = try Fixture()
        try fixture.store.putObject(bucket: "bk1", key: "out/first.csv", data: Data("1\n".utf8))
        let before = fixture.outsideSnapshot()
        let folder = fixture.buckets.appendingPathComponent("bk1/out")
        #expect(throws: AWSError.self) {
            try fixture.store.writeObject(bucket: "bk1", key: "out/second.csv", contentType: nil, metadata: [:]) { sink in
                try sink.write(Data("2\n".utf8))
                try FileManager.default.removeItem(at: folder)
                #expect(symlink(fixture.outside.appendingPathComponent("dir").path, folder.path) == 0)
                try sink.write(Data("3\n".utf8))
            }
        }
        #expect(fixture.outsideSnapshot() == before)
        // Nothing half-written is left in `.incoming/` either.
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.buckets.appendingPathComponent(".incoming").path).isEmpty)
    }

    /// A file opened for reading stays the file that was opened, whatever is swapped in after.
    @Test func aLinkSwappedInMidReadReadsTheObject() throws {
        let fixture = try Fixture()
        try fixture.store.putObject(bucket: "bk1", key: "in/data.csv", data: Data("inside\n".utf8))
        let source = try fixture.store.openObject(bucket: "bk1", key: "in/data.csv")
        defer { source.close() }
        let file = fixture.buckets.appendingPathComponent("bk1/in/data.csv")
        try FileManager.default.removeItem(at: file)
        #expect(symlink(fixture.outside.appendingPathComponent("secret.txt").path, file.path) == 0)
        #expect(try source.read(upTo: 100) == Data("inside\n".utf8))
        #expect(throws: AWSError.self) { try fixture.store.readObject(bucket: "bk1", key: "in/data.csv") }
    }

    @Test func aFIFOInABucketIsNotAnObjectAndHangsNothing() throws {
        let fixture = try Fixture()
        let fifo = fixture.buckets.appendingPathComponent("bk1/pipe")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        #expect(throws: AWSError.self) { try fixture.store.readObject(bucket: "bk1", key: "pipe") }
        #expect(try fixture.store.listAllObjects(bucket: "bk1").isEmpty)
    }

    @Test func aLinkedBucketsFolderIsRefusedWithItsPath() throws {
        let base = temporaryFolder()
        let real = base.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: base.appendingPathComponent("ws"), withIntermediateDirectories: true)
        #expect(symlink(real.path, base.appendingPathComponent("ws/buckets").path) == 0)
        #expect { try FileSystemObjectStore(root: base.appendingPathComponent("ws/buckets")) } throws: { error in
            "\(error)".contains("symbolic link")
        }
    }
}
