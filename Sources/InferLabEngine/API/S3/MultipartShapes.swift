import Foundation

// The multipart upload operations, with AWS's member names.

public struct CreateMultipartUploadInput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var contentType: String?
    public var metadata: [String: String]
    public init(bucket: String, key: String, contentType: String? = nil, metadata: [String: String] = [:]) {
        (self.bucket, self.key, self.contentType, self.metadata) = (bucket, key, contentType, metadata)
    }
}

public struct CreateMultipartUploadOutput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var uploadId: String
}

public struct UploadPartInput: Sendable {
    public var bucket: String
    public var key: String
    public var partNumber: Int
    public var uploadId: String
    public var body: ObjectPayload
    public init(bucket: String, key: String, partNumber: Int, uploadId: String, body: ObjectPayload) {
        (self.bucket, self.key, self.partNumber, self.uploadId, self.body) = (bucket, key, partNumber, uploadId, body)
    }
}

public struct CompletedPart: Sendable, Equatable {
    public var eTag: String
    public var partNumber: Int
    public init(eTag: String, partNumber: Int) { (self.eTag, self.partNumber) = (eTag, partNumber) }
}

public struct CompleteMultipartUploadInput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var uploadId: String
    /// `MultipartUpload.Parts`.
    public var parts: [CompletedPart]
    public init(bucket: String, key: String, uploadId: String, parts: [CompletedPart]) {
        (self.bucket, self.key, self.uploadId, self.parts) = (bucket, key, uploadId, parts)
    }
}

public struct CompleteMultipartUploadOutput: Sendable, Equatable {
    public var location: String
    public var bucket: String
    public var key: String
    public var eTag: String
}

/// AbortMultipartUpload's input.
public struct UploadInput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var uploadId: String
    public init(bucket: String, key: String, uploadId: String) { (self.bucket, self.key, self.uploadId) = (bucket, key, uploadId) }
}

public struct ListPartsInput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var uploadId: String
    public var maxParts: Int?
    public var partNumberMarker: Int?
    public init(bucket: String, key: String, uploadId: String, maxParts: Int? = nil, partNumberMarker: Int? = nil) {
        (self.bucket, self.key, self.uploadId, self.maxParts, self.partNumberMarker) = (bucket, key, uploadId, maxParts, partNumberMarker)
    }
}

public struct Part: Sendable, Equatable {
    public var partNumber: Int
    public var lastModified: Date
    public var eTag: String
    public var size: Int64
}

public struct ListPartsOutput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var uploadId: String
    public var partNumberMarker: Int
    public var nextPartNumberMarker: Int
    public var maxParts: Int
    public var isTruncated: Bool
    public var storageClass: String
    public var parts: [Part]
}

/// An upload in progress, as ListMultipartUploads reports it (S3's `MultipartUpload` shape).
public struct UploadSummary: Sendable, Equatable {
    public var key: String
    public var uploadId: String
    public var storageClass: String
    public var initiated: Date
}

public struct ListMultipartUploadsOutput: Sendable, Equatable {
    public var bucket: String
    public var keyMarker: String
    public var uploadIdMarker: String
    public var maxUploads: Int
    public var isTruncated: Bool
    public var uploads: [UploadSummary]
}

public struct UploadPartCopyInput: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var partNumber: Int
    public var uploadId: String
    /// `sourcebucket/sourcekey` (a leading `/` allowed), already percent-decoded.
    public var copySource: String
    /// `bytes=first-last`, or nil for the whole source.
    public var copySourceRange: String?
    public var copySourceConditions: ObjectConditions
    public init(bucket: String, key: String, partNumber: Int, uploadId: String, copySource: String,
                copySourceRange: String? = nil, copySourceConditions: ObjectConditions = ObjectConditions()) {
        (self.bucket, self.key, self.partNumber, self.uploadId) = (bucket, key, partNumber, uploadId)
        (self.copySource, self.copySourceRange, self.copySourceConditions) = (copySource, copySourceRange, copySourceConditions)
    }
}

public struct UploadPartCopyOutput: Sendable, Equatable {
    public var copyPartResult: CopyObjectResult
}
