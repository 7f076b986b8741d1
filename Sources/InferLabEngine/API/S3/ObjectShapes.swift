import Foundation

// HeadObject, GetObject, PutObject, CopyObject, DeleteObject and DeleteObjects, with AWS's
// member names. ETags are quoted, as S3 sends them.

/// The conditional members of HeadObject and GetObject (`If-Match`… on the wire).
public struct ObjectConditions: Sendable, Equatable {
    public var ifMatch: String?
    public var ifModifiedSince: Date?
    public var ifNoneMatch: String?
    public var ifUnmodifiedSince: Date?
    public init(ifMatch: String? = nil, ifModifiedSince: Date? = nil, ifNoneMatch: String? = nil, ifUnmodifiedSince: Date? = nil) {
        (self.ifMatch, self.ifModifiedSince, self.ifNoneMatch, self.ifUnmodifiedSince) = (ifMatch, ifModifiedSince, ifNoneMatch, ifUnmodifiedSince)
    }
}

public struct HeadObjectInput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var conditions: ObjectConditions
    public init(bucket: String, key: String, conditions: ObjectConditions = ObjectConditions()) {
        (self.bucket, self.key, self.conditions) = (bucket, key, conditions)
    }
}

public struct HeadObjectOutput: Sendable, Equatable {
    public var acceptRanges: String
    public var lastModified: Date
    public var contentLength: Int64
    public var eTag: String
    public var contentType: String
    public var metadata: [String: String]
    /// The checksums the object was stored with (`x-amz-checksum-crc32` → base64).
    public var checksums: [String: String] = [:]
}

public struct GetObjectInput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var conditions: ObjectConditions
    /// HTTP's `bytes=0-99`, `bytes=100-`, `bytes=-100`; a form S3 does not understand is ignored.
    public var range: String?
    public init(bucket: String, key: String, conditions: ObjectConditions = ObjectConditions(), range: String? = nil) {
        (self.bucket, self.key, self.conditions, self.range) = (bucket, key, conditions, range)
    }
}

/// GetObject's answer. The body is streamed: read it, then close it.
public struct GetObjectOutput: Sendable {
    public var body: ObjectStream
    public var acceptRanges: String
    public var lastModified: Date
    public var contentLength: Int64
    public var eTag: String
    /// `bytes 3-7/120` when a range was read.
    public var contentRange: String?
    public var contentType: String
    public var metadata: [String: String]
    /// The whole object's stored checksums; empty for a ranged read (S3 returns none then).
    public var checksums: [String: String] = [:]
}

public struct PutObjectInput: Sendable {
    public var bucket: String
    public var key: String
    public var body: ObjectPayload
    public var contentType: String?
    public var metadata: [String: String]
    public init(bucket: String, key: String, body: ObjectPayload, contentType: String? = nil, metadata: [String: String] = [:]) {
        (self.bucket, self.key, self.body, self.contentType, self.metadata) = (bucket, key, body, contentType, metadata)
    }
}

/// PutObject's and UploadPart's answer.
public struct ETagOutput: Sendable, Equatable {
    public var eTag: String
}

public struct CopyObjectInput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    /// `sourcebucket/sourcekey` (a leading `/` allowed), already percent-decoded.
    public var copySource: String
    public var copySourceConditions: ObjectConditions
    /// `COPY` (the default: the source's type and metadata) or `REPLACE` (these).
    public var metadataDirective: String?
    public var contentType: String?
    public var metadata: [String: String]
    public init(bucket: String, key: String, copySource: String, copySourceConditions: ObjectConditions = ObjectConditions(),
                metadataDirective: String? = nil, contentType: String? = nil, metadata: [String: String] = [:]) {
        (self.bucket, self.key, self.copySource, self.copySourceConditions) = (bucket, key, copySource, copySourceConditions)
        (self.metadataDirective, self.contentType, self.metadata) = (metadataDirective, contentType, metadata)
    }
}

public struct CopyObjectResult: Sendable, Equatable {
    public var eTag: String
    public var lastModified: Date
}

public struct CopyObjectOutput: Sendable, Equatable {
    public var copyObjectResult: CopyObjectResult
}

public struct ObjectInput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public init(bucket: String, key: String) { (self.bucket, self.key) = (bucket, key) }
}

public struct DeleteObjectsInput: Sendable, Equatable {
    public var bucket: String
    /// The keys (S3's `Delete.Objects[].Key`).
    public var keys: [String]
    /// Report only the errors (`Delete.Quiet`).
    public var quiet: Bool
    public init(bucket: String, keys: [String], quiet: Bool = false) { (self.bucket, self.keys, self.quiet) = (bucket, keys, quiet) }
}

/// One key DeleteObjects could not delete.
public struct DeleteError: Sendable, Equatable {
    public var key: String
    public var code: String
    public var message: String
}

public struct DeleteObjectsOutput: Sendable, Equatable {
    /// The keys deleted (empty when quiet).
    public var deleted: [String]
    public var errors: [DeleteError]
}
