import Foundation

extension SageMakerService {
    public func createModel(_ input: CreateModelInput) throws -> CreateModelOutput {
        let operation = "CreateModel"
        var validation = APIValidation(operation: operation)
        validation.length(input.modelName, at: "modelName", max: 63)
        validation.pattern(input.modelName, at: "modelName", Self.namePattern)
        validation.pattern(input.executionRoleArn, at: "executionRoleArn", #"arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+"#)
        validation.length(input.primaryContainer?.modelDataUrl, at: "primaryContainer.modelDataUrl", max: 1024)
        validation.oneOf(input.primaryContainer?.mode, at: "primaryContainer.mode", ["SingleModel", "MultiModel"])
        validateTags(input.tags, at: "tags", in: &validation)
        try validation.check()
        guard let container = input.primaryContainer ?? input.containers?.first else {
            throw AWSError.validation("Either PrimaryContainer or Containers must be provided.", operation: operation)
        }
        if (input.containers?.count ?? 0) > 1 {
            throw AWSError.validation("InferLab serves single-container models only: give one PrimaryContainer (inference pipelines are not emulated).",
                                      operation: operation)
        }
        guard let image = container.image, BuiltinAlgorithm.forImage(image) != nil else {
            throw AWSError.validation("Requested image \(container.image ?? "(none)") is not a built-in algorithm InferLab can run.", operation: operation,
                                      hint: "use one of: \(BuiltinAlgorithm.knownImagesText)")
        }
        guard let dataURL = container.modelDataUrl, let location = S3Location(dataURL), !location.key.isEmpty else {
            throw AWSError.validation("Built-in algorithms need ModelDataUrl, the s3:// location of a model.tar.gz.", operation: operation)
        }
        guard (try? store.headObject(bucket: location.bucket, key: location.key)) != nil else {
            throw AWSError.validation("Could not find model data at \(dataURL).", operation: operation,
                                      hint: "upload the artifact first, e.g. `aws s3 cp model.tar.gz \(dataURL)`")
        }
        let record = ModelRecord(name: input.modelName, arn: arn("model", input.modelName), creationTime: now(),
                                 definition: try AWSCoding.encoder().encode(input))
        guard try catalog.insertModel(record, tags: input.tags ?? []) else {
            throw AWSError.validation("Cannot create already existing model \"\(record.arn)\".", operation: operation)
        }
        return CreateModelOutput(modelArn: record.arn)
    }

    public func describeModel(_ input: DescribeModelInput) throws -> DescribeModelOutput {
        let (record, definition) = try requireModel(input.modelName, operation: "DescribeModel")
        return DescribeModelOutput(
            modelName: record.name, primaryContainer: definition.primaryContainer, containers: definition.containers,
            inferenceExecutionConfig: definition.inferenceExecutionConfig, executionRoleArn: definition.executionRoleArn,
            creationTime: record.creationTime, modelArn: record.arn, enableNetworkIsolation: definition.enableNetworkIsolation ?? false)
    }

    public func listModels(_ input: ListModelsInput) throws -> ListModelsOutput {
        let query = ListQuery(nameContains: input.nameContains, creationTimeBefore: input.creationTimeBefore,
                              creationTimeAfter: input.creationTimeAfter, sortBy: input.sortBy, sortOrder: input.sortOrder,
                              maxResults: input.maxResults, nextToken: input.nextToken)
        let operation = ListQuery.Operation(name: "ListModels", sortKeys: ["Name", "CreationTime"], statuses: nil, defaultMaxResults: 100)
        let (page, token) = try query.run(operation) { try catalog.allModels() }
        return ListModelsOutput(models: page.map { ModelSummary(modelName: $0.name, modelArn: $0.arn, creationTime: $0.creationTime) },
                                nextToken: token)
    }

    public func deleteModel(_ input: DeleteModelInput) throws {
        guard try catalog.deleteModel(named: input.modelName) else {
            throw AWSError.validation("Could not find model \"\(arn("model", input.modelName))\".", operation: "DeleteModel")
        }
    }

    /// The model's record and its CreateModel request, or AWS's not-found error.
    func requireModel(_ name: String, operation: String) throws -> (ModelRecord, CreateModelInput) {
        guard let record = try catalog.model(named: name) else {
            throw AWSError.validation("Could not find model \"\(arn("model", name))\".", operation: operation,
                                      hint: "`aws sagemaker list-models` shows the models you have")
        }
        return (record, try AWSCoding.decoder().decode(CreateModelInput.self, from: record.definition))
    }

    /// The model ready to score, loaded from its artifact (cached while the artifact is unchanged).
    public func container(forModel name: String) throws -> any InferenceContainer {
        try Self.loadContainer(model: name, catalog: catalog, models: models, extraEnvironment: [:])
    }

    static func loadContainer(model name: String, catalog: Catalog, models: ModelLoader,
                              extraEnvironment: [String: String]) throws -> any InferenceContainer {
        guard let record = try catalog.model(named: name) else {
            throw ModelLoadError(message: "the model \(name) no longer exists")
        }
        let definition = try AWSCoding.decoder().decode(CreateModelInput.self, from: record.definition)
        guard let container = definition.primaryContainer ?? definition.containers?.first,
              let image = container.image, let algorithm = BuiltinAlgorithm.forImage(image),
              let url = container.modelDataUrl else {
            throw ModelLoadError(message: "model \(name) has no runnable container")
        }
        let environment = (container.environment ?? [:]).merging(extraEnvironment) { $1 }
        return try models.container(algorithm: algorithm, artifact: url, environment: environment)
    }
}
