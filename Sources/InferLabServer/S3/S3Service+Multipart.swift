import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

/// CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts
/// and ListMultipartUploads: the engine's entries, on the store's durable uploads.
extension S3Service {
    func createMultipartUpload(_ bucket: String, _ key: String, _ s3: S3Request) async throws -> Response {
        let output = try await call(S3Operations.CreateMultipartUpload.self, CreateMultipartUploadInput(
            bucket: bucket, key: key, contentType: s3.header("content-type"), metadata: s3.userMetadata), bucket: bucket, key: key)
        return Self.xml(XMLWriter(root: "InitiateMultipartUploadResult") { xml in
            xml.element("Bucket", output.bucket)
            xml.element("Key", output.key)
            xml.element("UploadId", output.uploadId)
        })
    }

    func uploadPart(_ bucket: String, _ key: String, _ s3: S3Request, body: RequestBody) async throws -> Response {
        guard let number = Int(s3.query["partNumber"] ?? "") else {
            throw S3Error(status: 400, code: "InvalidArgument", message: "Part number must be an integer between 1 and 10000, inclusive")
        }
        let id = s3.query["uploadId"] ?? ""
        return try await receive(body, s3, bucket: bucket, key: key) { payload in
            try await engine.call(S3Operations.UploadPart.self,
                                  UploadPartInput(bucket: bucket, key: key, partNumber: number, uploadId: id, body: payload)).eTag
        }
    }

    func uploadPartCopy(_ bucket: String, _ key: String, _ s3: S3Request) async throws -> Response {
        guard let number = Int(s3.query["partNumber"] ?? "") else {
            throw S3Error(status: 400, code: "InvalidArgument", message: "Part number must be an integer between 1 and 10000, inclusive")
        }
        let raw = s3.header("x-amz-copy-source") ?? ""
        let input = UploadPartCopyInput(
            bucket: bucket, key: key, partNumber: number, uploadId: s3.query["uploadId"] ?? "",
            copySource: URIEncoding.decode(Substring(raw.split(separator: "?").first ?? "")) ?? "",
            copySourceRange: s3.header("x-amz-copy-source-range"), copySourceConditions: S3Formats.conditions(s3, prefix: "x-amz-copy-source-"))
        let output = try await call(S3Operations.UploadPartCopy.self, input, bucket: bucket, key: key)
        return Self.xml(XMLWriter(root: "CopyPartResult") { xml in
            xml.element("LastModified", WireFormats.s3Timestamp(output.copyPartResult.lastModified))
            xml.element("ETag", output.copyPartResult.eTag)
        })
    }

    func completeMultipartUpload(_ bucket: String, _ key: String, _ s3: S3Request, _ request: Request) async throws -> Response {
        let document = try await Self.xmlBody(request, s3, root: "CompleteMultipartUpload")
        var parts: [CompletedPart] = []
        for part in document.children("Part") {
            guard let number = part.child("PartNumber").flatMap({ Int($0.text) }), let etag = part.child("ETag")?.text else {
                throw Self.malformedXML
            }
            parts.append(CompletedPart(eTag: etag, partNumber: number))
        }
        guard !parts.isEmpty else { throw Self.malformedXML }
        let input = CompleteMultipartUploadInput(bucket: bucket, key: key, uploadId: s3.query["uploadId"] ?? "", parts: parts)
        let output = try await call(S3Operations.CompleteMultipartUpload.self, input, bucket: bucket, key: key)
        return Self.xml(XMLWriter(root: "CompleteMultipartUploadResult") { xml in
            xml.element("Location", output.location)
            xml.element("Bucket", output.bucket)
            xml.element("Key", output.key)
            xml.element("ETag", output.eTag)
        })
    }

    func abortMultipartUpload(_ bucket: String, _ key: String, _ s3: S3Request) async throws -> Response {
        _ = try await call(S3Operations.AbortMultipartUpload.self, UploadInput(bucket: bucket, key: key, uploadId: s3.query["uploadId"] ?? ""),
                           bucket: bucket, key: key)
        return Self.empty(.noContent)
    }

    func listParts(_ bucket: String, _ key: String, _ s3: S3Request) async throws -> Response {
        let input = ListPartsInput(bucket: bucket, key: key, uploadId: s3.query["uploadId"] ?? "",
                                   maxParts: s3.query["max-parts"].flatMap { Int($0) },
                                   partNumberMarker: s3.query["part-number-marker"].flatMap { Int($0) })
        let output = try await call(S3Operations.ListParts.self, input, bucket: bucket, key: key)
        return Self.xml(XMLWriter(root: "ListPartsResult") { xml in
            xml.element("Bucket", output.bucket)
            xml.element("Key", output.key)
            xml.element("UploadId", output.uploadId)
            xml.element("PartNumberMarker", String(output.partNumberMarker))
            xml.element("NextPartNumberMarker", String(output.nextPartNumberMarker))
            xml.element("MaxParts", String(output.maxParts))
            xml.element("IsTruncated", output.isTruncated ? "true" : "false")
            xml.element("StorageClass", output.storageClass)
            for part in output.parts {
                xml.element("Part") { item in
                    item.element("PartNumber", String(part.partNumber))
                    item.element("LastModified", WireFormats.s3Timestamp(part.lastModified))
                    item.element("ETag", part.eTag)
                    item.element("Size", String(part.size))
                }
            }
        })
    }

    func listMultipartUploads(_ bucket: String) async throws -> Response {
        let output = try await call(S3Operations.ListMultipartUploads.self, BucketInput(bucket: bucket), bucket: bucket)
        return Self.xml(XMLWriter(root: "ListMultipartUploadsResult") { xml in
            xml.element("Bucket", output.bucket)
            xml.element("KeyMarker", output.keyMarker)
            xml.element("UploadIdMarker", output.uploadIdMarker)
            xml.element("MaxUploads", String(output.maxUploads))
            xml.element("IsTruncated", output.isTruncated ? "true" : "false")
            for upload in output.uploads {
                xml.element("Upload") { item in
                    item.element("Key", upload.key)
                    item.element("UploadId", upload.uploadId)
                    item.element("StorageClass", upload.storageClass)
                    item.element("Initiated", WireFormats.s3Timestamp(upload.initiated))
                }
            }
        })
    }

    static let malformedXML = S3Error(status: 400, code: "MalformedXML",
                                      message: "The XML you provided was not well-formed or did not validate against our published schema.")

    /// A small XML request body (at most 2 MiB), checked against the digests the client signed
    /// or sent (as any body is), parsed, with its root element checked.
    static func xmlBody(_ request: Request, _ s3: S3Request, root: String) async throws -> SimpleXML {
        var request = request
        guard let body = try? await request.collectBody(upTo: 2 << 20) else { throw malformedXML }
        var digests = try BodyDigests(s3)
        body.withUnsafeReadableBytes { digests.update($0) }
        try digests.verify()
        guard let document = SimpleXML.parse(String(buffer: body)), document.name == root else { throw malformedXML }
        return document
    }
}
