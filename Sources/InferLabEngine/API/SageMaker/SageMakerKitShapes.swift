import Foundation

// What the kit adds to SageMaker's generated shapes (Sources/InferLabEngine/API/Generated/
// SageMakerShapes.swift, from AWS's models): the answer of operations without one, its own
// progress member of DescribeTransformJob (declared in scripts/aws-models/kit.json), and
// shorthand initializers the kit's commands and tests use.

/// Operations that answer with no body.
public struct EmptyOutput: Codable, Sendable, Equatable {
    public init() {}
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

extension AlgorithmSpecification {
    public init(trainingImage: String?, trainingInputMode: String = "File", metricDefinitions: [MetricDefinition]? = nil) {
        self.init(trainingImage: trainingImage, algorithmName: nil, trainingInputMode: trainingInputMode, metricDefinitions: metricDefinitions)
    }
}

extension Channel {
    /// A channel of an S3 prefix.
    public init(channelName: String, s3Uri: String, contentType: String? = nil) {
        self.init(channelName: channelName, dataSource: TrainingDataSource(s3DataSource: S3DataSource(s3DataType: "S3Prefix", s3Uri: s3Uri)),
                  contentType: contentType)
    }
}

extension CreateTrainingJobInput {
    /// A job of one image on one ml.m5.large, its channels S3 prefixes.
    public init(trainingJobName: String, image: String, roleArn: String = "arn:aws:iam::123456789012:role/SageMakerRole",
                channels: [Channel], outputPath: String, hyperParameters: [String: String]? = nil) {
        self.init(trainingJobName: trainingJobName, hyperParameters: hyperParameters, algorithmSpecification: AlgorithmSpecification(trainingImage: image),
                  roleArn: roleArn, inputDataConfig: channels, outputDataConfig: OutputDataConfig(s3OutputPath: outputPath),
                  resourceConfig: ResourceConfig(instanceType: "ml.m5.large", instanceCount: 1, volumeSizeInGB: 30))
    }
}
