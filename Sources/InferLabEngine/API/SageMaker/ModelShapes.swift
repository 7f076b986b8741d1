import Foundation

// SageMaker's model shapes (CreateModel, DescribeModel, ListModels, DeleteModel), member for
// member as in the API, so `--cli-input-json`, `--output json` and a later HTTP API share them.

public struct ContainerDefinition: Codable, Sendable, Equatable {
    public var containerHostname: String?
    public var image: String?
    public var mode: String?
    public var modelDataUrl: String?
    public var environment: [String: String]?

    public init(containerHostname: String? = nil, image: String? = nil, mode: String? = nil,
                modelDataUrl: String? = nil, environment: [String: String]? = nil) {
        self.containerHostname = containerHostname
        self.image = image
        self.mode = mode
        self.modelDataUrl = modelDataUrl
        self.environment = environment
    }
}

public struct Tag: Codable, Sendable, Equatable {
    public var key: String
    public var value: String
}

public struct InferenceExecutionConfig: Codable, Sendable, Equatable {
    /// `Serial` (an inference pipeline) or `Direct` (containers invoked one by one).
    public var mode: String
    public init(mode: String) { self.mode = mode }
}

public struct CreateModelInput: Codable, Sendable, Equatable {
    public var modelName: String
    public var primaryContainer: ContainerDefinition?
    public var containers: [ContainerDefinition]?
    public var inferenceExecutionConfig: InferenceExecutionConfig?
    public var executionRoleArn: String?
    public var tags: [Tag]?
    public var enableNetworkIsolation: Bool?

    public init(modelName: String, primaryContainer: ContainerDefinition? = nil, executionRoleArn: String? = nil) {
        self.modelName = modelName
        self.primaryContainer = primaryContainer
        self.executionRoleArn = executionRoleArn
    }
}

public struct CreateModelOutput: Codable, Sendable, Equatable {
    public var modelArn: String
}

public struct DescribeModelInput: Codable, Sendable, Equatable {
    public var modelName: String
    public init(modelName: String) { self.modelName = modelName }
}

public struct DescribeModelOutput: Codable, Sendable, Equatable {
    public var modelName: String
    public var primaryContainer: ContainerDefinition?
    public var containers: [ContainerDefinition]?
    public var inferenceExecutionConfig: InferenceExecutionConfig?
    public var executionRoleArn: String?
    public var creationTime: Date
    public var modelArn: String
    public var enableNetworkIsolation: Bool?
}

public struct ListModelsInput: Codable, Sendable, Equatable {
    public var sortBy: String?
    public var sortOrder: String?
    public var nextToken: String?
    public var maxResults: Int?
    public var nameContains: String?
    public var creationTimeBefore: Date?
    public var creationTimeAfter: Date?
    public init() {}
}

public struct ModelSummary: Codable, Sendable, Equatable {
    public var modelName: String
    public var modelArn: String
    public var creationTime: Date
}

public struct ListModelsOutput: Codable, Sendable, Equatable {
    public var models: [ModelSummary]
    public var nextToken: String?

    public init(models: [ModelSummary], nextToken: String?) {
        self.models = models
        self.nextToken = nextToken
    }
}

public struct DeleteModelInput: Codable, Sendable, Equatable {
    public var modelName: String
    public init(modelName: String) { self.modelName = modelName }
}

/// Operations that answer with no body.
public struct EmptyOutput: Codable, Sendable, Equatable {
    public init() {}
}
