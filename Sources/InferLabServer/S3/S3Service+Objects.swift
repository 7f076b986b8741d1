import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

extension S3Service {
    // MARK: Listing

    /// ListObjectsV2 (`list-type=2`).
    func listObjectsV2(_ bucket: String, _ s3: S3Request) async throws -> Response {
        let query = s3.query
        let input = ListObjectsV2Input(
            bucket: bucket, delimiter: query["delimiter"], encodingType: query["encoding-type"], maxKeys: try Self.maxKeys(s3),
            prefix: query["prefix"], continuationToken: query["continuation-token"], startAfter: query["start-after"])
        let output = try await call(S3Operations.ListObjectsV2.self, input, bucket: bucket)
        let encode = Self.encoder(output.encodingType)
        return Self.xml(XMLWriter(root: "ListBucketResult") { xml in
            xml.element("Name", output.name)
            xml.element("Prefix", encode(output.prefix))
            xml.element("KeyCount", String(output.keyCount))
            xml.element("ContinuationToken", output.continuationToken)
            xml.element("NextContinuationToken", output.nextContinuationToken)
            xml.element("StartAfter", output.startAfter.map(encode))
            Self.listing(&xml, maxKeys: output.maxKeys, delimiter: output.delimiter, encodingType: output.encodingType,
                         isTruncated: output.isTruncated, contents: output.contents, commonPrefixes: output.commonPrefixes)
        })
    }

    /// The original ListObjects (markers).
    func listObjects(_ bucket: String, _ s3: S3Request) async throws -> Response {
        let query = s3.query
        let input = ListObjectsInput(bucket: bucket, delimiter: query["delimiter"], encodingType: query["encoding-type"],
                                     marker: query["marker"], maxKeys: try Self.maxKeys(s3), prefix: query["prefix"])
        let output = try await call(S3Operations.ListObjects.self, input, bucket: bucket)
        let encode = Self.encoder(output.encodingType)
        return Self.xml(XMLWriter(root: "ListBucketResult") { xml in
            xml.element("Name", output.name)
            xml.element("Prefix", encode(output.prefix))
            xml.element("Marker", encode(output.marker))
            xml.element("NextMarker", output.nextMarker.map(encode))
            Self.listing(&xml, maxKeys: output.maxKeys, delimiter: output.delimiter, encodingType: output.encodingType,
                         isTruncated: output.isTruncated, contents: output.contents, commonPrefixes: output.commonPrefixes)
        })
    }

    /// The members both listings end with.
    private static func listing(_ xml: inout XMLWriter, maxKeys: Int, delimiter: String?, encodingType: String?, isTruncated: Bool,
                                contents: [S3Object], commonPrefixes: [CommonPrefix]) {
        let encode = encoder(encodingType)
        xml.element("MaxKeys", String(maxKeys))
        xml.element("Delimiter", delimiter.map(encode))
        xml.element("EncodingType", encodingType == "url" ? "url" : nil)
        xml.element("IsTruncated", isTruncated ? "true" : "false")
        for object in contents {
            xml.element("Contents") { item in
                item.element("Key", encode(object.key))
                item.element("LastModified", WireFormats.s3Timestamp(object.lastModified))
                item.element("ETag", object.eTag)
                item.element("Size", String(object.size))
                item.element("StorageClass", object.storageClass)
            }
        }
        for prefix in commonPrefixes {
            xml.element("CommonPrefixes") { item in item.element("Prefix", encode(prefix.prefix)) }
        }
    }

    /// `encoding-type=url` percent-encodes keys and prefixes in the answer.
    private static func encoder(_ encodingType: String?) -> (String) -> String {
        let urlEncoded = encodingType == "url"
        return { text in urlEncoded ? URIEncoding.encode(text, keepSlash: true) : text }
    }

    private static func maxKeys(_ s3: S3Request) throws -> Int {
        guard let maxKeys = Int(s3.query["max-keys"] ?? "1000"), maxKeys >= 0 else {
            throw S3Error(status: 400, code: "InvalidArgument", message: "Provided max-keys not an integer or within integer range")
        }
        return maxKeys
    }

    // MARK: Reading

    /// HeadObject: the object's headers, after the conditional headers.
    func headObject(_ bucket: String, _ key: String, _ s3: S3Request) async throws -> Response {
        let output: HeadObjectOutput
        do {
            output = try await call(S3Operations.HeadObject.self,
                                    HeadObjectInput(bucket: bucket, key: key, conditions: S3Formats.conditions(s3)), bucket: bucket, key: key)
        } catch let error as S3Error where error.status == 304 {
            return try await notModified(bucket, key)
        }
        var headers = S3Formats.objectHeaders(eTag: output.eTag, lastModified: output.lastModified, contentType: output.contentType,
                                              metadata: output.metadata)
        S3Formats.addChecksums(output.checksums, to: &headers, s3)
        headers[.contentLength] = String(output.contentLength)
        return Response(status: .ok, headers: headers)
    }

    /// GetObject: ranges, the four conditional headers, user metadata; the body streams out.
    func getObject(_ bucket: String, _ key: String, _ s3: S3Request) async throws -> Response {
        let input = GetObjectInput(bucket: bucket, key: key, conditions: S3Formats.conditions(s3), range: s3.header("range"))
        let output: GetObjectOutput
        do {
            output = try await call(S3Operations.GetObject.self, input, bucket: bucket, key: key)
        } catch let error as S3Error where error.status == 304 {
            return try await notModified(bucket, key)
        } catch let error as S3Error where error.code == "InvalidRange" {
            let size = try await call(S3Operations.HeadObject.self, HeadObjectInput(bucket: bucket, key: key), bucket: bucket, key: key).contentLength
            throw S3Error(status: 416, code: "InvalidRange", message: "The requested range is not satisfiable",
                          details: [("RangeRequested", input.range ?? ""), ("ActualObjectSize", String(size))])
        }
        var headers = S3Formats.objectHeaders(eTag: output.eTag, lastModified: output.lastModified, contentType: output.contentType,
                                              metadata: output.metadata)
        if let range = output.contentRange { headers[.contentRange] = range }
        S3Formats.addChecksums(output.checksums, to: &headers, s3)
        headers[.contentLength] = String(output.contentLength)
        let stream = output.body
        let length = output.contentLength
        let body = ResponseBody(contentLength: Int(length)) { writer in
            defer { stream.close() }
            var remaining = length
            let allocator = ByteBufferAllocator()
            while remaining > 0 {
                // Read straight into the buffer NIO sends: one copy, from the page cache.
                let want = Int(min(remaining, 1 << 20))
                var buffer = allocator.buffer(capacity: want)
                let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { bytes in
                    try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[..<want]))
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
        return Response(status: output.contentRange == nil ? .ok : .partialContent, headers: headers, body: body)
    }

    /// 304 Not Modified carries the object's headers and no body.
    private func notModified(_ bucket: String, _ key: String) async throws -> Response {
        let output = try await call(S3Operations.HeadObject.self, HeadObjectInput(bucket: bucket, key: key), bucket: bucket, key: key)
        return Self.empty(.notModified, S3Formats.objectHeaders(eTag: output.eTag, lastModified: output.lastModified,
                                                                contentType: output.contentType, metadata: output.metadata))
    }

    // MARK: Writing

    /// PutObject: the body streams into the store and the object appears only once every digest
    /// the client sent (Content-MD5, x-amz-content-sha256, x-amz-checksum-*) matched.
    func putObject(_ bucket: String, _ key: String, _ s3: S3Request, body: RequestBody) async throws -> Response {
        try await receive(body, s3, bucket: bucket, key: key) { payload in
            try await engine.call(S3Operations.PutObject.self, PutObjectInput(
                bucket: bucket, key: key, body: payload, contentType: s3.header("content-type"), metadata: s3.userMetadata)).eTag
        }
    }

    /// CopyObject: `x-amz-copy-source: /bucket/key`, metadata copied or replaced.
    func copyObject(_ bucket: String, _ key: String, _ s3: S3Request) async throws -> Response {
        let raw = s3.header("x-amz-copy-source") ?? ""
        let decoded = URIEncoding.decode(Substring(raw.split(separator: "?").first ?? "")) ?? ""
        let input = CopyObjectInput(
            bucket: bucket, key: key, copySource: decoded, copySourceConditions: S3Formats.conditions(s3, prefix: "x-amz-copy-source-"),
            metadataDirective: s3.header("x-amz-metadata-directive"), contentType: s3.header("content-type"), metadata: s3.userMetadata)
        guard let source = input.sourceLocation else {
            throw S3Error(status: 400, code: "InvalidArgument", message: "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
        }
        // Errors name what they are about: a missing destination bucket the destination, the rest
        // (a missing key, a failed condition) the source.
        do {
            _ = try await engine.call(S3Operations.HeadBucket.self, BucketInput(bucket: bucket))
        } catch {
            throw S3Error(.noSuchBucket(bucket, operation: "CopyObject"), bucket: bucket)
        }
        let output = try await call(S3Operations.CopyObject.self, input, bucket: source.bucket, key: source.key)
        return Self.xml(XMLWriter(root: "CopyObjectResult") { xml in
            xml.element("LastModified", WireFormats.s3Timestamp(output.copyObjectResult.lastModified))
            xml.element("ETag", output.copyObjectResult.eTag)
        })
    }

    func deleteObject(_ bucket: String, _ key: String) async throws -> Response {
        _ = try await call(S3Operations.DeleteObject.self, ObjectInput(bucket: bucket, key: key), bucket: bucket, key: key)
        return Self.empty(.noContent)
    }

    /// DeleteObjects: `<Delete><Object><Key>…</Key></Object>…<Quiet>true</Quiet></Delete>`.
    func deleteObjects(_ bucket: String, _ request: Request, _ s3: S3Request) async throws -> Response {
        let document = try await Self.xmlBody(request, s3, root: "Delete")
        let keys = document.children("Object").compactMap { $0.child("Key")?.text }
        guard keys.count <= 1000 else { throw Self.malformedXML }
        let quiet = document.child("Quiet")?.text == "true"
        let output = try await call(S3Operations.DeleteObjects.self, DeleteObjectsInput(bucket: bucket, keys: keys, quiet: quiet), bucket: bucket)
        var errors = output.errors[...]
        return Self.xml(XMLWriter(root: "DeleteResult") { xml in
            // In the order of the request: each key deleted, or its error.
            for key in keys {
                if let error = errors.first, error.key == key {
                    errors.removeFirst()
                    let s3Error = S3Error(AWSError(code: error.code, message: error.message, operation: "DeleteObjects"), bucket: bucket, key: key)
                    xml.element("Error") { item in
                        item.element("Key", key)
                        item.element("Code", s3Error.code)
                        item.element("Message", s3Error.message)
                    }
                } else if !quiet {
                    xml.element("Deleted") { $0.element("Key", key) }
                }
            }
        })
    }
}
