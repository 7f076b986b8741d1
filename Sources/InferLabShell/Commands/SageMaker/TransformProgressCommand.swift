import Foundation
import InferLabEngine

/// `transform progress NAME`: the kit's view inside a transform job, which AWS shows only through
/// CloudWatch's logs and metrics. `describe-transform-job` prints AWS's members alone, as the AWS
/// CLI does, so this is where the phase, the files each instance took, the records, the
/// mini-batches and the bill are read.
enum TransformProgressCommand {
    static let progress = CommandSpec(
        ["transform", "progress"], family: .kit, summary: "Show what a transform job's instances did: files, records, mini-batches, bill (not an AWS command)",
        discussion: """
        Prints TransformJobName, TransformJobStatus and InferLabProgress: Phase while InProgress (provisioning, \
        not billed; starting and transforming, billed), FilesTotal, FilesDone, FilesFailed, Records, MiniBatches, \
        Instances (the files and records of each), ProvisioningSeconds, StartupSeconds, TransformingSeconds, \
        BillableInstanceSeconds (instances × (TransformEndTime or now − TransformStartTime)) and EstimatedCostUSD. \
        On AWS the same facts are in the job's CloudWatch logs (one stream per instance) and metrics.
        """,
        arguments: [ArgumentSpec("NAME", help: "the job", completion: TransformCommands.jobNames)],
        examples: ["transform progress loan-batch-1"]
    ) { invocation in
        let job = try invocation.session.engine.sagemaker.describeTransformJob(DescribeTransformJobInput(transformJobName: invocation.arguments[0]))
        var members: [(String, JSONValue)] = [("TransformJobName", .string(job.transformJobName)),
                                              ("TransformJobStatus", .string(job.transformJobStatus))]
        if let progress = job.inferLabProgress { members.append(("InferLabProgress", JSONValue(reflecting: progress))) }
        invocation.console.print(JSONValue.object(members).rendered())
    }
}
