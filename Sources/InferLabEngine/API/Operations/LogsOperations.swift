import Foundation

/// CloudWatch Logs: the log groups and streams the engine writes (transform jobs, endpoints).
/// A group nothing has written to yet answers no events rather than ResourceNotFoundException.
public enum LogsOperations {
    public static let all: [any AWSOperation.Type] = [FilterLogEvents.self, DescribeLogStreams.self]

    /// A group's events in the order they were written, across its streams.
    public enum FilterLogEvents: LogsOperation {
        public static func run(_ input: FilterLogEventsInput, on engine: Engine) throws -> FilterLogEventsOutput {
            let events = try engine.catalog.logEvents(group: input.logGroupName, streamPrefix: input.logStreamNamePrefix ?? "")
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
            let events = try engine.catalog.logEvents(group: input.logGroupName, streamPrefix: input.logStreamNamePrefix ?? "")
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
                        lastIngestionTime: time, arn: arn(engine, group: input.logGroupName, stream: event.stream), storedBytes: bytes)
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
