import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

extension S3Service {
    // MARK: Listing

    /// ListObjectsV2 (`list-type=2`) and the original ListObjects (markers).
    func listObjects(_ bucket: String, _ s3: S3Request) throws -> Response {
        let query = s3.query
        let version2 = query["list-type"] == "2"
        let urlEncoded = query["encoding-type"] == "url"
        guard let maxKeys = Int(query["max-keys"] ?? "1000"), maxKeys >= 0 else {
            throw S3Error(status: 400, code: "InvalidArgument", message: "Provided max-keys not an integer or within integer range")
        }
        let request = ListObjectsRequest(
            bucket: bucket, prefix: query["prefix"] ?? "", delimiter: query["delimiter"].flatMap { $0.isEmpty ? nil : $0 },
            startAfter: version2 ? query["start-after"] : query["marker"],
            continuationToken: version2 ? query["continuation-token"] : nil, maxKeys: min(maxKeys, 1000))
        let page = try store(bucket) { try store.listObjects(request) }
        let encode = { (text: String) in urlEncoded ? URIEncoding.encode(text, keepSlash: true) : text }
        return Self.xml(XMLWriter(root: "ListBucketResult") { xml in
            xml.element("Name", bucket)
            xml.element("Prefix", encode(request.prefix))
            if version2 {
                xml.element("KeyCount", String(page.keyCount))
                xml.element("ContinuationToken", request.continuationToken)
                xml.element("NextContinuationToken", page.nextContinuationToken)
                xml.element("StartAfter", request.startAfter.map(encode))
            } else {
                xml.element("Marker", encode(request.startAfter ?? ""))
                // S3 gives NextMarker only with a delimiter; without, clients use the last key.
                if page.isTruncated, request.delimiter != nil {
                    let last = [page.contents.last?.key, page.commonPrefixes.last].compactMap { $0 }.max()
                    xml.element("NextMarker", last.map(encode))
                }
            }
            xml.element("MaxKeys", String(maxKeys))
            xml.element("Delimiter", request.delimiter.map(encode))
            xml.element("EncodingType", urlEncoded ? "url" : nil)
            xml.element("IsTruncated", page.isTruncated ? "true" : "false")
            for object in page.contents {
                xml.element("Contents") { item in
                    item.element("Key", encode(object.key))
                    item.element("LastModified", S3Formats.iso8601(object.lastModified))
                    item.element("ETag", S3Formats.quoted(object.etag))
                    item.element("Size", String(object.size))
                    item.element("StorageClass", "STANDARD")
                }
            }
            for prefix in page.commonPrefixes {
                xml.element("CommonPrefixes") { item in item.element("Prefix", encode(prefix)) }
            }
        })
    }

    // MARK: Reading

    /// GetObject and HeadObject: ranges, the four conditional headers, user metadata.
    func getObject(_ bucket: String, _ key: String, _ s3: S3Request, headOnly: Bool) throws -> Response {
        let source = try store(bucket, key) { try store.openObject(bucket: bucket, key: key) }
        let info = source.info
        var headers = S3Formats.objectHeaders(info)
        do {
            try S3Conditions.check(s3, info)
        } catch let error as S3Error {
            source.close()
            if error.status == 304 { return Self.empty(.notModified, headers) }
            throw error
        }
        var range: ClosedRange<Int64>?
        if let header = s3.header("range"), !headOnly {
            switch S3Formats.byteRange(header, size: info.size) {
            case .whole: break
            case .bytes(let bytes): range = bytes
            case .unsatisfiable:
                source.close()
                throw S3Error(status: 416, code: "InvalidRange", message: "The requested range is not satisfiable",
                              details: [("RangeRequested", header), ("ActualObjectSize", String(info.size))])
            }
        }
        if headOnly {
            source.close()
            headers[.contentLength] = String(info.size)
            return Response(status: .ok, headers: headers)
        }
        let start = range?.lowerBound ?? 0
        let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? info.size
        if let range {
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(info.size)"
        }
        headers[.contentLength] = String(length)
        let reader = SourceBox(source)
        let body = ResponseBody(contentLength: Int(length)) { writer in
            defer { reader.source.close() }
            try reader.source.seek(to: start)
            var remaining = length
            let allocator = ByteBufferAllocator()
            while remaining > 0 {
                // Read straight into the buffer NIO sends: one copy, from the page cache.
                let want = Int(min(remaining, 1 << 20))
                var buffer = allocator.buffer(capacity: want)
                let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { bytes in
                    try reader.source.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<want]))
                }
                // A file cut short while it is sent: end the connection rather than leave the
                // client waiting for bytes the Content-Length promised.
                guard count > 0 else {
                    throw S3Error(status: 500, code: "InternalError", message: "s3://\(bucket)/\(key) ended \(remaining) bytes early")
                }
                remaining -= Int64(count)
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
        }
        return Response(status: range == nil ? .ok : .partialContent, headers: headers, body: body)
    }

    // MARK: Writing

    /// PutObject: the body streams into the store and the object appears only once every digest
    /// the client sent (Content-MD5, x-amz-content-sha256, x-amz-checksum-*) matched.
    func putObject(_ bucket: String, _ key: String, _ s3: S3Request, body: RequestBody) async throws -> Response {
        try await receive(body, s3, bucket: bucket, key: key) {
            try store.beginObject(bucket: bucket, key: key, contentType: s3.header("content-type"), metadata: s3.userMetadata)
        }
    }

    /// Streams a request body (plain or aws-chunked) into an upload, checks its digests, commits.
    /// On any failure, or a client that goes away, the upload is aborted: nothing is stored.
    func receive(_ body: RequestBody, _ s3: S3Request, bucket: String, key: String,
                 begin: () throws -> any ObjectUpload) async throws -> Response {
        var digests = try BodyDigests(s3)
        var decoder = try AWSChunkedDecoder.forRequest(s3)
        let upload = try store(bucket, key, begin)
        do {
            for try await buffer in body {
                try buffer.withUnsafeReadableBytes { bytes in
                    if decoder != nil {
                        try decoder!.feed(bytes) { payload in
                            digests.update(payload)
                            try upload.write(payload)
                        }
                    } else {
                        digests.update(bytes)
                        try upload.write(bytes)
                    }
                }
            }
            if let decoder { try decoder.finish(into: &digests) }
            try digests.verify()
            let info = try upload.commit()
            var headers = HTTPFields()
            headers[.eTag] = S3Formats.quoted(info.etag)
            for (name, value) in digests.checksumHeaders { headers[HTTPField.Name(name)!] = value }
            return Self.empty(.ok, headers)
        } catch {
            upload.abort()
            if let error = error as? S3Error { throw error }
            if let error = error as? AWSError { throw S3Error(error, bucket: bucket, key: key) }
            // The client went away or sent a broken body: nothing was stored.
            throw S3Error(status: 400, code: "IncompleteBody", message: "You did not provide the number of bytes specified by the Content-Length HTTP header.")
        }
    }

    /// `x-amz-copy-source: /bucket/key` (URL-encoded, perhaps with `?versionId=`).
    static func copySource(_ s3: S3Request) throws -> (bucket: String, key: String) {
        let raw = s3.header("x-amz-copy-source") ?? ""
        let decoded = URIEncoding.decode(Substring(raw.split(separator: "?").first ?? "")) ?? ""
        let path = decoded.hasPrefix("/") ? decoded.dropFirst() : Substring(decoded)
        guard let slash = path.firstIndex(of: "/"), path.index(after: slash) < path.endIndex else {
            throw S3Error(status: 400, code: "InvalidArgument", message: "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
        }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    /// CopyObject: `x-amz-copy-source: /bucket/key`, metadata copied or replaced.
    func copyObject(_ bucket: String, _ key: String, _ s3: S3Request) throws -> Response {
        let (sourceBucket, sourceKey) = try Self.copySource(s3)
        let replace = s3.header("x-amz-metadata-directive") == "REPLACE"
        guard store.bucketExists(bucket) else { throw S3Error(.noSuchBucket(bucket, operation: "CopyObject"), bucket: bucket) }
        let source = try store(sourceBucket, sourceKey) { try store.openObject(bucket: sourceBucket, key: sourceKey) }
        defer { source.close() }
        try S3Conditions.checkCopySource(s3, source.info)
        let contentType = replace ? s3.header("content-type") : source.info.contentType
        let info = try store(bucket, key) {
            try store.writeObject(bucket: bucket, key: key, contentType: contentType,
                                  metadata: replace ? s3.userMetadata : source.info.metadata) { sink in
                while true {
                    let chunk = try source.read(upTo: 1 << 20)
                    if chunk.isEmpty { break }
                    try sink.write(chunk)
                }
            }
        }
        return Self.xml(XMLWriter(root: "CopyObjectResult") { xml in
            xml.element("LastModified", S3Formats.iso8601(info.lastModified))
            xml.element("ETag", S3Formats.quoted(info.etag))
        })
    }

    func deleteObject(_ bucket: String, _ key: String) throws -> Response {
        try store(bucket, key) { try store.deleteObject(bucket: bucket, key: key) }
        return Self.empty(.noContent)
    }

    /// DeleteObjects: `<Delete><Object><Key>…</Key></Object>…<Quiet>true</Quiet></Delete>`.
    func deleteObjects(_ bucket: String, _ request: Request, _ s3: S3Request) async throws -> Response {
        let document = try await Self.xmlBody(request, s3, root: "Delete")
        let keys = document.children("Object").compactMap { $0.child("Key")?.text }
        guard keys.count <= 1000 else { throw Self.malformedXML }
        let quiet = document.child("Quiet")?.text == "true"
        guard store.bucketExists(bucket) else { throw S3Error(.noSuchBucket(bucket, operation: "DeleteObjects"), bucket: bucket) }
        return Self.xml(XMLWriter(root: "DeleteResult") { xml in
            for key in keys {
                do {
                    try store.deleteObject(bucket: bucket, key: key)
                    if !quiet { xml.element("Deleted") { $0.element("Key", key) } }
                } catch {
                    let s3Error = (error as? AWSError).map { S3Error($0, bucket: bucket, key: key) }
                    xml.element("Error") { item in
                        item.element("Key", key)
                        item.element("Code", s3Error?.code ?? "InternalError")
                        item.element("Message", s3Error?.message ?? "\(error)")
                    }
                }
            }
        })
    }
}

/// An object being streamed out, handed to the response writer's task.
private final class SourceBox: @unchecked Sendable {
    let source: any ObjectSource
    init(_ source: any ObjectSource) { self.source = source }
}
