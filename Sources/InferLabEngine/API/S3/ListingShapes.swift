import Foundation

// ListObjectsV2 and ListObjects, with AWS's member names. Members are in botocore's order,
// which is the order the AWS CLI prints them in.

/// An object in a listing (S3's `Object` shape).
public struct S3Object: Sendable, Equatable {
    public var key: String
    public var lastModified: Date
    /// Quoted, as S3 sends it: `"9b2cf535f27731c974343645a3985328"`.
    public var eTag: String
    public var size: Int64
    public var storageClass: String
}

public struct CommonPrefix: Sendable, Equatable {
    public var prefix: String
}

public struct ListObjectsV2Input: Sendable, Equatable {
    public var bucket: String
    public var delimiter: String?
    /// `url` asks the front end to percent-encode keys and prefixes in its answer.
    public var encodingType: String?
    public var maxKeys: Int?
    public var prefix: String?
    public var continuationToken: String?
    public var startAfter: String?
    public init(bucket: String, delimiter: String? = nil, encodingType: String? = nil, maxKeys: Int? = nil, prefix: String? = nil,
                continuationToken: String? = nil, startAfter: String? = nil) {
        (self.bucket, self.delimiter, self.encodingType, self.maxKeys) = (bucket, delimiter, encodingType, maxKeys)
        (self.prefix, self.continuationToken, self.startAfter) = (prefix, continuationToken, startAfter)
    }
}

public struct ListObjectsV2Output: Sendable, Equatable {
    public var isTruncated: Bool
    public var contents: [S3Object]
    public var name: String
    public var prefix: String
    public var delimiter: String?
    public var maxKeys: Int
    public var commonPrefixes: [CommonPrefix]
    public var encodingType: String?
    public var keyCount: Int
    public var continuationToken: String?
    public var nextContinuationToken: String?
    public var startAfter: String?
}

public struct ListObjectsInput: Sendable, Equatable {
    public var bucket: String
    public var delimiter: String?
    public var encodingType: String?
    public var marker: String?
    public var maxKeys: Int?
    public var prefix: String?
    public init(bucket: String, delimiter: String? = nil, encodingType: String? = nil, marker: String? = nil, maxKeys: Int? = nil,
                prefix: String? = nil) {
        (self.bucket, self.delimiter, self.encodingType, self.marker, self.maxKeys, self.prefix) =
            (bucket, delimiter, encodingType, marker, maxKeys, prefix)
    }
}

public struct ListObjectsOutput: Sendable, Equatable {
    public var isTruncated: Bool
    public var marker: String
    /// Only with a delimiter, as S3 gives it; without one, clients continue from the last key.
    public var nextMarker: String?
    public var contents: [S3Object]
    public var name: String
    public var prefix: String
    public var delimiter: String?
    public var maxKeys: Int
    public var commonPrefixes: [CommonPrefix]
    public var encodingType: String?
}
