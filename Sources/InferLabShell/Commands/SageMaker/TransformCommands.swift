import Foundation
import InferLabEngine

/// `aws sagemaker create-transform-job`, `describe-`, `list-`, `stop-transform-job`.
enum TransformCommands {
    static var all: [CommandSpec] {
        [createTransformJob, describeTransformJob, listTransformJobs, stopTransformJob, TransformWaiter.waitCompletedOrStopped,
         TransformEndWaiter.waitEnded, TransformProgressCommand.progress]
    }

    static let jobNames = CompletionSource.dynamic { session, _ in
        (try? session.engine.catalog.allTransformJobs().map(\.name)) ?? []
    }

    static let contentTypes = ["text/csv", "application/json", "application/jsonlines", "text/libsvm"]

    static let createTransformJob = AWSCommand.make(
        .sagemaker, "create-transform-job", operation: "CreateTransformJob", summary: "Start a batch transform job",
        discussion: """
        The job runs in the background: the shell stays usable and announces the end before the next \
        prompt. Its instances are first provisioned for INFERLAB_PROVISIONING_SECONDS (default 2; AWS takes \
        minutes), not billed; at TransformStartTime they start, and billing with them: the container and the \
        model take INFERLAB_STARTUP_SECONDS (default 1) to load, then the records are scored, until \
        TransformEndTime. A lab may set its own time scale. Each input object goes whole to one instance (round-robin in \
        key order); S3Uri is a raw string prefix. Outputs are <key relative to the input root>.out under \
        S3OutputPath; a file with a failed record gets no output and the job ends Failed. Defaults: \
        MaxConcurrentTransforms 1, MaxPayloadInMB 6, BatchStrategy MultiRecord, SplitType None, AssembleWith \
        None (raw). JSONPath slices in filters include their end, as AWS's developer guide says (not \
        checked against the live service). Follow it with `aws sagemaker wait transform-job-completed-or-stopped`.
        """,
        notes: [
            "TransformJobName": MemberNote("unique, letters, digits and hyphens"),
            "ModelName": MemberNote(completion: ModelCommands.modelNames),
            "MaxConcurrentTransforms": MemberNote("requests in flight per instance (default 1)"),
            "ModelClientConfig": MemberNote("per-request timeout (1-3600 s, default 600) and retries of a 5xx or timed-out request (0-3, default 3)"),
            "MaxPayloadInMB": MemberNote("mini-batch size limit (default 6)"),
        ],
        examples: [
            "aws sagemaker create-transform-job --transform-job-name loan-batch-1 --model-name loan-xgb --transform-input 'DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://loan-lab/batch-input/}},ContentType=text/csv,SplitType=Line' --transform-output S3OutputPath=s3://loan-lab/batch-output/,AssembleWith=Line --transform-resources InstanceType=ml.m5.large,InstanceCount=1",
        ],
        input: CreateTransformJobInput.self, output: CreateTransformJobOutput.self
    ) { input, invocation in
        try SageMakerOperations.CreateTransformJob.run(input, on: invocation.session.engine)
    }

    static let describeTransformJob = AWSCommand.make(
        .sagemaker, "describe-transform-job", operation: "DescribeTransformJob", summary: "Show a transform job's status and settings",
        discussion: "AWS's members, as the AWS CLI prints them. The kit's view inside the job (its phase, files, records and mini-batches per instance, billable instance-seconds and cost) is `transform progress NAME`.",
        notes: ["TransformJobName": MemberNote(completion: jobNames)],
        examples: ["aws sagemaker describe-transform-job --transform-job-name loan-batch-1"],
        input: DescribeTransformJobInput.self, output: DescribeTransformJobOutput.self
    ) { input, invocation in
        try SageMakerOperations.DescribeTransformJob.run(input, on: invocation.session.engine)
    }

    static let listTransformJobs = AWSCommand.make(
        .sagemaker, "list-transform-jobs", operation: "ListTransformJobs", summary: "List transform jobs, newest first",
        discussion: "Filters apply before pagination. Every page is fetched and merged, as the AWS CLI does; --max-results, --next-token or --no-paginate print one page and its NextToken.",
        notes: ["MaxResults": MemberNote("1–100, default 10 per page")],
        examples: ["aws sagemaker list-transform-jobs --status-equals Failed"],
        input: ListTransformJobsInput.self, output: ListTransformJobsOutput.self
    ) { input, invocation in
        let engine = invocation.session.engine
        if AWSCommand.onePage(maxResults: input.maxResults, nextToken: input.nextToken, invocation) { return try SageMakerOperations.ListTransformJobs.run(input, on: engine) }
        var all = try AWSCommand.allPages(input, token: \.nextToken, next: \.nextToken, fetch: { try SageMakerOperations.ListTransformJobs.run($0, on: engine) }) {
            $0.transformJobSummaries += $1.transformJobSummaries
        }
        all.nextToken = nil
        return all
    }

    static let stopTransformJob = AWSCommand.make(
        .sagemaker, "stop-transform-job", operation: "StopTransformJob", summary: "Stop a running transform job",
        discussion: "The job goes Stopping, then Stopped; output not yet written is never stored. Stopping a job that is not InProgress is a ValidationException (AWS's behaviour here is not documented; this follows other Stop* APIs).",
        notes: ["TransformJobName": MemberNote(completion: jobNames)],
        examples: ["aws sagemaker stop-transform-job --transform-job-name loan-batch-1"],
        input: StopTransformJobInput.self, output: EmptyOutput.self
    ) { input, invocation in
        _ = try SageMakerOperations.StopTransformJob.run(input, on: invocation.session.engine)
        return nil
    }
}
