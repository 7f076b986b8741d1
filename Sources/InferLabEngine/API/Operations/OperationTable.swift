import Foundation

/// The engine's operation table: every AWS operation InferLab answers, one `AWSOperation` each
/// (service, name, input and output shapes, handler). The shell's `aws …` commands and the HTTP
/// endpoint's routes are two front ends of it: they build an entry's input from their own request
/// form, `engine.call` it, and render its output (the CLI's JSON, S3's XML); neither reaches into
/// the object store or the catalog around it. A new operation is a new entry here first.
public enum OperationTable {
    public static let all: [any AWSOperation.Type] =
        S3Operations.all + SageMakerOperations.all + RuntimeOperations.all + LogsOperations.all + AutoScalingOperations.all
        + IdentityOperations.all

    /// The entry a service names so: `entry(.s3, "HeadObject")`.
    public static func entry(_ service: AWSService, _ name: String) -> (any AWSOperation.Type)? {
        all.first { $0.service == service && $0.name == name }
    }

    /// `["s3": ["CopyObject", …], …]`, for front ends that list what they answer.
    public static var names: [AWSService: [String]] {
        Dictionary(grouping: all, by: { $0.service }).mapValues { $0.map { $0.name }.sorted() }
    }
}
