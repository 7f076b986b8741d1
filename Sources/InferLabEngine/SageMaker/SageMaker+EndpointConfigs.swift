import Foundation

extension SageMakerService {
    public func createEndpointConfig(_ input: CreateEndpointConfigInput) throws -> CreateEndpointConfigOutput {
        let operation = "CreateEndpointConfig"
        try input.validation(for: operation).check()
        for variant in input.productionVariants {
            if variant.serverlessConfig != nil {
                throw AWSError.validation("InferLab emulates instance-based variants only: give InstanceType and InitialInstanceCount instead of ServerlessConfig.",
                                          operation: operation)
            }
            guard variant.instanceType != nil, variant.initialInstanceCount != nil else {
                throw AWSError.validation("Variant \(variant.variantName) needs InstanceType and InitialInstanceCount.", operation: operation)
            }
            _ = try requireModel(variant.modelName ?? "", operation: operation)
        }
        if Set(input.productionVariants.map(\.variantName)).count != input.productionVariants.count {
            throw AWSError.validation("Variant names must be unique within an endpoint configuration.", operation: operation)
        }
        if let output = input.asyncInferenceConfig?.outputConfig {
            for (name, path) in [("S3OutputPath", output.s3OutputPath), ("S3FailurePath", output.s3FailurePath)] {
                if let path, S3Location(path) == nil {
                    throw AWSError.validation("AsyncInferenceConfig.OutputConfig.\(name) \(path) is not an s3:// URI.", operation: operation)
                }
            }
            if output.s3OutputPath == nil {
                throw AWSError.validation("AsyncInferenceConfig.OutputConfig needs S3OutputPath: where responses are written.", operation: operation)
            }
        }
        let record = EndpointConfigRecord(name: input.endpointConfigName, arn: arn("endpoint-config", input.endpointConfigName),
                                          creationTime: now(), definition: try AWSCoding.encoder().encode(input))
        guard try catalog.insertEndpointConfig(record, tags: input.tags ?? []) else {
            throw AWSError.validation("Cannot create already existing endpoint configuration \"\(record.arn)\".", operation: operation)
        }
        return CreateEndpointConfigOutput(endpointConfigArn: record.arn)
    }

    public func describeEndpointConfig(_ input: DescribeEndpointConfigInput) throws -> DescribeEndpointConfigOutput {
        let (record, definition) = try requireEndpointConfig(input.endpointConfigName, operation: "DescribeEndpointConfig")
        return DescribeEndpointConfigOutput(
            endpointConfigName: record.name, endpointConfigArn: record.arn, productionVariants: definition.productionVariants.map { variant in
                var filled = variant
                filled.initialVariantWeight = variant.initialVariantWeight ?? 1.0
                return filled
            }, dataCaptureConfig: definition.dataCaptureConfig, kmsKeyId: definition.kmsKeyId, creationTime: record.creationTime,
            asyncInferenceConfig: definition.asyncInferenceConfig)
    }

    public func listEndpointConfigs(_ input: ListEndpointConfigsInput) throws -> ListEndpointConfigsOutput {
        let query = ListQuery(nameContains: input.nameContains, creationTimeBefore: input.creationTimeBefore,
                              creationTimeAfter: input.creationTimeAfter, sortBy: input.sortBy, sortOrder: input.sortOrder,
                              maxResults: input.maxResults, nextToken: input.nextToken)
        let operation = ListQuery.Operation(name: "ListEndpointConfigs", defaultMaxResults: 10)
        try input.validation(for: operation.name).check()
        let (page, token) = try query.run(operation) { try catalog.allEndpointConfigs() }
        return ListEndpointConfigsOutput(endpointConfigs: page.map {
            EndpointConfigSummary(endpointConfigName: $0.name, endpointConfigArn: $0.arn, creationTime: $0.creationTime)
        }, nextToken: token)
    }

    /// Allowed while an endpoint uses the config, as on AWS (the endpoint keeps running).
    public func deleteEndpointConfig(_ input: DeleteEndpointConfigInput) throws {
        guard try catalog.deleteEndpointConfig(named: input.endpointConfigName) else {
            throw AWSError.validation("Could not find endpoint configuration \"\(arn("endpoint-config", input.endpointConfigName))\".",
                                      operation: "DeleteEndpointConfig")
        }
    }

    func requireEndpointConfig(_ name: String, operation: String) throws -> (EndpointConfigRecord, CreateEndpointConfigInput) {
        guard let record = try catalog.endpointConfig(named: name) else {
            throw AWSError.validation("Could not find endpoint configuration \"\(arn("endpoint-config", name))\".", operation: operation,
                                      hint: "`aws sagemaker list-endpoint-configs` shows your configurations")
        }
        return (record, try AWSCoding.decoder().decode(CreateEndpointConfigInput.self, from: record.definition))
    }
}
