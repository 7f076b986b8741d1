import Foundation

extension S3Operations {
    public enum CreateMultipartUpload: S3Operation {
        public static func run(_ input: CreateMultipartUploadInput, on engine: Engine) throws -> CreateMultipartUploadOutput {
            let id = try multipart(engine, name).createMultipartUpload(bucket: input.bucket, key: input.key, contentType: input.contentType,
                                                                       metadata: input.metadata)
            return CreateMultipartUploadOutput(bucket: input.bucket, key: input.key, uploadId: id)
        }
    }

    /// One part; uploading a part number again replaces it.
    public enum UploadPart: S3Operation {
        public static func run(_ input: UploadPartInput, on engine: Engine) async throws -> ETagOutput {
            let upload = try multipart(engine, name).beginPart(uploadId: input.uploadId, bucket: input.bucket, key: input.key,
                                                               partNumber: input.partNumber)
            let info = try await write(input.body, into: upload)
            return ETagOutput(eTag: "\"\(info.etag)\"")
        }
    }

    /// A part copied from an existing object (all of it, or `bytes=first-last` of it), as
    /// `aws s3 cp` between buckets does for objects of 8 MiB or more.
    public enum UploadPartCopy: S3Operation {
        public static func run(_ input: UploadPartCopyInput, on engine: Engine) throws -> UploadPartCopyOutput {
            let copy = CopyObjectInput(bucket: input.bucket, key: input.key, copySource: input.copySource)
            guard let source = copy.sourceLocation else {
                throw AWSError(code: "InvalidArgument", message: "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                               operation: name)
            }
            let reader = try engine.store.openObject(bucket: source.bucket, key: source.key)
            defer { reader.close() }
            try S3Rules.check(input.copySourceConditions, reader.info, operation: name, copySource: true)
            var (start, length) = (Int64(0), reader.info.size)
            if let header = input.copySourceRange {
                guard !header.hasPrefix("bytes=-"), case .bytes(let range) = S3Rules.byteRange(header, size: reader.info.size) else {
                    throw AWSError(code: "InvalidArgument", message: "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
                                   operation: name)
                }
                (start, length) = (range.lowerBound, range.upperBound - range.lowerBound + 1)
            }
            let part = try multipart(engine, name).beginPart(uploadId: input.uploadId, bucket: input.bucket, key: input.key,
                                                             partNumber: input.partNumber)
            do {
                try reader.seek(to: start)
                var remaining = length
                while remaining > 0 {
                    let chunk = try reader.read(upTo: Int(min(remaining, 1 << 20)))
                    if chunk.isEmpty { break }
                    try part.write(chunk)
                    remaining -= Int64(chunk.count)
                }
                let info = try part.commit()
                return UploadPartCopyOutput(copyPartResult: CopyObjectResult(eTag: "\"\(info.etag)\"", lastModified: info.lastModified))
            } catch {
                part.abort()
                throw error
            }
        }
    }

    /// The parts, in ascending order, become one object with S3's multipart ETag.
    public enum CompleteMultipartUpload: S3Operation {
        public static func run(_ input: CompleteMultipartUploadInput, on engine: Engine) throws -> CompleteMultipartUploadOutput {
            let info = try multipart(engine, name).completeMultipartUpload(
                uploadId: input.uploadId, bucket: input.bucket, key: input.key, parts: input.parts.map { ($0.partNumber, $0.eTag) })
            return CompleteMultipartUploadOutput(location: "/\(input.bucket)/\(input.key)", bucket: input.bucket, key: input.key,
                                                 eTag: "\"\(info.etag)\"")
        }
    }

    public enum AbortMultipartUpload: S3Operation {
        public static func run(_ input: UploadInput, on engine: Engine) throws -> EmptyOutput {
            try multipart(engine, name).abortMultipartUpload(uploadId: input.uploadId, bucket: input.bucket, key: input.key)
            return EmptyOutput()
        }
    }

    /// Up to MaxParts parts (at most 1000) after PartNumberMarker.
    public enum ListParts: S3Operation {
        public static func run(_ input: ListPartsInput, on engine: Engine) throws -> ListPartsOutput {
            guard (input.maxParts ?? 0) >= 0, (input.partNumberMarker ?? 0) >= 0 else {
                throw AWSError(code: "InvalidArgument", message: "max-parts and part-number-marker must be whole numbers of 0 or more",
                               operation: name)
            }
            let parts = try multipart(engine, name).listParts(uploadId: input.uploadId, bucket: input.bucket, key: input.key)
            let after = input.partNumberMarker ?? 0
            let limit = min(input.maxParts ?? 1000, 1000)
            let remaining = parts.filter { $0.number > after }
            let shown = remaining.prefix(limit)
            return ListPartsOutput(
                bucket: input.bucket, key: input.key, uploadId: input.uploadId, partNumberMarker: after,
                nextPartNumberMarker: shown.last?.number ?? after, maxParts: limit, isTruncated: shown.count < remaining.count,
                storageClass: "STANDARD",
                parts: shown.map { Part(partNumber: $0.number, lastModified: $0.lastModified, eTag: "\"\($0.etag)\"", size: $0.size) })
        }
    }

    /// Every upload in progress in the bucket, in one page.
    public enum ListMultipartUploads: S3Operation {
        public static func run(_ input: BucketInput, on engine: Engine) throws -> ListMultipartUploadsOutput {
            let uploads = try multipart(engine, name).listMultipartUploads(bucket: input.bucket)
            return ListMultipartUploadsOutput(
                bucket: input.bucket, keyMarker: "", uploadIdMarker: "", maxUploads: 1000, isTruncated: false,
                uploads: uploads.map { UploadSummary(key: $0.key, uploadId: $0.uploadId, storageClass: "STANDARD", initiated: $0.initiated) })
        }
    }

    static func multipart(_ engine: Engine, _ operation: String) throws -> any MultipartObjectStore {
        guard let store = engine.store as? any MultipartObjectStore else {
            throw AWSError(code: "NotImplemented", message: "This store keeps no multipart uploads.", operation: operation, httpStatus: 501)
        }
        return store
    }
}
