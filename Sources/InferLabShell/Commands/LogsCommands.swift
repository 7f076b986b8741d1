import Foundation
import InferLabEngine

/// `aws logs tail`: the CloudWatch-style logs the engine writes, read with FilterLogEvents as the CLI does.
enum LogsCommands {
    static let tail = CommandSpec(
        ["logs", "tail"], family: .logs, summary: "Show a log group's events (transform job logs)",
        discussion: "Transform jobs log to /aws/sagemaker/TransformJobs in streams named <job>/<instance-id>, as on AWS.",
        arguments: [ArgumentSpec("GROUP_NAME", help: "the log group", completion: .values(["/aws/sagemaker/TransformJobs"]))],
        options: [OptionSpec("log-stream-name-prefix", placeholder: "PREFIX", help: "only streams that begin with this (e.g. the job name)",
                             completion: TransformCommands.jobNames)],
        examples: ["aws logs tail /aws/sagemaker/TransformJobs --log-stream-name-prefix loan-batch-1"]
    ) { invocation in
        var input = FilterLogEventsInput(logGroupName: invocation.arguments[0], logStreamNamePrefix: invocation.value("log-stream-name-prefix"))
        repeat {
            let page = try LogsOperations.FilterLogEvents.run(input, on: invocation.session.engine)
            for event in page.events {
                let time = AWSCoding.cliTimestamp(Date(timeIntervalSince1970: Double(event.timestamp) / 1000))
                invocation.console.print("\(time) \(invocation.console.style.dim(event.logStreamName)) \(event.message)")
            }
            input.nextToken = page.nextToken
        } while input.nextToken != nil
    }
}
