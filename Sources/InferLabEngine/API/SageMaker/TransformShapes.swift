import Foundation

// SageMaker's transform-job shapes, member for member (CreateTransformJob, DescribeTransformJob,
// ListTransformJobs, StopTransformJob).

public struct S3DataSource: Codable, Sendable, Equatable {
    public var s3DataType: String
    public var s3Uri: String
    public init(s3DataType: String, s3Uri: String) { self.s3DataType = s3DataType; self.s3Uri = s3Uri }
}

public struct TransformDataSource: Codable, Sendable, Equatable {
    public var s3DataSource: S3DataSource
    public init(s3DataSource: S3DataSource) { self.s3DataSource = s3DataSource }
}

public struct TransformInput: Codable, Sendable, Equatable {
    public var dataSource: TransformDataSource
    public var contentType: String?
    public var compressionType: String?
    public var splitType: String?
    public init(dataSource: TransformDataSource, contentType: String? = nil, compressionType: String? = nil, splitType: String? = nil) {
        self.dataSource = dataSource
        self.contentType = contentType
        self.compressionType = compressionType
        self.splitType = splitType
    }
}

public struct TransformOutput: Codable, Sendable, Equatable {
    public var s3OutputPath: String
    public var accept: String?
    public var assembleWith: String?
    public var kmsKeyId: String?
    public init(s3OutputPath: String, accept: String? = nil, assembleWith: String? = nil) {
        self.s3OutputPath = s3OutputPath
        self.accept = accept
        self.assembleWith = assembleWith
    }
}

public struct TransformResources: Codable, Sendable, Equatable {
    public var instanceType: String
    public var instanceCount: Int
    public var volumeKmsKeyId: String?
    public init(instanceType: String, instanceCount: Int) { self.instanceType = instanceType; self.instanceCount = instanceCount }
}

public struct DataProcessing: Codable, Sendable, Equatable {
    public var inputFilter: String?
    public var outputFilter: String?
    public var joinSource: String?
    public init(inputFilter: String? = nil, outputFilter: String? = nil, joinSource: String? = nil) {
        self.inputFilter = inputFilter
        self.outputFilter = outputFilter
        self.joinSource = joinSource
    }
}

public struct ModelClientConfig: Codable, Sendable, Equatable {
    public var invocationsTimeoutInSeconds: Int?
    public var invocationsMaxRetries: Int?
    public init(invocationsTimeoutInSeconds: Int? = nil, invocationsMaxRetries: Int? = nil) {
        self.invocationsTimeoutInSeconds = invocationsTimeoutInSeconds
        self.invocationsMaxRetries = invocationsMaxRetries
    }
}

public struct DataCaptureConfig: Codable, Sendable, Equatable {
    public var destinationS3Uri: String
    public var kmsKeyId: String?
    public var generateInferenceId: Bool?
}

public struct ExperimentConfig: Codable, Sendable, Equatable {
    public var experimentName: String?
    public var trialName: String?
    public var trialComponentDisplayName: String?
    public var runName: String?
}

public struct CreateTransformJobInput: Codable, Sendable, Equatable {
    public var transformJobName: String
    public var modelName: String
    public var maxConcurrentTransforms: Int?
    public var modelClientConfig: ModelClientConfig?
    public var maxPayloadInMB: Int?
    public var batchStrategy: String?
    public var environment: [String: String]?
    public var transformInput: TransformInput
    public var transformOutput: TransformOutput
    public var dataCaptureConfig: DataCaptureConfig?
    public var transformResources: TransformResources
    public var dataProcessing: DataProcessing?
    public var tags: [Tag]?
    public var experimentConfig: ExperimentConfig?

    public init(transformJobName: String, modelName: String, transformInput: TransformInput,
                transformOutput: TransformOutput, transformResources: TransformResources) {
        self.transformJobName = transformJobName
        self.modelName = modelName
        self.transformInput = transformInput
        self.transformOutput = transformOutput
        self.transformResources = transformResources
    }
}

public struct CreateTransformJobOutput: Codable, Sendable, Equatable {
    public var transformJobArn: String
}

public struct DescribeTransformJobInput: Codable, Sendable, Equatable {
    public var transformJobName: String
    public init(transformJobName: String) { self.transformJobName = transformJobName }
}

/// What InferLab adds to DescribeTransformJob (not an AWS member): live progress and the bill.
public struct InferLabTransformProgress: Codable, Sendable, Equatable {
    /// What the job is doing while InProgress (`Billing` says which phases are billed); nil once it ended.
    public var phase: String?
    public var filesTotal: Int
    public var filesDone: Int
    public var filesFailed: Int
    public var records: Int
    public var miniBatches: Int
    public var instances: [InstanceProgress]
    /// CreationTime to TransformStartTime: SageMaker acquiring the instances (not billed).
    public var provisioningSeconds: Double?
    /// From TransformStartTime until the first record could be sent: container and model start (billed).
    public var startupSeconds: Double?
    /// Scoring the records, until TransformEndTime (billed).
    public var transformingSeconds: Double?
    /// Instances × (start-up + transforming): what AWS bills, TransformStartTime to TransformEndTime.
    public var billableInstanceSeconds: Double
    /// Money, as `Billing.money` writes it: `$0.000092`.
    public var estimatedCostUSD: String

    public init(phase: String? = nil, filesTotal: Int, filesDone: Int, filesFailed: Int, records: Int, miniBatches: Int,
                instances: [InstanceProgress], provisioningSeconds: Double? = nil, startupSeconds: Double? = nil,
                transformingSeconds: Double? = nil, billableInstanceSeconds: Double, estimatedCostUSD: String) {
        self.phase = phase
        self.provisioningSeconds = provisioningSeconds
        self.startupSeconds = startupSeconds
        self.transformingSeconds = transformingSeconds
        self.filesTotal = filesTotal
        self.filesDone = filesDone
        self.filesFailed = filesFailed
        self.records = records
        self.miniBatches = miniBatches
        self.instances = instances
        self.billableInstanceSeconds = billableInstanceSeconds
        self.estimatedCostUSD = estimatedCostUSD
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        phase = try container.decodeIfPresent(String.self, forKey: .phase)
        filesTotal = try container.decode(Int.self, forKey: .filesTotal)
        filesDone = try container.decode(Int.self, forKey: .filesDone)
        filesFailed = try container.decode(Int.self, forKey: .filesFailed)
        records = try container.decode(Int.self, forKey: .records)
        miniBatches = try container.decode(Int.self, forKey: .miniBatches)
        instances = try container.decode([InstanceProgress].self, forKey: .instances)
        provisioningSeconds = try container.decodeIfPresent(Double.self, forKey: .provisioningSeconds)
        startupSeconds = try container.decodeIfPresent(Double.self, forKey: .startupSeconds)
        transformingSeconds = try container.decodeIfPresent(Double.self, forKey: .transformingSeconds)
        billableInstanceSeconds = try container.decode(Double.self, forKey: .billableInstanceSeconds)
        // A catalog written by an older kit kept the cost as a bare number.
        if let text = try? container.decode(String.self, forKey: .estimatedCostUSD) {
            estimatedCostUSD = text
        } else {
            estimatedCostUSD = Billing.money(try container.decode(Double.self, forKey: .estimatedCostUSD))
        }
    }

    public struct InstanceProgress: Codable, Sendable, Equatable {
        public var instance: String
        public var files: [String]
        public var filesDone: Int
        public var records: Int
        public var miniBatches: Int
    }
}

public struct DescribeTransformJobOutput: Codable, Sendable, Equatable {
    public var transformJobName: String
    public var transformJobArn: String
    public var transformJobStatus: String
    public var failureReason: String?
    public var modelName: String
    public var maxConcurrentTransforms: Int?
    public var modelClientConfig: ModelClientConfig?
    public var maxPayloadInMB: Int?
    public var batchStrategy: String?
    public var environment: [String: String]?
    public var transformInput: TransformInput
    public var transformOutput: TransformOutput?
    public var dataCaptureConfig: DataCaptureConfig?
    public var transformResources: TransformResources
    public var creationTime: Date
    public var transformStartTime: Date?
    public var transformEndTime: Date?
    public var dataProcessing: DataProcessing?
    public var experimentConfig: ExperimentConfig?
    public var inferLabProgress: InferLabTransformProgress?
}

public struct ListTransformJobsInput: Codable, Sendable, Equatable {
    public var creationTimeAfter: Date?
    public var creationTimeBefore: Date?
    public var lastModifiedTimeAfter: Date?
    public var lastModifiedTimeBefore: Date?
    public var nameContains: String?
    public var statusEquals: String?
    public var sortBy: String?
    public var sortOrder: String?
    public var nextToken: String?
    public var maxResults: Int?
    public init() {}
}

public struct TransformJobSummary: Codable, Sendable, Equatable {
    public var transformJobName: String
    public var transformJobArn: String
    public var creationTime: Date
    public var transformEndTime: Date?
    public var lastModifiedTime: Date?
    public var transformJobStatus: String
    public var failureReason: String?
}

public struct ListTransformJobsOutput: Codable, Sendable, Equatable {
    public var transformJobSummaries: [TransformJobSummary]
    public var nextToken: String?
    public init(transformJobSummaries: [TransformJobSummary], nextToken: String?) {
        self.transformJobSummaries = transformJobSummaries
        self.nextToken = nextToken
    }
}

public struct StopTransformJobInput: Codable, Sendable, Equatable {
    public var transformJobName: String
    public init(transformJobName: String) { self.transformJobName = transformJobName }
}
