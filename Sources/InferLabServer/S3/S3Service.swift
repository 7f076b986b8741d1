import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

/// The S3 operations the endpoint answers, named as AWS names them, and how S3 tells them apart:
/// by method, whether a bucket and key are addressed, and the query's sub-resources.
enum S3Operation: String {
    case listBuckets = "ListBuckets", createBucket = "CreateBucket", headBucket = "HeadBucket"
    case deleteBucket = "DeleteBucket", getBucketLocation = "GetBucketLocation"
    case listObjects = "ListObjects", listObjectsV2 = "ListObjectsV2", deleteObjects = "DeleteObjects"
    case listMultipartUploads = "ListMultipartUploads", createMultipartUpload = "CreateMultipartUpload"
    case uploadPart = "UploadPart", uploadPartCopy = "UploadPartCopy", completeMultipartUpload = "CompleteMultipartUpload"
    case abortMultipartUpload = "AbortMultipartUpload", listParts = "ListParts"
    case headObject = "HeadObject", getObject = "GetObject", putObject = "PutObject", copyObject = "CopyObject"
    case deleteObject = "DeleteObject"

    /// Sub-resources of S3 that the kit does not keep (ACLs, policies, tagging, versioning…):
    /// a request for one is NotImplemented, never mistaken for the plain operation.
    static let unsupportedSubresources: Set<String> = [
        "acl", "policy", "tagging", "versioning", "versions", "cors", "lifecycle", "website", "notification",
        "logging", "encryption", "replication", "requestPayment", "accelerate", "analytics", "inventory",
        "metrics", "ownershipControls", "publicAccessBlock", "object-lock", "retention", "legal-hold",
        "restore", "select", "torrent", "intelligent-tiering", "attributes",
    ]

    init(_ s3: S3Request) throws {
        let query = s3.query
        if let name = query.keys.first(where: Self.unsupportedSubresources.contains) {
            throw S3Error(status: 501, code: "NotImplemented",
                          message: "A header or query you provided implies functionality that is not implemented. (The kit keeps no ?\(name).)")
        }
        switch (s3.method, s3.bucket != nil, s3.key != nil) {
        case (.get, false, _): self = .listBuckets
        case (_, false, _): throw S3Error(status: 405, code: "MethodNotAllowed", message: "The specified method is not allowed against this resource.")
        case (.put, true, false): self = .createBucket
        case (.head, true, false): self = .headBucket
        case (.delete, true, false): self = .deleteBucket
        case (.get, true, false) where query["location"] != nil: self = .getBucketLocation
        case (.get, true, false) where query["uploads"] != nil: self = .listMultipartUploads
        case (.get, true, false): self = query["list-type"] == "2" ? .listObjectsV2 : .listObjects
        case (.post, true, false) where query["delete"] != nil: self = .deleteObjects
        case (.post, true, true) where query["uploads"] != nil: self = .createMultipartUpload
        case (.post, true, true) where query["uploadId"] != nil: self = .completeMultipartUpload
        case (.put, true, true) where query["uploadId"] != nil:
            self = s3.header("x-amz-copy-source") != nil ? .uploadPartCopy : .uploadPart
        case (.delete, true, true) where query["uploadId"] != nil: self = .abortMultipartUpload
        case (.get, true, true) where query["uploadId"] != nil: self = .listParts
        case (.head, true, true): self = .headObject
        case (.get, true, true): self = .getObject
        case (.put, true, true) where s3.header("x-amz-copy-source") != nil: self = .copyObject
        case (.put, true, true): self = .putObject
        case (.delete, true, true): self = .deleteObject
        default:
            throw S3Error(status: 501, code: "NotImplemented", message: "A header or query you provided implies functionality that is not implemented.")
        }
    }
}

/// S3's REST API (restXml) over the engine's object store: the same store the shell uses, so an
/// object put here is the shell's object and the file under `WORKSPACE/buckets/`.
struct S3Service {
    let store: any ObjectStore

    /// Runs the operation a request names.
    func respond(_ request: Request, _ s3: S3Request, _ operation: S3Operation) async throws -> Response {
        let bucket = s3.bucket ?? "", key = s3.key ?? ""
        switch operation {
        case .listBuckets: return try listBuckets()
        case .createBucket: return try createBucket(bucket)
        case .headBucket: return try headBucket(bucket)
        case .deleteBucket: return try deleteBucket(bucket)
        case .getBucketLocation: return try bucketLocation(bucket)
        case .listMultipartUploads: return try listMultipartUploads(bucket)
        case .listObjects, .listObjectsV2: return try listObjects(bucket, s3)
        case .deleteObjects: return try await deleteObjects(bucket, request, s3)
        case .createMultipartUpload: return try createMultipartUpload(bucket, key, s3)
        case .completeMultipartUpload: return try await completeMultipartUpload(bucket, key, s3, request)
        case .uploadPart: return try await uploadPart(bucket, key, s3, body: request.body)
        case .uploadPartCopy: return try uploadPartCopy(bucket, key, s3)
        case .abortMultipartUpload: return try abortMultipartUpload(bucket, key, s3)
        case .listParts: return try listParts(bucket, key, s3)
        case .headObject: return try getObject(bucket, key, s3, headOnly: true)
        case .getObject: return try getObject(bucket, key, s3, headOnly: false)
        case .copyObject: return try copyObject(bucket, key, s3)
        case .putObject: return try await putObject(bucket, key, s3, body: request.body)
        case .deleteObject: return try deleteObject(bucket, key)
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
