import Foundation

extension S3Operations {
    /// An object's metadata; the conditions apply as for GetObject.
    public enum HeadObject: S3Operation {
        public static func run(_ input: HeadObjectInput, on engine: Engine) throws -> HeadObjectOutput {
            let info = try engine.store.headObject(bucket: input.bucket, key: input.key)
            try S3Rules.check(input.conditions, info, operation: name)
            return HeadObjectOutput(acceptRanges: "bytes", lastModified: info.lastModified, contentLength: info.size,
                                    eTag: "\"\(info.etag)\"", contentType: info.contentType, metadata: info.metadata,
                                    checksums: info.checksums)
        }
    }

    /// An object's bytes, streamed, with its metadata; conditions first, then the range.
    public enum GetObject: S3Operation {
        public static func run(_ input: GetObjectInput, on engine: Engine) throws -> GetObjectOutput {
            let source = try engine.store.openObject(bucket: input.bucket, key: input.key)
            let info = source.info
            var range: ClosedRange<Int64>?
            do {
                try S3Rules.check(input.conditions, info, operation: name)
                if let header = input.range {
                    switch S3Rules.byteRange(header, size: info.size) {
                    case .whole: break
                    case .bytes(let bytes): range = bytes
                    case .unsatisfiable: throw AWSError.invalidRange(operation: name)
                    }
                }
            } catch {
                source.close()
                throw error
            }
            let start = range?.lowerBound ?? 0
            let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? info.size
            let body: ObjectStream
            do { body = try ObjectStream(source, start: start, length: length) } catch {
                source.close()
                throw error
            }
            return GetObjectOutput(
                body: body, acceptRanges: "bytes", lastModified: info.lastModified, contentLength: length, eTag: "\"\(info.etag)\"",
                contentRange: range.map { "bytes \($0.lowerBound)-\($0.upperBound)/\(info.size)" },
                contentType: info.contentType, metadata: info.metadata, checksums: range == nil ? info.checksums : [:])
        }
    }

    public enum PutObject: S3Operation {
        public static func run(_ input: PutObjectInput, on engine: Engine) async throws -> ETagOutput {
            let info: ObjectInfo
            switch input.body {
            case .data(let data):
                info = try engine.store.putObject(bucket: input.bucket, key: input.key, body: .data(data),
                                                  contentType: input.contentType, metadata: input.metadata)
            case .file(let url):
                info = try engine.store.putObject(bucket: input.bucket, key: input.key, body: .file(url),
                                                  contentType: input.contentType, metadata: input.metadata)
            case .stream:
                let upload = try engine.store.beginObject(bucket: input.bucket, key: input.key, contentType: input.contentType,
                                                          metadata: input.metadata)
                info = try await write(input.body, into: upload)
            }
            return ETagOutput(eTag: "\"\(info.etag)\"")
        }
    }

    /// A server-side copy: the source's type and metadata, or new ones with `REPLACE`.
    public enum CopyObject: S3Operation {
        public static func run(_ input: CopyObjectInput, on engine: Engine) throws -> CopyObjectOutput {
            guard let source = input.sourceLocation else {
                throw AWSError(code: "InvalidArgument", message: "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                               operation: name)
            }
            let replace = input.metadataDirective == "REPLACE"
            let reader = try engine.store.openObject(bucket: source.bucket, key: source.key)
            defer { reader.close() }
            try S3Rules.check(input.copySourceConditions, reader.info, operation: name, copySource: true)
            let info = try engine.store.writeObject(
                bucket: input.bucket, key: input.key, contentType: replace ? input.contentType : reader.info.contentType,
                metadata: replace ? input.metadata : reader.info.metadata) { sink in
                while true {
                    let chunk = try reader.read(upTo: 1 << 20)
                    if chunk.isEmpty { break }
                    try sink.write(chunk)
                }
            }
            return CopyObjectOutput(copyObjectResult: CopyObjectResult(eTag: "\"\(info.etag)\"", lastModified: info.lastModified))
        }
    }

    /// Succeeds for a key that does not exist, as S3 does.
    public enum DeleteObject: S3Operation {
        public static func run(_ input: ObjectInput, on engine: Engine) throws -> EmptyOutput {
            try engine.store.deleteObject(bucket: input.bucket, key: input.key)
            return EmptyOutput()
        }
    }

    /// Deletes each key on its own: a key that cannot be deleted is an error entry, not a failure.
    public enum DeleteObjects: S3Operation {
        public static func run(_ input: DeleteObjectsInput, on engine: Engine) throws -> DeleteObjectsOutput {
            guard engine.store.bucketExists(input.bucket) else { throw AWSError.noSuchBucket(input.bucket, operation: name) }
            var output = DeleteObjectsOutput(deleted: [], errors: [])
            for key in input.keys {
                do {
                    try engine.store.deleteObject(bucket: input.bucket, key: key)
                    if !input.quiet { output.deleted.append(key) }
                } catch let error as AWSError {
                    output.errors.append(DeleteError(key: key, code: error.code, message: error.message))
                } catch {
                    output.errors.append(DeleteError(key: key, code: "InternalError", message: "\(error)"))
                }
            }
            return output
        }
    }

    /// Writes a payload into an upload and commits it; on any failure the upload is aborted.
    static func write(_ payload: ObjectPayload, into upload: any ObjectUpload) async throws -> ObjectInfo {
        do {
            switch payload {
            case .data(let data):
                try upload.write(data)
            case .file(let url):
                let handle = try FileHandle(forReadingFrom: url)
                defer { try? handle.close() }
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { try upload.write(chunk) }
            case .stream(let produce):
                try await produce(upload)
            }
            return try upload.commit()
        } catch {
            upload.abort()
            throw error
        }
    }
}

extension CopyObjectInput {
    /// The source bucket and key of `copySource`; nil when it does not name both.
    public var sourceLocation: S3Location? {
        let path = copySource.hasPrefix("/") ? copySource.dropFirst() : Substring(copySource)
        guard let slash = path.firstIndex(of: "/"), path.index(after: slash) < path.endIndex else { return nil }
        return S3Location(bucket: String(path[..<slash]), key: String(path[path.index(after: slash)...]))
    }
}
