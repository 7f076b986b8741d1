import Foundation
import Testing
@testable import InferLabEngine

/// The engine's S3 entries answer AWS's shapes and S3's errors, whichever front end calls them.
struct S3OperationsTests {
    let root = temporaryFolder()

    func engine() throws -> Engine { try Engine.open(Workspace(root: root)) }

    @Test func objectsGoInAndComeOutInAWSShapes() async throws {
        let engine = try engine()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try await engine.call(S3Operations.CreateBucket.self, BucketInput(bucket: "lab")).location == "/lab")
        let put = try await engine.call(S3Operations.PutObject.self, PutObjectInput(
            bucket: "lab", key: "in/a.csv", body: .data(Data("1,2\n3,4\n".utf8)), contentType: "text/csv", metadata: ["owner": "me"]))
        #expect(put.eTag == "\"00f7d50ab4278a7899d7499481c9603a\"")

        let head = try await engine.call(S3Operations.HeadObject.self, HeadObjectInput(bucket: "lab", key: "in/a.csv"))
        #expect(head.contentLength == 8 && head.eTag == put.eTag && head.contentType == "text/csv" && head.metadata == ["owner": "me"])

        let part = try await engine.call(S3Operations.GetObject.self, GetObjectInput(bucket: "lab", key: "in/a.csv", range: "bytes=4-99"))
        #expect(part.contentRange == "bytes 4-7/8" && part.contentLength == 4)
        #expect(try part.body.readAll() == Data("3,4\n".utf8))
        await #expect(throws: AWSError.invalidRange(operation: "GetObject")) {
            try await engine.call(S3Operations.GetObject.self, GetObjectInput(bucket: "lab", key: "in/a.csv", range: "bytes=8-"))
        }

        let copy = try await engine.call(S3Operations.CopyObject.self, CopyObjectInput(
            bucket: "lab", key: "out/b.csv", copySource: "/lab/in/a.csv", metadataDirective: "REPLACE", contentType: "text/plain"))
        #expect(copy.copyObjectResult.eTag == put.eTag)
        #expect(try await engine.call(S3Operations.HeadObject.self, HeadObjectInput(bucket: "lab", key: "out/b.csv")).metadata.isEmpty)
    }

    @Test func conditionsFailAsS3Does() async throws {
        let engine = try engine()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await engine.call(S3Operations.CreateBucket.self, BucketInput(bucket: "lab"))
        let etag = try await engine.call(S3Operations.PutObject.self, PutObjectInput(bucket: "lab", key: "k", body: .data(Data("x".utf8)))).eTag
        let notModified = await #expect(throws: AWSError.self) {
            try await engine.call(S3Operations.GetObject.self, GetObjectInput(bucket: "lab", key: "k", conditions: ObjectConditions(ifNoneMatch: etag)))
        }
        #expect(notModified?.httpStatus == 304)
        let failed = await #expect(throws: AWSError.self) {
            try await engine.call(S3Operations.HeadObject.self, HeadObjectInput(bucket: "lab", key: "k", conditions: ObjectConditions(ifMatch: "\"other\"")))
        }
        #expect(failed?.code == "PreconditionFailed" && failed?.httpStatus == 412)
        let copyFailed = await #expect(throws: AWSError.self) {
            try await engine.call(S3Operations.CopyObject.self, CopyObjectInput(
                bucket: "lab", key: "k2", copySource: "lab/k", copySourceConditions: ObjectConditions(ifNoneMatch: etag)))
        }
        #expect(copyFailed?.code == "PreconditionFailed")
        let missing = await #expect(throws: AWSError.self) { try await engine.call(S3Operations.HeadBucket.self, BucketInput(bucket: "nope")) }
        #expect(missing?.code == "404" && missing?.operation == "HeadBucket")
    }

    @Test func listingsPageAndGroupAsS3Does() async throws {
        let engine = try engine()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await engine.call(S3Operations.CreateBucket.self, BucketInput(bucket: "lab"))
        for key in ["a/1", "a/2", "b", "c/3"] {
            _ = try await engine.call(S3Operations.PutObject.self, PutObjectInput(bucket: "lab", key: key, body: .data(Data(key.utf8))))
        }
        let v2 = try await engine.call(S3Operations.ListObjectsV2.self, ListObjectsV2Input(bucket: "lab", delimiter: "/", maxKeys: 2))
        #expect(v2.isTruncated && v2.keyCount == 2 && v2.maxKeys == 2 && v2.nextContinuationToken != nil)
        #expect(v2.commonPrefixes.map(\.prefix) == ["a/"] && v2.contents.map(\.key) == ["b"])
        let v1 = try await engine.call(S3Operations.ListObjects.self, ListObjectsInput(bucket: "lab", delimiter: "/", maxKeys: 2))
        #expect(v1.isTruncated && v1.nextMarker == "b" && v1.marker == "")
        let all = try await engine.call(S3Operations.ListObjects.self, ListObjectsInput(bucket: "lab"))
        #expect(all.contents.map(\.key) == ["a/1", "a/2", "b", "c/3"] && all.nextMarker == nil)

        let deleted = try await engine.call(S3Operations.DeleteObjects.self, DeleteObjectsInput(bucket: "lab", keys: ["a/1", "../x", "b"]))
        #expect(deleted.deleted == ["a/1", "b"])
        #expect(deleted.errors.map(\.key) == ["../x"] && deleted.errors.first?.code == "InvalidArgument")
        await #expect(throws: AWSError.noSuchBucket("gone", operation: "DeleteObjects")) {
            try await engine.call(S3Operations.DeleteObjects.self, DeleteObjectsInput(bucket: "gone", keys: ["k"]))
        }
    }

    @Test func aStreamedUploadThatFailsLeavesNothing() async throws {
        let engine = try engine()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await engine.call(S3Operations.CreateBucket.self, BucketInput(bucket: "lab"))
        struct BrokenBody: Error {}
        await #expect(throws: BrokenBody.self) {
            try await engine.call(S3Operations.PutObject.self, PutObjectInput(bucket: "lab", key: "half", body: .stream { sink in
                try sink.write(Data("some bytes".utf8))
                throw BrokenBody()
            }))
        }
        let listing = try await engine.call(S3Operations.ListObjectsV2.self, ListObjectsV2Input(bucket: "lab"))
        #expect(listing.keyCount == 0)
    }

    @Test func multipartUploadsCompleteIntoOneObject() async throws {
        let engine = try engine()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await engine.call(S3Operations.CreateBucket.self, BucketInput(bucket: "lab"))
        let upload = try await engine.call(S3Operations.CreateMultipartUpload.self, CreateMultipartUploadInput(bucket: "lab", key: "big"))
        let first = Data(repeating: 1, count: Int(MultipartRules.minimumPartSize))
        var parts: [CompletedPart] = []
        for (number, bytes) in [(1, first), (2, Data("tail".utf8))] {
            let part = try await engine.call(S3Operations.UploadPart.self, UploadPartInput(
                bucket: "lab", key: "big", partNumber: number, uploadId: upload.uploadId, body: .stream { try $0.write(bytes) }))
            parts.append(CompletedPart(eTag: part.eTag, partNumber: number))
        }
        let listed = try await engine.call(S3Operations.ListParts.self, ListPartsInput(bucket: "lab", key: "big", uploadId: upload.uploadId, maxParts: 1))
        #expect(listed.parts.map(\.partNumber) == [1] && listed.isTruncated && listed.nextPartNumberMarker == 1)
        let uploads = try await engine.call(S3Operations.ListMultipartUploads.self, BucketInput(bucket: "lab"))
        #expect(uploads.uploads.map(\.uploadId) == [upload.uploadId])
        let done = try await engine.call(S3Operations.CompleteMultipartUpload.self, CompleteMultipartUploadInput(
            bucket: "lab", key: "big", uploadId: upload.uploadId, parts: parts))
        #expect(done.eTag.hasSuffix("-2\"") && done.location == "/lab/big")
        #expect(try await engine.call(S3Operations.HeadObject.self, HeadObjectInput(bucket: "lab", key: "big")).contentLength == Int64(first.count + 4))
        #expect(try await engine.call(S3Operations.ListMultipartUploads.self, BucketInput(bucket: "lab")).uploads.isEmpty)
    }
}
