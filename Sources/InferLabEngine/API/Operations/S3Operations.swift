import Foundation

/// S3: buckets here; objects, listings and multipart uploads in the extensions. Each entry runs
/// on the engine's object store and answers AWS's shapes, with S3's errors.
public enum S3Operations {
    public static let all: [any AWSOperation.Type] = [
        ListBuckets.self, CreateBucket.self, HeadBucket.self, DeleteBucket.self, GetBucketLocation.self,
        ListObjectsV2.self, ListObjects.self,
        HeadObject.self, GetObject.self, PutObject.self, CopyObject.self, DeleteObject.self, DeleteObjects.self,
        CreateMultipartUpload.self, UploadPart.self, UploadPartCopy.self, CompleteMultipartUpload.self, AbortMultipartUpload.self,
        ListParts.self, ListMultipartUploads.self,
    ]

    public enum ListBuckets: S3Operation {
        /// CreationDate to the second, S3's precision.
        public static func run(_ input: ListBucketsInput, on engine: Engine) throws -> ListBucketsOutput {
            ListBucketsOutput(buckets: try engine.store.listBuckets().map {
                Bucket(name: $0.name, creationDate: Date(timeIntervalSince1970: $0.creationDate.timeIntervalSince1970.rounded(.down)))
            }, owner: S3Account.owner)
        }
    }

    public enum CreateBucket: S3Operation {
        public static func run(_ input: BucketInput, on engine: Engine) throws -> CreateBucketOutput {
            try engine.store.createBucket(input.bucket)
            return CreateBucketOutput(location: "/\(input.bucket)")
        }
    }

    /// A missing bucket is a bare 404, as HEAD has no body: `An error occurred (404) when calling
    /// the HeadBucket operation: Not Found`.
    public enum HeadBucket: S3Operation {
        public static func run(_ input: BucketInput, on engine: Engine) throws -> HeadBucketOutput {
            guard engine.store.bucketExists(input.bucket) else {
                throw AWSError(code: "404", message: "Not Found", operation: name, httpStatus: 404,
                               hint: "no bucket \(input.bucket); list buckets with `aws s3 ls`")
            }
            return HeadBucketOutput(bucketRegion: S3Account.region)
        }
    }

    public enum DeleteBucket: S3Operation {
        public static func run(_ input: BucketInput, on engine: Engine) throws -> EmptyOutput {
            try engine.store.deleteBucket(input.bucket)
            return EmptyOutput()
        }
    }

    public enum GetBucketLocation: S3Operation {
        public static func run(_ input: BucketInput, on engine: Engine) throws -> GetBucketLocationOutput {
            guard engine.store.bucketExists(input.bucket) else { throw AWSError.noSuchBucket(input.bucket, operation: name) }
            return GetBucketLocationOutput(locationConstraint: nil)
        }
    }
}

/// An entry of S3: the name is the type's.
public protocol S3Operation: AWSOperation {}

extension S3Operation {
    public static var service: AWSService { .s3 }
    public static var name: String { String(describing: Self.self) }
}
