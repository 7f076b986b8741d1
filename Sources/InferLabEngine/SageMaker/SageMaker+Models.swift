import Foundation

extension SageMakerService {
    public func createModel(_ input: CreateModelInput) throws -> CreateModelOutput {
        let operation = "CreateModel"
        try input.validation(for: operation).check()
        try checkContainers(input, operation: operation)
        let record = ModelRecord(name: input.modelName, arn: arn("model", input.modelName), creationTime: now(),
                                 definition: try AWSCoding.encoder().encode(input))
        guard try catalog.insertModel(record, tags: input.tags ?? []) else {
            throw AWSError.validation("Cannot create already existing model \"\(record.arn)\".", operation: operation)
        }
        return CreateModelOutput(modelArn: record.arn)
    }

    /// PrimaryContainer xor Containers, images the kit runs, artifacts that exist (AWS checks
    /// ModelDataUrl at CreateModel), hostnames unique within a pipeline.
    private func checkContainers(_ input: CreateModelInput, operation: String) throws {
        if input.primaryContainer != nil && input.containers != nil {
            throw AWSError.validation("Specify either PrimaryContainer or Containers, not both.", operation: operation)
        }
        if input.primaryContainer == nil && (input.containers ?? []).isEmpty {
            throw AWSError.validation("Either PrimaryContainer or Containers must be provided.", operation: operation)
        }
        if input.inferenceExecutionConfig != nil && input.containers == nil {
            throw AWSError.validation("InferenceExecutionConfig can only be used with Containers (an inference pipeline or a multi-container model).", operation: operation)
        }
        let plan: ModelPlan
        do { plan = try ModelPlan.of(input) } catch {
            throw AWSError.validation("\(error.message).", operation: operation,
                                      hint: "use one of: \(BuiltinAlgorithm.knownImagesText), or a framework image: \(FrameworkImage.allCases.map(\.exampleImage).joined(separator: ", "))")
        }
        let hostnames = (input.containers ?? []).compactMap(\.containerHostname)
        if Set(hostnames.map { $0.lowercased() }).count != hostnames.count {
            throw AWSError.validation("ContainerHostname must be unique among the model's containers.", operation: operation)
        }
        for container in plan.containers {
            let dataURL = container.definition.modelDataUrl
            if case .builtin = container.runtime, dataURL == nil {
                throw AWSError.validation("Built-in algorithms need ModelDataUrl, the s3:// location of a model.tar.gz.", operation: operation)
            }
            guard let dataURL else { continue }
            guard let location = S3Location(dataURL), !location.key.isEmpty else {
                throw AWSError.validation("ModelDataUrl \(dataURL) is not the s3:// location of a model.tar.gz.", operation: operation)
            }
            guard (try? store.headObject(bucket: location.bucket, key: location.key)) != nil else {
                throw AWSError.validation("Could not find model data at \(dataURL).", operation: operation,
                                          hint: "upload the artifact first, e.g. `aws s3 cp model.tar.gz \(dataURL)`")
            }
        }
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
        let operation = ListQuery.Operation(name: "ListModels", defaultMaxResults: 100)
        try input.validation(for: operation.name).check()
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
    /// Built-in containers only: a framework container runs on an instance (a job's, an endpoint's).
    public func container(forModel name: String) throws -> any InferenceContainer {
        try Self.startModel(name, catalog: catalog, models: models, extraEnvironment: [:], placement: nil, instances: [""]).on(0)
    }

    /// The model on each of `instances` (see `ModelLoader.start`).
    static func startModel(_ name: String, catalog: Catalog, models: ModelLoader, extraEnvironment: [String: String],
                           placement: InstancePlacement?, instances: [String]) throws -> StartedModel {
        guard let record = try catalog.model(named: name) else {
            throw ModelLoadError(message: "the model \(name) no longer exists")
        }
        let definition = try AWSCoding.decoder().decode(CreateModelInput.self, from: record.definition)
        let plan = try ModelPlan.of(definition)
        return try models.start(plan, extraEnvironment: extraEnvironment, placement: placement, instances: instances)
    }
}
