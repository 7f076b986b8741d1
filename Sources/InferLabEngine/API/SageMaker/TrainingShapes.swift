import Foundation

// SageMaker's training-job shapes, member for member, for the members the kit serves
// (CreateTrainingJob, DescribeTrainingJob, ListTrainingJobs, StopTrainingJob). Swift names that
// would clash with the transform shapes carry a `Training` prefix; on the wire they are AWS's.

public struct AlgorithmSpecification: Codable, Sendable, Equatable {
    public var trainingImage: String?
    public var algorithmName: String?
    public var trainingInputMode: String
    public var metricDefinitions: [MetricDefinition]?
    public var enableSageMakerMetricsTimeSeries: Bool?
    public var containerEntrypoint: [String]?
    public var containerArguments: [String]?

    public init(trainingImage: String?, trainingInputMode: String = "File", metricDefinitions: [MetricDefinition]? = nil) {
        self.trainingImage = trainingImage
        self.trainingInputMode = trainingInputMode
        self.metricDefinitions = metricDefinitions
    }
}

public struct MetricDefinition: Codable, Sendable, Equatable {
    public var name: String
    public var regex: String
    public init(name: String, regex: String) { self.name = name; self.regex = regex }
}

/// A channel's S3 source (AWS's `S3DataSource` of training, which has more members than a
/// transform job's).
public struct TrainingS3DataSource: Codable, Sendable, Equatable {
    public var s3DataType: String
    public var s3Uri: String
    public var s3DataDistributionType: String?
    public var attributeNames: [String]?
    public init(s3DataType: String = "S3Prefix", s3Uri: String, s3DataDistributionType: String? = nil) {
        self.s3DataType = s3DataType
        self.s3Uri = s3Uri
        self.s3DataDistributionType = s3DataDistributionType
    }
}

public struct TrainingDataSource: Codable, Sendable, Equatable {
    public var s3DataSource: TrainingS3DataSource?
    public init(s3DataSource: TrainingS3DataSource?) { self.s3DataSource = s3DataSource }
}

public struct ShuffleConfig: Codable, Sendable, Equatable {
    public var seed: Int
}

public struct Channel: Codable, Sendable, Equatable {
    public var channelName: String
    public var dataSource: TrainingDataSource
    public var contentType: String?
    public var compressionType: String?
    public var recordWrapperType: String?
    public var inputMode: String?
    public var shuffleConfig: ShuffleConfig?

    public init(channelName: String, s3Uri: String, contentType: String? = nil) {
        self.channelName = channelName
        self.dataSource = TrainingDataSource(s3DataSource: TrainingS3DataSource(s3Uri: s3Uri))
        self.contentType = contentType
    }
}

public struct OutputDataConfig: Codable, Sendable, Equatable {
    public var kmsKeyId: String?
    public var s3OutputPath: String
    public var compressionType: String?
    public init(s3OutputPath: String) { self.s3OutputPath = s3OutputPath }
}

public struct ResourceConfig: Codable, Sendable, Equatable {
    public var instanceType: String?
    public var instanceCount: Int?
    public var volumeSizeInGB: Int?
    public var volumeKmsKeyId: String?
    public var keepAlivePeriodInSeconds: Int?
    public init(instanceType: String = "ml.m5.large", instanceCount: Int = 1, volumeSizeInGB: Int? = 30) {
        self.instanceType = instanceType
        self.instanceCount = instanceCount
        self.volumeSizeInGB = volumeSizeInGB
    }
}

public struct StoppingCondition: Codable, Sendable, Equatable {
    public var maxRuntimeInSeconds: Int?
    public var maxWaitTimeInSeconds: Int?
    public var maxPendingTimeInSeconds: Int?
    public init(maxRuntimeInSeconds: Int? = nil) { self.maxRuntimeInSeconds = maxRuntimeInSeconds }
}

public struct CheckpointConfig: Codable, Sendable, Equatable {
    public var s3Uri: String
    public var localPath: String?
}

public struct CreateTrainingJobInput: Codable, Sendable, Equatable {
    public var trainingJobName: String
    public var hyperParameters: [String: String]?
    public var algorithmSpecification: AlgorithmSpecification?
    public var roleArn: String
    public var inputDataConfig: [Channel]?
    public var outputDataConfig: OutputDataConfig
    public var resourceConfig: ResourceConfig?
    public var stoppingCondition: StoppingCondition?
    public var tags: [Tag]?
    public var enableNetworkIsolation: Bool?
    public var enableInterContainerTrafficEncryption: Bool?
    public var enableManagedSpotTraining: Bool?
    public var checkpointConfig: CheckpointConfig?
    public var experimentConfig: ExperimentConfig?
    public var environment: [String: String]?

    public init(trainingJobName: String, image: String, roleArn: String = "arn:aws:iam::123456789012:role/SageMakerRole",
                channels: [Channel], outputPath: String, hyperParameters: [String: String]? = nil) {
        self.trainingJobName = trainingJobName
        self.algorithmSpecification = AlgorithmSpecification(trainingImage: image)
        self.roleArn = roleArn
        self.inputDataConfig = channels
        self.outputDataConfig = OutputDataConfig(s3OutputPath: outputPath)
        self.resourceConfig = ResourceConfig()
        self.hyperParameters = hyperParameters
    }
}

public struct CreateTrainingJobOutput: Codable, Sendable, Equatable {
    public var trainingJobArn: String
}

public struct TrainingJobNameInput: Codable, Sendable, Equatable {
    public var trainingJobName: String
    public init(trainingJobName: String) { self.trainingJobName = trainingJobName }
}

public struct ModelArtifacts: Codable, Sendable, Equatable {
    public var s3ModelArtifacts: String
}

public struct SecondaryStatusTransition: Codable, Sendable, Equatable {
    public var status: String
    public var startTime: Date
    public var endTime: Date?
    public var statusMessage: String?
}

public struct MetricData: Codable, Sendable, Equatable {
    public var metricName: String
    public var value: Double
    public var timestamp: Date
}

public struct DescribeTrainingJobOutput: Codable, Sendable, Equatable {
    public var trainingJobName: String
    public var trainingJobArn: String
    public var modelArtifacts: ModelArtifacts
    public var trainingJobStatus: String
    public var secondaryStatus: String
    public var failureReason: String?
    public var hyperParameters: [String: String]?
    public var algorithmSpecification: AlgorithmSpecification?
    public var roleArn: String?
    public var inputDataConfig: [Channel]?
    public var outputDataConfig: OutputDataConfig?
    public var resourceConfig: ResourceConfig?
    public var stoppingCondition: StoppingCondition
    public var creationTime: Date
    public var trainingStartTime: Date?
    public var trainingEndTime: Date?
    public var lastModifiedTime: Date?
    public var secondaryStatusTransitions: [SecondaryStatusTransition]?
    public var finalMetricDataList: [MetricData]?
    public var enableNetworkIsolation: Bool?
    public var enableInterContainerTrafficEncryption: Bool?
    public var enableManagedSpotTraining: Bool?
    public var checkpointConfig: CheckpointConfig?
    public var trainingTimeInSeconds: Int?
    public var billableTimeInSeconds: Int?
    public var experimentConfig: ExperimentConfig?
    public var environment: [String: String]?
}

public struct ListTrainingJobsInput: Codable, Sendable, Equatable {
    public var nextToken: String?
    public var maxResults: Int?
    public var creationTimeAfter: Date?
    public var creationTimeBefore: Date?
    public var lastModifiedTimeAfter: Date?
    public var lastModifiedTimeBefore: Date?
    public var nameContains: String?
    public var statusEquals: String?
    public var sortBy: String?
    public var sortOrder: String?
    public init() {}
}

public struct TrainingJobSummary: Codable, Sendable, Equatable {
    public var trainingJobName: String
    public var trainingJobArn: String
    public var creationTime: Date
    public var trainingEndTime: Date?
    public var lastModifiedTime: Date?
    public var trainingJobStatus: String
    public var secondaryStatus: String?
}

public struct ListTrainingJobsOutput: Codable, Sendable, Equatable {
    public var trainingJobSummaries: [TrainingJobSummary]
    public var nextToken: String?
    public init(trainingJobSummaries: [TrainingJobSummary], nextToken: String?) {
        self.trainingJobSummaries = trainingJobSummaries
        self.nextToken = nextToken
    }
}
