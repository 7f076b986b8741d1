import Foundation

/// What S3 reports about an object (HeadObject, ListObjectsV2 contents).
public struct ObjectInfo: Sendable, Equatable {
    public var key: String
    public var size: Int64
    /// Hex MD5 of the content, without quotes.
    public var etag: String
    public var lastModified: Date
    public var contentType: String
    public var metadata: [String: String]
    /// The checksums the object was stored with (`x-amz-checksum-crc32` → base64), if the writer
    /// sent any: S3 returns them to a GET with `x-amz-checksum-mode: ENABLED`.
    public var checksums: [String: String] = [:]

    public init(key: String, size: Int64, etag: String, lastModified: Date, contentType: String, metadata: [String: String] = [:]) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.metadata = metadata
    }
}

public struct BucketInfo: Sendable, Equatable {
    public var name: String
    public var creationDate: Date
}

/// The parameters of ListObjectsV2.
public struct ListObjectsRequest: Sendable, Equatable {
    public var bucket: String
    /// A raw string prefix, as S3: `test` also matches `test_output/…`.
    public var prefix: String = ""
    public var delimiter: String?
    public var startAfter: String?
    public var continuationToken: String?
    public var maxKeys: Int = 1000

    public init(bucket: String, prefix: String = "", delimiter: String? = nil, startAfter: String? = nil,
                continuationToken: String? = nil, maxKeys: Int = 1000) {
        self.bucket = bucket
        self.prefix = prefix
        self.delimiter = delimiter
        self.startAfter = startAfter
        self.continuationToken = continuationToken
        self.maxKeys = maxKeys
    }
}

/// One page of ListObjectsV2.
public struct ListObjectsPage: Sendable, Equatable {
    public var contents: [ObjectInfo]
    public var commonPrefixes: [String]
    public var isTruncated: Bool
    public var nextContinuationToken: String?
    public var keyCount: Int { contents.count + commonPrefixes.count }
}

/// Where an object's bytes come from when it is written.
public enum ObjectBody: Sendable {
    case data(Data)
    case file(URL)
}
