import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

/// S3's REST API (restXml) over the engine's object store: the same store the shell uses, so an
/// object put here is the shell's object and the file under `WORKSPACE/buckets/`.
struct S3Service {
    let store: any ObjectStore

    /// Which S3 operation a request is, by method, bucket, key and query (as S3 routes them).
    func respond(_ request: Request, _ s3: S3Request) async throws -> Response {
        let query = s3.query
        switch (s3.method, s3.bucket, s3.key) {
        case (.get, nil, _): return try listBuckets()
        case (_, nil, _): throw S3Error(status: 405, code: "MethodNotAllowed", message: "The specified method is not allowed against this resource.")
        case (.put, let bucket?, nil): return try createBucket(bucket)
        case (.head, let bucket?, nil): return try headBucket(bucket)
        case (.delete, let bucket?, nil): return try deleteBucket(bucket)
        case (.get, let bucket?, nil) where query["location"] != nil: return try bucketLocation(bucket)
        case (.get, let bucket?, nil) where query["uploads"] != nil: return try listMultipartUploads(bucket)
        case (.get, let bucket?, nil): return try listObjects(bucket, s3)
        case (.post, let bucket?, nil) where query["delete"] != nil: return try await deleteObjects(bucket, request)
        case (.post, let bucket?, let key?) where query["uploads"] != nil: return try createMultipartUpload(bucket, key, s3)
        case (.post, let bucket?, let key?) where query["uploadId"] != nil: return try await completeMultipartUpload(bucket, key, s3, request)
        case (.put, let bucket?, let key?) where query["uploadId"] != nil: return try await uploadPart(bucket, key, s3, body: request.body)
        case (.delete, let bucket?, let key?) where query["uploadId"] != nil: return try abortMultipartUpload(bucket, key, s3)
        case (.get, let bucket?, let key?) where query["uploadId"] != nil: return try listParts(bucket, key, s3)
        case (.head, let bucket?, let key?): return try getObject(bucket, key, s3, headOnly: true)
        case (.get, let bucket?, let key?): return try getObject(bucket, key, s3, headOnly: false)
        case (.put, let bucket?, let key?) where s3.header("x-amz-copy-source") != nil: return try copyObject(bucket, key, s3)
        case (.put, let bucket?, let key?): return try await putObject(bucket, key, s3, body: request.body)
        case (.delete, let bucket?, let key?): return try deleteObject(bucket, key)
        default:
            throw S3Error(status: 501, code: "NotImplemented", message: "A header or query you provided implies functionality that is not implemented.")
        }
    }

    /// Runs a store call, turning the engine's errors into S3's.
    func store<T>(_ bucket: String?, _ key: String? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as AWSError {
            throw S3Error(error, bucket: bucket, key: key)
        } catch let error as S3Error {
            throw error
        } catch {
            throw S3Error(status: 500, code: "InternalError", message: "We encountered an internal error. Please try again. (\(error))")
        }
    }

    static func xml(_ document: XMLWriter, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/xml"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: document.text)))
    }

    static func empty(_ status: HTTPResponse.Status, _ headers: HTTPFields = HTTPFields()) -> Response {
        var headers = headers
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers)
    }

    // MARK: Buckets

    func listBuckets() throws -> Response {
        let buckets = try store(nil) { try store.listBuckets() }
        return Self.xml(XMLWriter(root: "ListAllMyBucketsResult") { xml in
            xml.element("Owner") { owner in
                owner.element("ID", S3Formats.ownerId)
                owner.element("DisplayName", "inferlab")
            }
            xml.element("Buckets") { list in
                for bucket in buckets {
                    list.element("Bucket") { item in
                        item.element("Name", bucket.name)
                        item.element("CreationDate", S3Formats.iso8601(bucket.creationDate))
                    }
                }
            }
        })
    }

    func createBucket(_ bucket: String) throws -> Response {
        try store(bucket) { try store.createBucket(bucket) }
        var headers = HTTPFields()
        headers[.location] = "/\(bucket)"
        return Self.empty(.ok, headers)
    }

    func headBucket(_ bucket: String) throws -> Response {
        guard store.bucketExists(bucket) else { throw S3Error(status: 404, code: "NoSuchBucket", message: "Not Found") }
        var headers = HTTPFields()
        headers[HTTPField.Name("x-amz-bucket-region")!] = S3Formats.region
        return Self.empty(.ok, headers)
    }

    func deleteBucket(_ bucket: String) throws -> Response {
        try store(bucket) { try store.deleteBucket(bucket) }
        return Self.empty(.noContent)
    }

    func bucketLocation(_ bucket: String) throws -> Response {
        guard store.bucketExists(bucket) else { throw S3Error(.noSuchBucket(bucket, operation: "GetBucketLocation"), bucket: bucket) }
        // us-east-1 is the empty LocationConstraint, as S3 says it.
        return Self.xml(XMLWriter(root: "LocationConstraint") { _ in })
    }
}
