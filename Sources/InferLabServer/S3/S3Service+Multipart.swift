import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

/// CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts
/// and ListMultipartUploads, on the store's durable uploads.
extension S3Service {
    var multipart: any MultipartObjectStore {
        get throws {
            guard let store = store as? any MultipartObjectStore else {
                throw S3Error(status: 501, code: "NotImplemented", message: "This store keeps no multipart uploads.")
            }
            return store
        }
    }

    func createMultipartUpload(_ bucket: String, _ key: String, _ s3: S3Request) throws -> Response {
        let multipart = try multipart
        let id = try store(bucket, key) {
            try multipart.createMultipartUpload(bucket: bucket, key: key, contentType: s3.header("content-type"), metadata: s3.userMetadata)
        }
        return Self.xml(XMLWriter(root: "InitiateMultipartUploadResult") { xml in
            xml.element("Bucket", bucket)
            xml.element("Key", key)
            xml.element("UploadId", id)
        })
    }

    func uploadPart(_ bucket: String, _ key: String, _ s3: S3Request, body: RequestBody) async throws -> Response {
        let multipart = try multipart
        guard let number = Int(s3.query["partNumber"] ?? "") else {
            throw S3Error(status: 400, code: "InvalidArgument", message: "Part number must be an integer between 1 and 10000, inclusive")
        }
        let id = s3.query["uploadId"] ?? ""
        return try await receive(body, s3, bucket: bucket, key: key) {
            try multipart.beginPart(uploadId: id, bucket: bucket, key: key, partNumber: number)
        }
    }

    /// UploadPartCopy: a part taken from an existing object (`x-amz-copy-source-range: bytes=a-b`
    /// or all of it), as `aws s3 cp` between buckets does for objects of 8 MiB or more.
    func uploadPartCopy(_ bucket: String, _ key: String, _ s3: S3Request) throws -> Response {
        let multipart = try multipart
        guard let number = Int(s3.query["partNumber"] ?? "") else {
            throw S3Error(status: 400, code: "InvalidArgument", message: "Part number must be an integer between 1 and 10000, inclusive")
        }
        let (sourceBucket, sourceKey) = try Self.copySource(s3)
        let source = try store(sourceBucket, sourceKey) { try store.openObject(bucket: sourceBucket, key: sourceKey) }
        defer { source.close() }
        try S3Conditions.checkCopySource(s3, source.info)
        var start: Int64 = 0, length = source.info.size
        if let header = s3.header("x-amz-copy-source-range") {
            guard case .bytes(let range) = S3Formats.byteRange(header, size: source.info.size), header.contains("-"),
                  !header.hasPrefix("bytes=-") else {
                throw S3Error(status: 400, code: "InvalidArgument", message: "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
            }
            (start, length) = (range.lowerBound, range.upperBound - range.lowerBound + 1)
        }
        let id = s3.query["uploadId"] ?? ""
        let info = try store(bucket, key) { () -> ObjectInfo in
            let part = try multipart.beginPart(uploadId: id, bucket: bucket, key: key, partNumber: number)
            do {
                try source.seek(to: start)
                var remaining = length
                while remaining > 0 {
                    let chunk = try source.read(upTo: Int(min(remaining, 1 << 20)))
                    if chunk.isEmpty { break }
                    try part.write(chunk)
                    remaining -= Int64(chunk.count)
                }
                return try part.commit()
            } catch {
                part.abort()
                throw error
            }
        }
        return Self.xml(XMLWriter(root: "CopyPartResult") { xml in
            xml.element("LastModified", S3Formats.iso8601(info.lastModified))
            xml.element("ETag", S3Formats.quoted(info.etag))
        })
    }

    func completeMultipartUpload(_ bucket: String, _ key: String, _ s3: S3Request, _ request: Request) async throws -> Response {
        let multipart = try multipart
        let document = try await Self.xmlBody(request, s3, root: "CompleteMultipartUpload")
        var parts: [(number: Int, etag: String)] = []
        for part in document.children("Part") {
            guard let number = part.child("PartNumber").flatMap({ Int($0.text) }), let etag = part.child("ETag")?.text else {
                throw Self.malformedXML
            }
            parts.append((number, etag))
        }
        guard !parts.isEmpty else {
            throw S3Error(status: 400, code: "MalformedXML", message: "The XML you provided was not well-formed or did not validate against our published schema.")
        }
        let id = s3.query["uploadId"] ?? ""
        let info = try store(bucket, key) { try multipart.completeMultipartUpload(uploadId: id, bucket: bucket, key: key, parts: parts) }
        return Self.xml(XMLWriter(root: "CompleteMultipartUploadResult") { xml in
            xml.element("Location", "/\(bucket)/\(key)")
            xml.element("Bucket", bucket)
            xml.element("Key", key)
            xml.element("ETag", S3Formats.quoted(info.etag))
        })
    }

    func abortMultipartUpload(_ bucket: String, _ key: String, _ s3: S3Request) throws -> Response {
        let multipart = try multipart
        try store(bucket, key) { try multipart.abortMultipartUpload(uploadId: s3.query["uploadId"] ?? "", bucket: bucket, key: key) }
        return Self.empty(.noContent)
    }

    func listParts(_ bucket: String, _ key: String, _ s3: S3Request) throws -> Response {
        let multipart = try multipart
        guard let after = Int(s3.query["part-number-marker"] ?? "0"), after >= 0,
              let asked = Int(s3.query["max-parts"] ?? "1000"), asked >= 0 else {
            throw S3Error(status: 400, code: "InvalidArgument", message: "max-parts and part-number-marker must be whole numbers of 0 or more")
        }
        let limit = min(asked, 1000)
        let id = s3.query["uploadId"] ?? ""
        let parts = try store(bucket, key) { try multipart.listParts(uploadId: id, bucket: bucket, key: key) }
        let shown = parts.filter { $0.number > after }.prefix(limit)
        return Self.xml(XMLWriter(root: "ListPartsResult") { xml in
            xml.element("Bucket", bucket)
            xml.element("Key", key)
            xml.element("UploadId", id)
            xml.element("PartNumberMarker", String(after))
            xml.element("NextPartNumberMarker", String(shown.last?.number ?? after))
            xml.element("MaxParts", String(limit))
            xml.element("IsTruncated", shown.count < parts.filter { $0.number > after }.count ? "true" : "false")
            xml.element("StorageClass", "STANDARD")
            for part in shown {
                xml.element("Part") { item in
                    item.element("PartNumber", String(part.number))
                    item.element("LastModified", S3Formats.iso8601(part.lastModified))
                    item.element("ETag", S3Formats.quoted(part.etag))
                    item.element("Size", String(part.size))
                }
            }
        })
    }

    func listMultipartUploads(_ bucket: String) throws -> Response {
        let multipart = try multipart
        let uploads = try store(bucket) { try multipart.listMultipartUploads(bucket: bucket) }
        return Self.xml(XMLWriter(root: "ListMultipartUploadsResult") { xml in
            xml.element("Bucket", bucket)
            xml.element("KeyMarker", "")
            xml.element("UploadIdMarker", "")
            xml.element("MaxUploads", "1000")
            xml.element("IsTruncated", "false")
            for upload in uploads {
                xml.element("Upload") { item in
                    item.element("Key", upload.key)
                    item.element("UploadId", upload.uploadId)
                    item.element("StorageClass", "STANDARD")
                    item.element("Initiated", S3Formats.iso8601(upload.initiated))
                }
            }
        })
    }

    static let malformedXML = S3Error(status: 400, code: "MalformedXML",
                                      message: "The XML you provided was not well-formed or did not validate against our published schema.")

    /// A small XML request body (at most 2 MiB), checked against the digests the client signed
    /// or sent (as any body), parsed, with its root element checked.
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
