import InferLabEngine

/// A failure reported verbatim, in the AWS CLI's own wording, such as
/// `upload failed: ./a.csv to s3://b/a.csv An error occurred (NoSuchBucket) …`.
public struct CLIFailure: Error, Sendable, LearnerFacingError {
    public var renderedMessage: String
    public var hint: String?
    public var exitCode: Int32

    public init(_ message: String, hint: String? = nil, exitCode: Int32 = ExitCode.failure) {
        renderedMessage = message
        self.hint = hint
        self.exitCode = exitCode
    }
}
