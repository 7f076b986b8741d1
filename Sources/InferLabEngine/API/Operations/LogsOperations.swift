import Foundation

/// CloudWatch Logs: the log groups and streams the engine writes (transform jobs, endpoints).
/// A group nothing has written to yet is ResourceNotFoundException, as on AWS.
public enum LogsOperations {
    public static let all: [any AWSOperation.Type] = [FilterLogEvents.self, DescribeLogStreams.self, DescribeLogGroups.self, GetLogEvents.self]

    /// AWS's constraints on the request (the generated shapes'), answered as CloudWatch Logs
    /// answers them; the kit offers `logGroupName`, not `logGroupIdentifier`, so it must be there.
    static func checked(_ input: some AWSValidatable, operation: String) throws {
        try input.validation(for: operation).check(code: "InvalidParameterException")
    }

    /// CloudWatch's answer for a group nothing was ever written to (a typo, or no job yet).
    static func requireGroup(_ name: String, _ engine: Engine, operation: String) throws {
        guard try engine.catalog.logGroups().contains(where: { $0.name == name }) else {
            throw AWSError(code: "ResourceNotFoundException", message: "The specified log group does not exist.", operation: operation,
                           hint: "the kit's groups are /aws/sagemaker/TransformJobs, /aws/sagemaker/TrainingJobs and /aws/sagemaker/Endpoints/<name>, made by the first job or endpoint that logs; `aws logs describe-log-groups` lists them")
        }
    }

    /// The groups written to, by name; `logGroupNamePrefix` narrows them.
    public enum DescribeLogGroups: LogsOperation {
        public static func run(_ input: DescribeLogGroupsInput, on engine: Engine) throws -> DescribeLogGroupsOutput {
            try checked(input, operation: name)
            let account = engine.sagemaker.configuration.account
            let groups = try engine.catalog.logGroups().filter { $0.name.hasPrefix(input.logGroupNamePrefix ?? "") }
            let offset = Int(input.nextToken ?? "0") ?? 0
            let limit = min(max(input.limit ?? 50, 1), 50)
            let page = groups.dropFirst(offset).prefix(limit).map { group in
                LogGroup(logGroupName: group.name, creationTime: milliseconds(group.created), metricFilterCount: 0,
                         arn: "arn:aws:logs:\(S3Account.region):\(account):log-group:\(group.name):*", storedBytes: group.storedBytes)
            }
            return DescribeLogGroupsOutput(logGroups: Array(page), nextToken: offset + page.count < groups.count ? String(offset + page.count) : nil)
        }
    }

    /// One stream's events, oldest first (or the newest `limit` of them, as CloudWatch does
    /// without `startFromHead`); the tokens page through them.
    public enum GetLogEvents: LogsOperation {
        public static func run(_ input: GetLogEventsInput, on engine: Engine) throws -> GetLogEventsOutput {
            try checked(input, operation: name)
            let group = input.logGroupName ?? ""
            try requireGroup(group, engine, operation: name)
            let events = try engine.catalog.logEvents(group: group, streamPrefix: input.logStreamName)
                .filter { $0.stream == input.logStreamName }
                .map { OutputLogEvent(timestamp: milliseconds($0.time), message: $0.message, ingestionTime: milliseconds($0.time)) }
                .filter { event in (input.startTime.map { event.timestamp >= $0 } ?? true) && (input.endTime.map { event.timestamp < $0 } ?? true) }
            let limit = min(max(input.limit ?? 10_000, 1), 10_000)
            let start: Int
            if let token = input.nextToken, let position = Int(token.dropFirst(2)) {
                start = max(0, min(position, events.count))
            } else {
                start = input.startFromHead == true ? 0 : max(0, events.count - limit)
            }
            let page = Array(events[start..<min(events.count, start + limit)])
            return GetLogEventsOutput(events: page, nextForwardToken: "f/\(start + page.count)", nextBackwardToken: "b/\(max(0, start - limit))")
        }
    }

    /// A group's events in the order they were written, across its streams.
    public enum FilterLogEvents: LogsOperation {
        public static func run(_ input: FilterLogEventsInput, on engine: Engine) throws -> FilterLogEventsOutput {
            try checked(input, operation: name)
            let group = input.logGroupName ?? ""
            try requireGroup(group, engine, operation: name)
            let events = try engine.catalog.logEvents(group: group, streamPrefix: input.logStreamNamePrefix ?? "")
            let offset = Int(input.nextToken ?? "0") ?? 0
            let limit = min(max(input.limit ?? 10_000, 1), 10_000)
            var matching: [FilteredLogEvent] = []
            for (index, event) in events.enumerated() {
                let time = milliseconds(event.time)
                if let names = input.logStreamNames, !names.contains(event.stream) { continue }
                if let start = input.startTime, time < start { continue }
                if let end = input.endTime, time >= end { continue }
                matching.append(FilteredLogEvent(logStreamName: event.stream, timestamp: time, message: event.message, ingestionTime: time,
                                                 eventId: String(index)))
            }
            let page = Array(matching.dropFirst(offset).prefix(limit))
            let streams = Set(matching.map(\.logStreamName)).sorted()
            return FilterLogEventsOutput(
                events: page, searchedLogStreams: streams.map { SearchedLogStream(logStreamName: $0, searchedCompletely: true) },
                nextToken: offset + page.count < matching.count ? String(offset + page.count) : nil)
        }
    }

    /// A group's streams by name, with their first and last event times.
    public enum DescribeLogStreams: LogsOperation {
        public static func run(_ input: DescribeLogStreamsInput, on engine: Engine) throws -> DescribeLogStreamsOutput {
            try checked(input, operation: name)
            let group = input.logGroupName ?? ""
            try requireGroup(group, engine, operation: name)
            let events = try engine.catalog.logEvents(group: group, streamPrefix: input.logStreamNamePrefix ?? "")
            var streams: [String: LogStream] = [:]
            for event in events {
                let time = milliseconds(event.time)
                let bytes = Int64(event.message.utf8.count)
                if var stream = streams[event.stream] {
                    stream.firstEventTimestamp = min(stream.firstEventTimestamp, time)
                    stream.lastEventTimestamp = max(stream.lastEventTimestamp, time)
                    stream.lastIngestionTime = stream.lastEventTimestamp
                    stream.storedBytes += bytes
                    streams[event.stream] = stream
                } else {
                    streams[event.stream] = LogStream(
                        logStreamName: event.stream, creationTime: time, firstEventTimestamp: time, lastEventTimestamp: time,
                        lastIngestionTime: time, arn: arn(engine, group: group, stream: event.stream), storedBytes: bytes)
                }
            }
            var sorted = streams.values.sorted { $0.logStreamName < $1.logStreamName }
            if input.descending == true { sorted.reverse() }
            return DescribeLogStreamsOutput(logStreams: Array(sorted.prefix(min(max(input.limit ?? 50, 1), 50))), nextToken: nil)
        }

        static func arn(_ engine: Engine, group: String, stream: String) -> String {
            "arn:aws:logs:\(S3Account.region):\(engine.sagemaker.configuration.account):log-group:\(group):log-stream:\(stream)"
        }
    }

    /// Epoch milliseconds, as CloudWatch Logs counts time.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// An entry of CloudWatch Logs: the name is the type's.
public protocol LogsOperation: JSONOperation {}

extension LogsOperation {
    public static var pascalCaseMembers: Bool { false }
    public static var service: AWSService { .logs }
    public static var name: String { String(describing: Self.self) }
}
