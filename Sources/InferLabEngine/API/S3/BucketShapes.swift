import Foundation

// S3's bucket operations, with AWS's member names (botocore's s3 model, lowerCamelCase here).

public struct Owner: Sendable, Equatable {
    public var displayName: String
    /// Spelt as S3's member, `ID` (the shell prints members by their Swift names).
    public var ID: String
}

public struct Bucket: Sendable, Equatable {
    public var name: String
    public var creationDate: Date
}

public struct ListBucketsInput: Sendable, Equatable {
    public init() {}
}

public struct ListBucketsOutput: Sendable, Equatable {
    public var buckets: [Bucket]
    public var owner: Owner
}

/// CreateBucket, HeadBucket, DeleteBucket and GetBucketLocation take only the bucket.
public struct BucketInput: Sendable, Equatable {
    public var bucket: String
    public init(bucket: String) { self.bucket = bucket }
}

public struct CreateBucketOutput: Sendable, Equatable {
    /// `/bucket`, S3's Location header.
    public var location: String
}

public struct HeadBucketOutput: Sendable, Equatable {
    public var bucketRegion: String
}

public struct GetBucketLocationOutput: Sendable, Equatable {
    /// nil for us-east-1, as S3 says it (an empty LocationConstraint).
    public var locationConstraint: String?
}

/// The kit's one owner and region, as S3 reports them.
public enum S3Account {
    public static let region = "us-east-1"
    public static let owner = Owner(displayName: "inferlab", ID: "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a")
}
