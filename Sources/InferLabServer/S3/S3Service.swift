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

/// S3's REST API (restXml), a front end of the engine's S3 entries (`S3Operations`): each route
/// turns the request's path, query, headers and body into the entry's input, calls it, and writes
/// its output as S3's XML and headers. The store is the shell's, so an object put here is the
/// shell's object and the file under `WORKSPACE/buckets/`.
struct S3Service {
    let engine: Engine

    /// Runs the operation a request names.
    func respond(_ request: Request, _ s3: S3Request, _ operation: S3Operation) async throws -> Response {
        let bucket = s3.bucket ?? "", key = s3.key ?? ""
        switch operation {
        case .listBuckets: return try await listBuckets()
        case .createBucket: return try await createBucket(bucket)
        case .headBucket: return try await headBucket(bucket)
        case .deleteBucket: return try await deleteBucket(bucket)
        case .getBucketLocation: return try await bucketLocation(bucket)
        case .listMultipartUploads: return try await listMultipartUploads(bucket)
        case .listObjects: return try await listObjects(bucket, s3)
        case .listObjectsV2: return try await listObjectsV2(bucket, s3)
        case .deleteObjects: return try await deleteObjects(bucket, request, s3)
        case .createMultipartUpload: return try await createMultipartUpload(bucket, key, s3)
        case .completeMultipartUpload: return try await completeMultipartUpload(bucket, key, s3, request)
        case .uploadPart: return try await uploadPart(bucket, key, s3, body: request.body)
        case .uploadPartCopy: return try await uploadPartCopy(bucket, key, s3)
        case .abortMultipartUpload: return try await abortMultipartUpload(bucket, key, s3)
        case .listParts: return try await listParts(bucket, key, s3)
        case .headObject: return try await headObject(bucket, key, s3)
        case .getObject: return try await getObject(bucket, key, s3)
        case .copyObject: return try await copyObject(bucket, key, s3)
        case .putObject: return try await putObject(bucket, key, s3, body: request.body)
        case .deleteObject: return try await deleteObject(bucket, key)
        }
    }

    /// Calls an entry of the engine's table, turning its errors into S3's.
    func call<Entry: AWSOperation>(_ entry: Entry.Type, _ input: Entry.Input, bucket: String?, key: String? = nil) async throws -> Entry.Output {
        do {
            return try await engine.call(entry, input)
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

    func listBuckets() async throws -> Response {
        let output = try await call(S3Operations.ListBuckets.self, ListBucketsInput(), bucket: nil)
        return Self.xml(XMLWriter(root: "ListAllMyBucketsResult") { xml in
            xml.element("Owner") { owner in
                owner.element("ID", output.owner.ID)
                owner.element("DisplayName", output.owner.displayName)
            }
            xml.element("Buckets") { list in
                for bucket in output.buckets {
                    list.element("Bucket") { item in
                        item.element("Name", bucket.name)
                        item.element("CreationDate", WireFormats.s3Timestamp(bucket.creationDate))
                    }
                }
            }
        })
    }

    func createBucket(_ bucket: String) async throws -> Response {
        let output = try await call(S3Operations.CreateBucket.self, BucketInput(bucket: bucket), bucket: bucket)
        var headers = HTTPFields()
        headers[.location] = output.location
        return Self.empty(.ok, headers)
    }

    func headBucket(_ bucket: String) async throws -> Response {
        let output: HeadBucketOutput
        do {
            output = try await engine.call(S3Operations.HeadBucket.self, BucketInput(bucket: bucket))
        } catch let error as AWSError where error.code == "404" {
            throw S3Error(status: 404, code: "NoSuchBucket", message: "Not Found")
        } catch let error as AWSError {
            throw S3Error(error, bucket: bucket)
        }
        var headers = HTTPFields()
        headers[HTTPField.Name("x-amz-bucket-region")!] = output.bucketRegion
        return Self.empty(.ok, headers)
    }

    func deleteBucket(_ bucket: String) async throws -> Response {
        _ = try await call(S3Operations.DeleteBucket.self, BucketInput(bucket: bucket), bucket: bucket)
        return Self.empty(.noContent)
    }

    func bucketLocation(_ bucket: String) async throws -> Response {
        // The kit is one region, us-east-1: the empty LocationConstraint, as S3 says it.
        _ = try await call(S3Operations.GetBucketLocation.self, BucketInput(bucket: bucket), bucket: bucket)
        return Self.xml(XMLWriter(root: "LocationConstraint") { _ in })
    }
}
