import Foundation

extension SageMakerService {
    public func createEndpoint(_ input: CreateEndpointInput) throws -> CreateEndpointOutput {
        let operation = "CreateEndpoint"
        try input.validation(for: operation).check()
        let (configRecord, config) = try requireEndpointConfig(input.endpointConfigName, operation: operation)
        let now = now()
        var counts: [String: Int] = [:]
        for variant in config.productionVariants { counts[variant.variantName] = 0 }
        let record = EndpointRecord(name: input.endpointName, arn: arn("endpoint", input.endpointName), configName: configRecord.name,
                                    configDefinition: configRecord.definition, status: "Creating", creationTime: now,
                                    lastModifiedTime: now, instanceCounts: counts, lastActivity: now, ownerPID: getpid())
        guard try catalog.insertEndpoint(record, tags: input.tags ?? []) else {
            throw AWSError.validation("Cannot create already existing endpoint \"\(record.arn)\".", operation: operation)
        }
        endpoints.provision(record.name, config: config, configDefinition: configRecord.definition)
        return CreateEndpointOutput(endpointArn: record.arn)
    }

    public func describeEndpoint(_ input: DescribeEndpointInput) throws -> DescribeEndpointOutput {
        let endpoint = try requireEndpoint(input.endpointName, operation: "DescribeEndpoint")
        let config = try? AWSCoding.decoder().decode(CreateEndpointConfigInput.self, from: endpoint.configDefinition)
        let variants = config?.productionVariants.map { variant -> ProductionVariantSummary in
            let image = (try? catalog.model(named: variant.modelName ?? ""))
                .flatMap { try? AWSCoding.decoder().decode(CreateModelInput.self, from: $0.definition) }?.primaryContainer?.image
            let running = endpoint.status != "Creating"
            return ProductionVariantSummary(
                variantName: variant.variantName,
                deployedImages: running ? [DeployedImage(specifiedImage: image, resolvedImage: image, resolutionTime: endpoint.lastModifiedTime)] : nil,
                currentWeight: variant.initialVariantWeight ?? 1, desiredWeight: variant.initialVariantWeight ?? 1,
                currentInstanceCount: endpoint.instanceCounts[variant.variantName] ?? 0,
                desiredInstanceCount: endpoint.instanceCounts[variant.variantName] ?? variant.initialInstanceCount)
        }
        return DescribeEndpointOutput(endpointName: endpoint.name, endpointArn: endpoint.arn, endpointConfigName: endpoint.configName,
                                      productionVariants: variants, endpointStatus: endpoint.status, failureReason: endpoint.failureReason,
                                      creationTime: endpoint.creationTime, lastModifiedTime: endpoint.lastModifiedTime,
                                      asyncInferenceConfig: config?.asyncInferenceConfig)
    }

    public func listEndpoints(_ input: ListEndpointsInput) throws -> ListEndpointsOutput {
        let operation = ListQuery.Operation(name: "ListEndpoints", defaultMaxResults: 10)
        try input.validation(for: operation.name).check()
        let (page, token) = try ListQuery(input).run(operation) { try catalog.allEndpoints() }
        return ListEndpointsOutput(endpoints: page.map {
            EndpointSummary(endpointName: $0.name, endpointArn: $0.arn, creationTime: $0.creationTime, lastModifiedTime: $0.lastModifiedTime,
                            endpointStatus: $0.status)
        }, nextToken: token)
    }

    public func updateEndpoint(_ input: UpdateEndpointInput) throws -> UpdateEndpointOutput {
        let operation = "UpdateEndpoint"
        let endpoint = try requireEndpoint(input.endpointName, operation: operation)
        guard endpoint.status == "InService" else {
            throw AWSError.validation("Cannot update in-progress endpoint \"\(endpoint.arn)\".", operation: operation,
                                      hint: "wait for InService: `aws sagemaker wait endpoint-in-service --endpoint-name \(endpoint.name)`")
        }
        let (configRecord, config) = try requireEndpointConfig(input.endpointConfigName, operation: operation)
        try catalog.updateEndpoint(endpoint.name, status: "Updating", at: now())
        endpoints.provision(endpoint.name, config: config, configDefinition: configRecord.definition)
        return UpdateEndpointOutput(endpointArn: endpoint.arn)
    }

    public func deleteEndpoint(_ input: DeleteEndpointInput) throws {
        let endpoint = try requireEndpoint(input.endpointName, operation: "DeleteEndpoint")
        try catalog.updateEndpoint(endpoint.name, status: "Deleting", ownerPID: getpid(), at: now())
        endpoints.delete(endpoint.name)
    }

    func requireEndpoint(_ name: String, operation: String) throws -> EndpointRecord {
        guard let endpoint = try catalog.endpoint(named: name) else {
            throw AWSError.validation("Could not find endpoint \"\(arn("endpoint", name))\".", operation: operation,
                                      hint: "`aws sagemaker list-endpoints` shows your endpoints")
        }
        return endpoint
    }
}
