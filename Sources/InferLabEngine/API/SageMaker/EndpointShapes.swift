import Foundation

// SageMaker's endpoint-config and endpoint shapes, member for member.

public struct ServerlessConfig: Codable, Sendable, Equatable {
    public var memorySizeInMB: Int
    public var maxConcurrency: Int
}

public struct ProductionVariant: Codable, Sendable, Equatable {
    public var variantName: String
    public var modelName: String?
    public var initialInstanceCount: Int?
    public var instanceType: String?
    public var initialVariantWeight: Double?
    public var serverlessConfig: ServerlessConfig?

    public init(variantName: String, modelName: String, initialInstanceCount: Int, instanceType: String) {
        self.variantName = variantName
        self.modelName = modelName
        self.initialInstanceCount = initialInstanceCount
        self.instanceType = instanceType
    }
}

public struct AsyncInferenceClientConfig: Codable, Sendable, Equatable {
    public var maxConcurrentInvocationsPerInstance: Int?
    public init(maxConcurrentInvocationsPerInstance: Int? = nil) { self.maxConcurrentInvocationsPerInstance = maxConcurrentInvocationsPerInstance }
}

public struct AsyncInferenceNotificationConfig: Codable, Sendable, Equatable {
    public var successTopic: String?
    public var errorTopic: String?
    public var includeInferenceResponseIn: [String]?
    public init(successTopic: String? = nil, errorTopic: String? = nil) { self.successTopic = successTopic; self.errorTopic = errorTopic }
}

public struct AsyncInferenceOutputConfig: Codable, Sendable, Equatable {
    public var kmsKeyId: String?
    public var s3OutputPath: String?
    public var notificationConfig: AsyncInferenceNotificationConfig?
    public var s3FailurePath: String?
    public init(s3OutputPath: String?, s3FailurePath: String? = nil, notificationConfig: AsyncInferenceNotificationConfig? = nil) {
        self.s3OutputPath = s3OutputPath
        self.s3FailurePath = s3FailurePath
        self.notificationConfig = notificationConfig
    }
}

public struct AsyncInferenceConfig: Codable, Sendable, Equatable {
    public var clientConfig: AsyncInferenceClientConfig?
    public var outputConfig: AsyncInferenceOutputConfig
    public init(clientConfig: AsyncInferenceClientConfig? = nil, outputConfig: AsyncInferenceOutputConfig) {
        self.clientConfig = clientConfig
        self.outputConfig = outputConfig
    }
}

public struct CreateEndpointConfigInput: Codable, Sendable, Equatable {
    public var endpointConfigName: String
    public var productionVariants: [ProductionVariant]
    public var dataCaptureConfig: DataCaptureConfig?
    public var tags: [Tag]?
    public var kmsKeyId: String?
    public var asyncInferenceConfig: AsyncInferenceConfig?

    public init(endpointConfigName: String, productionVariants: [ProductionVariant], asyncInferenceConfig: AsyncInferenceConfig? = nil) {
        self.endpointConfigName = endpointConfigName
        self.productionVariants = productionVariants
        self.asyncInferenceConfig = asyncInferenceConfig
    }
}

public struct CreateEndpointConfigOutput: Codable, Sendable, Equatable {
    public var endpointConfigArn: String
}

public struct EndpointConfigNameInput: Codable, Sendable, Equatable {
    public var endpointConfigName: String
    public init(endpointConfigName: String) { self.endpointConfigName = endpointConfigName }
}

public struct DescribeEndpointConfigOutput: Codable, Sendable, Equatable {
    public var endpointConfigName: String
    public var endpointConfigArn: String
    public var productionVariants: [ProductionVariant]
    public var dataCaptureConfig: DataCaptureConfig?
    public var kmsKeyId: String?
    public var creationTime: Date
    public var asyncInferenceConfig: AsyncInferenceConfig?
}

public struct EndpointConfigSummary: Codable, Sendable, Equatable {
    public var endpointConfigName: String
    public var endpointConfigArn: String
    public var creationTime: Date
}

/// ListEndpointConfigs and ListEndpoints share their request members.
public struct ListResourcesInput: Codable, Sendable, Equatable {
    public var sortBy: String?
    public var sortOrder: String?
    public var nextToken: String?
    public var maxResults: Int?
    public var nameContains: String?
    public var creationTimeBefore: Date?
    public var creationTimeAfter: Date?
    public var lastModifiedTimeBefore: Date?
    public var lastModifiedTimeAfter: Date?
    public var statusEquals: String?
    public init() {}
}

public struct ListEndpointConfigsOutput: Codable, Sendable, Equatable {
    public var endpointConfigs: [EndpointConfigSummary]
    public var nextToken: String?
    public init(endpointConfigs: [EndpointConfigSummary], nextToken: String?) { self.endpointConfigs = endpointConfigs; self.nextToken = nextToken }
}

public struct CreateEndpointInput: Codable, Sendable, Equatable {
    public var endpointName: String
    public var endpointConfigName: String
    public var tags: [Tag]?
    public init(endpointName: String, endpointConfigName: String) { self.endpointName = endpointName; self.endpointConfigName = endpointConfigName }
}

public struct UpdateEndpointInput: Codable, Sendable, Equatable {
    public var endpointName: String
    public var endpointConfigName: String
    public var retainAllVariantProperties: Bool?
    public init(endpointName: String, endpointConfigName: String) { self.endpointName = endpointName; self.endpointConfigName = endpointConfigName }
}

public struct EndpointArnOutput: Codable, Sendable, Equatable {
    public var endpointArn: String
}

public struct EndpointNameInput: Codable, Sendable, Equatable {
    public var endpointName: String
    public init(endpointName: String) { self.endpointName = endpointName }
}

public struct DeployedImage: Codable, Sendable, Equatable {
    public var specifiedImage: String?
    public var resolvedImage: String?
    public var resolutionTime: Date?
}

public struct ProductionVariantSummary: Codable, Sendable, Equatable {
    public var variantName: String
    public var deployedImages: [DeployedImage]?
    public var currentWeight: Double?
    public var desiredWeight: Double?
    public var currentInstanceCount: Int?
    public var desiredInstanceCount: Int?
}

public struct DescribeEndpointOutput: Codable, Sendable, Equatable {
    public var endpointName: String
    public var endpointArn: String
    public var endpointConfigName: String?
    public var productionVariants: [ProductionVariantSummary]?
    public var endpointStatus: String
    public var failureReason: String?
    public var creationTime: Date
    public var lastModifiedTime: Date
    public var asyncInferenceConfig: AsyncInferenceConfig?
}

public struct EndpointSummary: Codable, Sendable, Equatable {
    public var endpointName: String
    public var endpointArn: String
    public var creationTime: Date
    public var lastModifiedTime: Date
    public var endpointStatus: String
}

public struct ListEndpointsOutput: Codable, Sendable, Equatable {
    public var endpoints: [EndpointSummary]
    public var nextToken: String?
    public init(endpoints: [EndpointSummary], nextToken: String?) { self.endpoints = endpoints; self.nextToken = nextToken }
}

// MARK: sagemaker-runtime

public struct InvokeEndpointInput: Sendable, Equatable {
    public var endpointName: String
    public var body: Data
    public var contentType: String?
    public var accept: String?
    public var targetVariant: String?
    public init(endpointName: String, body: Data, contentType: String? = nil, accept: String? = nil) {
        self.endpointName = endpointName
        self.body = body
        self.contentType = contentType
        self.accept = accept
    }
}

public struct InvokeEndpointOutput: Sendable, Equatable {
    public var body: Data
    public var contentType: String
    public var invokedProductionVariant: String
}

public struct InvokeEndpointAsyncInput: Codable, Sendable, Equatable {
    public var endpointName: String
    public var contentType: String?
    public var accept: String?
    public var customAttributes: String?
    public var inferenceId: String?
    public var inputLocation: String
    public var requestTTLSeconds: Int?
    public var invocationTimeoutSeconds: Int?
    public init(endpointName: String, inputLocation: String) { self.endpointName = endpointName; self.inputLocation = inputLocation }
}

/// Members in the order the AWS CLI prints them: botocore reads the headers (OutputLocation,
/// FailureLocation) before the body (InferenceId).
public struct InvokeEndpointAsyncOutput: Codable, Sendable, Equatable {
    public var outputLocation: String
    public var failureLocation: String?
    public var inferenceId: String
}
