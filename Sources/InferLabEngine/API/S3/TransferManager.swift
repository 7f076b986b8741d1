import Foundation

/// What the AWS CLI's transfer manager does for `aws s3 cp`, `mv` and `sync` beyond single S3
/// calls: an upload or copy of 8 MiB or more goes in 8 MiB parts, so the object has S3's
/// multipart ETag, streamed straight into place (the CLI's CreateMultipartUpload, UploadPart or
/// UploadPartCopy and CompleteMultipartUpload, without keeping the parts). Reads, listings and
/// deletes are the table's entries; only these two writes are not.
public struct TransferManager: Sendable {
    let store: any ObjectStore

    /// The aws CLI's `multipart_threshold` and `multipart_chunksize` (both 8 MiB by default).
    public static let partSize = 8 << 20

    /// Streams bytes into an object: `produce` writes them; nothing appears unless it returns.
    @discardableResult
    public func upload(to target: S3Location, contentType: String?, metadata: [String: String] = [:],
                       produce: (any ObjectSink) throws -> Void) throws -> ObjectInfo {
        try store.writeObject(bucket: target.bucket, key: target.key, contentType: contentType, metadata: metadata,
                              multipartPartSize: Self.partSize, produce: produce)
    }

    /// Copies an object, keeping its metadata and (unless given) its content type. `chunk` is
    /// told each chunk's size and may throw to stop the copy (Ctrl-C), which leaves nothing.
    @discardableResult
    public func copy(from origin: S3Location, to target: S3Location, contentType: String?,
                     chunk: (Int64) throws -> Void = { _ in }) throws -> ObjectInfo {
        let reader = try store.openObject(bucket: origin.bucket, key: origin.key)
        defer { reader.close() }
        return try upload(to: target, contentType: contentType ?? reader.info.contentType, metadata: reader.info.metadata) { sink in
            while true {
                let data = try reader.read(upTo: 1 << 20)
                if data.isEmpty { return }
                try chunk(Int64(data.count))
                try sink.write(data)
            }
        }
    }
}

extension Engine {
    /// Multipart-sized uploads and copies for the shell's high-level `aws s3` commands.
    public var transfers: TransferManager { TransferManager(store: store) }
}
