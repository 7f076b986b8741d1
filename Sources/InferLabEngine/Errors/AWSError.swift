/// An error in AWS's own terms: the error code, its message, and the operation that raised it.
///
/// Rendered as the AWS CLI renders service errors, so what a learner sees here is what AWS says:
/// `An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist`.
public struct AWSError: Error, Sendable, Equatable, LearnerFacingError {
    /// AWS's error code: `NoSuchKey`, `ValidationException`, `ResourceInUse`…
    public var code: String
    public var message: String
    /// The API operation, e.g. `CreateBucket`.
    public var operation: String
    /// The HTTP status AWS answers with (404 for NoSuchKey); kept for a later HTTP API.
    public var httpStatus: Int
    public var hint: String?

    public init(code: String, message: String, operation: String, httpStatus: Int = 400, hint: String? = nil) {
        self.code = code
        self.message = message
        self.operation = operation
        self.httpStatus = httpStatus
        self.hint = hint
    }

    public var renderedMessage: String {
        "An error occurred (\(code)) when calling the \(operation) operation: \(message)"
    }

    public var exitCode: Int32 { 254 }

    /// The same error raised by another operation (a helper used by several).
    public func during(_ operation: String) -> AWSError {
        var copy = self
        copy.operation = operation
        return copy
    }
}

// MARK: - S3's errors, with AWS's messages

extension AWSError {
    public static func noSuchBucket(_ bucket: String, operation: String) -> AWSError {
        AWSError(code: "NoSuchBucket", message: "The specified bucket does not exist", operation: operation,
                 httpStatus: 404, hint: "create it with `aws s3 mb s3://\(bucket)`, or list buckets with `aws s3 ls`")
    }

    public static func noSuchKey(bucket: String, key: String, operation: String) -> AWSError {
        AWSError(code: "NoSuchKey", message: "The specified key does not exist.", operation: operation,
                 httpStatus: 404, hint: "list what is there with `aws s3 ls s3://\(bucket)/ --recursive`")
    }

    /// HeadObject has no body, so the CLI shows the bare status: `An error occurred (404) when
    /// calling the HeadObject operation: Not Found`.
    public static func headObjectNotFound(bucket: String, key: String) -> AWSError {
        AWSError(code: "404", message: "Not Found", operation: "HeadObject", httpStatus: 404,
                 hint: "no object s3://\(bucket)/\(key); list what is there with `aws s3 ls s3://\(bucket)/ --recursive`")
    }

    public static func bucketNotEmpty(_ bucket: String) -> AWSError {
        AWSError(code: "BucketNotEmpty", message: "The bucket you tried to delete is not empty", operation: "DeleteBucket",
                 httpStatus: 409, hint: "empty it first (`aws s3 rm s3://\(bucket) --recursive`) or use `aws s3 rb s3://\(bucket) --force`")
    }

    public static func bucketAlreadyOwnedByYou(_ bucket: String) -> AWSError {
        AWSError(code: "BucketAlreadyOwnedByYou",
                 message: "Your previous request to create the named bucket succeeded and you already own it.",
                 operation: "CreateBucket", httpStatus: 409)
    }

    public static func invalidBucketName(_ bucket: String, reason: String, operation: String) -> AWSError {
        AWSError(code: "InvalidBucketName", message: "The specified bucket is not valid.", operation: operation,
                 httpStatus: 400, hint: "'\(bucket)': \(reason)")
    }

    public static func invalidKey(_ key: String, reason: String, operation: String) -> AWSError {
        AWSError(code: "InvalidArgument", message: "Invalid object key: \(reason)", operation: operation, httpStatus: 400)
    }

    public static func invalidRange(operation: String) -> AWSError {
        AWSError(code: "InvalidRange", message: "The requested range is not satisfiable", operation: operation, httpStatus: 416)
    }
}
