import Foundation
import InferLabEngine

/// `aws logs tail`: the CloudWatch-style logs the engine writes, read with FilterLogEvents as the CLI does.
enum LogsCommands {
    static let tail = CommandSpec(
        ["logs", "tail"], family: .logs, summary: "Show a log group's events (transform job logs)",
        discussion: "Transform jobs log to /aws/sagemaker/TransformJobs in streams named <job>/<instance-id>, training jobs to /aws/sagemaker/TrainingJobs in streams named <job>/algo-1-<epoch>, as on AWS.",
        arguments: [ArgumentSpec("GROUP_NAME", help: "the log group", completion: .values(["/aws/sagemaker/TransformJobs", "/aws/sagemaker/TrainingJobs"]))],
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

/// `aws logs filter-log-events`, `describe-log-groups`, `describe-log-streams`, `get-log-events`:
/// the CloudWatch Logs entries of the operation table, with options from AWS's model.
enum LogsAPICommands {
    static var all: [CommandSpec] { [filterLogEvents, describeLogGroups, describeLogStreams, getLogEvents] }

    static let groupNames = CompletionSource.values(["/aws/sagemaker/TransformJobs", "/aws/sagemaker/TrainingJobs"])

    /// CloudWatch Logs' members are lowerCamelCase on the wire and in the CLI's output.
    static func command<Operation: AWSOperation>(_ name: String, _ operation: Operation.Type, summary: String, examples: [String] = [])
        -> CommandSpec where Operation.Input: Decodable {
        AWSCommand.makeRaw(.logs, name, api: AWSModels.operation("logs", Operation.name)!, summary: summary,
                           notes: ["logGroupName": MemberNote("the log group", completion: groupNames)], examples: examples) { request, invocation in
            let input: Operation.Input
            do { input = try JSONDecoder().decode(Operation.Input.self, from: request.compactData) } catch let error as DecodingError {
                throw CLIFailure("Parameter validation failed:\n\(ErrorSentence.of(error))", exitCode: ExitCode.usage)
            }
            return camelCased(JSONValue(reflecting: try await invocation.session.engine.call(Operation.self, input)))
        }
    }

    static func camelCased(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.map { ($0.0.prefix(1).lowercased() + $0.0.dropFirst(), camelCased($0.1)) })
        case .array(let items): .array(items.map(camelCased))
        default: value
        }
    }

    static let filterLogEvents = command("filter-log-events", LogsOperations.FilterLogEvents.self, summary: "Read a log group's events, one page (FilterLogEvents)",
                                         examples: ["aws logs filter-log-events --log-group-name /aws/sagemaker/TransformJobs --log-stream-name-prefix loan-batch-1"])
    static let describeLogGroups = command("describe-log-groups", LogsOperations.DescribeLogGroups.self, summary: "List the log groups (DescribeLogGroups)")
    static let describeLogStreams = command("describe-log-streams", LogsOperations.DescribeLogStreams.self, summary: "List a group's log streams (DescribeLogStreams)")
    static let getLogEvents = command("get-log-events", LogsOperations.GetLogEvents.self, summary: "Read one log stream's events (GetLogEvents)")
}
