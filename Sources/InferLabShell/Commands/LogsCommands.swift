import Foundation
import InferLabEngine

/// `aws logs tail`: the CloudWatch-style job logs the engine writes.
enum LogsCommands {
    static let tail = CommandSpec(
        ["logs", "tail"], family: .logs, summary: "Show a log group's events (transform job logs)",
        discussion: "Transform jobs log to /aws/sagemaker/TransformJobs in streams named <job>/<instance-id>, as on AWS.",
        arguments: [ArgumentSpec("GROUP_NAME", help: "the log group", completion: .values(["/aws/sagemaker/TransformJobs"]))],
        options: [OptionSpec("log-stream-name-prefix", placeholder: "PREFIX", help: "only streams that begin with this (e.g. the job name)",
                             completion: TransformCommands.jobNames)],
        examples: ["aws logs tail /aws/sagemaker/TransformJobs --log-stream-name-prefix loan-batch-1"]
    ) { invocation in
        let events = try invocation.session.engine.catalog.logEvents(
            group: invocation.arguments[0], streamPrefix: invocation.value("log-stream-name-prefix") ?? "")
        for event in events {
            invocation.console.print("\(AWSCoding.cliTimestamp(event.time)) \(invocation.console.style.dim(event.stream)) \(event.message)")
        }
    }
}
