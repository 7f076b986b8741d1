import Foundation

// CloudWatch Logs' FilterLogEvents and DescribeLogStreams. Unlike SageMaker's, this service's
// members are lowerCamelCase on the wire too (`logGroupName`), and times are epoch milliseconds.

public struct FilterLogEventsInput: Codable, Sendable, Equatable {
    public var logGroupName: String
    public var logStreamNames: [String]?
    public var logStreamNamePrefix: String?
    /// Epoch milliseconds, inclusive.
    public var startTime: Int64?
    /// Epoch milliseconds, exclusive.
    public var endTime: Int64?
    public var nextToken: String?
    /// At most this many events (default and most: 10,000).
    public var limit: Int?
    public init(logGroupName: String, logStreamNames: [String]? = nil, logStreamNamePrefix: String? = nil, startTime: Int64? = nil,
                endTime: Int64? = nil, nextToken: String? = nil, limit: Int? = nil) {
        (self.logGroupName, self.logStreamNames, self.logStreamNamePrefix) = (logGroupName, logStreamNames, logStreamNamePrefix)
        (self.startTime, self.endTime, self.nextToken, self.limit) = (startTime, endTime, nextToken, limit)
    }
}

public struct FilteredLogEvent: Codable, Sendable, Equatable {
    public var logStreamName: String
    public var timestamp: Int64
    public var message: String
    public var ingestionTime: Int64
    public var eventId: String
}

public struct SearchedLogStream: Codable, Sendable, Equatable {
    public var logStreamName: String
    public var searchedCompletely: Bool
}

public struct FilterLogEventsOutput: Codable, Sendable, Equatable {
    public var events: [FilteredLogEvent]
    public var searchedLogStreams: [SearchedLogStream]
    public var nextToken: String?
}

public struct DescribeLogStreamsInput: Codable, Sendable, Equatable {
    public var logGroupName: String
    public var logStreamNamePrefix: String?
    public var descending: Bool?
    public var limit: Int?
    public init(logGroupName: String, logStreamNamePrefix: String? = nil, descending: Bool? = nil, limit: Int? = nil) {
        (self.logGroupName, self.logStreamNamePrefix, self.descending, self.limit) = (logGroupName, logStreamNamePrefix, descending, limit)
    }
}

public struct LogStream: Codable, Sendable, Equatable {
    public var logStreamName: String
    public var creationTime: Int64
    public var firstEventTimestamp: Int64
    public var lastEventTimestamp: Int64
    public var lastIngestionTime: Int64
    public var arn: String
    public var storedBytes: Int64
}

public struct DescribeLogStreamsOutput: Codable, Sendable, Equatable {
    public var logStreams: [LogStream]
    public var nextToken: String?
}

public struct DescribeLogGroupsInput: Codable, Sendable, Equatable {
    public var logGroupNamePrefix: String?
    public var limit: Int?
    public var nextToken: String?
    public init(logGroupNamePrefix: String? = nil, limit: Int? = nil, nextToken: String? = nil) {
        (self.logGroupNamePrefix, self.limit, self.nextToken) = (logGroupNamePrefix, limit, nextToken)
    }
}

public struct LogGroup: Codable, Sendable, Equatable {
    public var logGroupName: String
    public var creationTime: Int64
    public var metricFilterCount: Int
    public var arn: String
    public var storedBytes: Int64
}

public struct DescribeLogGroupsOutput: Codable, Sendable, Equatable {
    public var logGroups: [LogGroup]
    public var nextToken: String?
}

public struct GetLogEventsInput: Codable, Sendable, Equatable {
    public var logGroupName: String
    public var logStreamName: String
    public var startTime: Int64?
    public var endTime: Int64?
    public var nextToken: String?
    public var limit: Int?
    public var startFromHead: Bool?
    public init(logGroupName: String, logStreamName: String) { (self.logGroupName, self.logStreamName) = (logGroupName, logStreamName) }
}

public struct OutputLogEvent: Codable, Sendable, Equatable {
    public var timestamp: Int64
    public var message: String
    public var ingestionTime: Int64
}

public struct GetLogEventsOutput: Codable, Sendable, Equatable {
    public var events: [OutputLogEvent]
    public var nextForwardToken: String
    public var nextBackwardToken: String
}
