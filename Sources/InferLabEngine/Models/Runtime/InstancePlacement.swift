import Foundation

/// Where the instances of one transform job or endpoint variant run: their folders in the
/// workspace, what the platform adds to their containers' environment, and their log streams.
/// Built-in algorithms need none of it (they score in the kit); framework containers run a
/// process per instance in its folder.
struct InstancePlacement: Sendable {
    /// `.inferlab/instances/<owner>/`: `transform-<job>` or `endpoint-<endpoint>-<variant>`.
    var folder: URL
    var mode: InvocationMode
    /// What SageMaker sets in the containers besides their Environment (SAGEMAKER_BATCH…).
    var environment: [String: String]
    /// The invocation timeout when a caller gives none (real-time: 60 s).
    var defaultTimeout: Duration
    /// Appends a line to an instance's log stream.
    var log: @Sendable (_ instance: String, _ line: String) -> Void

    /// The environment SageMaker gives a batch transform's containers (`SAGEMAKER_BATCH`, and
    /// the job's limits as the containers read them).
    static func batchEnvironment(_ job: CreateTransformJobInput) -> [String: String] {
        [
            "SAGEMAKER_BATCH": "true",
            "SAGEMAKER_MAX_PAYLOAD_IN_MB": String(job.maxPayloadInMB ?? 6),
            "SAGEMAKER_BATCH_STRATEGY": job.batchStrategy == "SingleRecord" ? "SINGLE_RECORD" : "MULTI_RECORD",
            "SAGEMAKER_MAX_CONCURRENT_TRANSFORMS": String(job.maxConcurrentTransforms ?? 1),
        ]
    }
}
