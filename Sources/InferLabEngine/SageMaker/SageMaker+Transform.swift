import Foundation

extension SageMakerService {
    public func createTransformJob(_ input: CreateTransformJobInput) throws -> CreateTransformJobOutput {
        let operation = "CreateTransformJob"
        try input.validation(for: operation).check()
        try checkTransformRules(input)
        _ = try requireModel(input.modelName, operation: operation)
        let now = now()
        let record = TransformJobRecord(
            name: input.transformJobName, arn: arn("transform-job", input.transformJobName), status: "InProgress",
            creationTime: now, lastModifiedTime: now, definition: try AWSCoding.encoder().encode(input), ownerPID: getpid())
        guard try catalog.insertTransformJob(record, tags: input.tags ?? []) else {
            throw AWSError.resourceInUse(
                "Transform job names must be unique within an AWS account and region, and a transform job with this name already exists (\(record.arn))",
                operation: operation)
        }
        transforms.start(record.name)
        return CreateTransformJobOutput(transformJobArn: record.arn)
    }

    /// Rules beyond single fields: limits across fields, what InferLab can emulate, filters.
    private func checkTransformRules(_ input: CreateTransformJobInput) throws {
        let operation = "CreateTransformJob"
        func fail(_ message: String, hint: String? = nil) -> AWSError { .validation(message, operation: operation, hint: hint) }
        let payload = input.maxPayloadInMB ?? 6
        if input.transformResources.instanceCount > 100 {
            throw AWSError(code: "ResourceLimitExceeded", message: "The account-level service limit 'ml.* for transform job usage' is 100 Instances, with current utilization of 0 Instances and a request delta of \(input.transformResources.instanceCount) Instances.", operation: operation)
        }
        if payload > 100 { throw fail("MaxPayloadInMB must be at most 100 MB.") }
        if payload == 0 { throw fail("MaxPayloadInMB 0 streams with chunked encoding, which the built-in algorithms do not support.") }
        if (input.maxConcurrentTransforms ?? 1) * payload > 100 {
            throw fail("MaxConcurrentTransforms × MaxPayloadInMB must not exceed 100 MB (here \((input.maxConcurrentTransforms ?? 1) * payload) MB).")
        }
        let dataType = input.transformInput.dataSource.s3DataSource.s3DataType
        if dataType != "S3Prefix" && dataType != "ManifestFile" {
            throw fail("S3DataType \(dataType) is not compatible with batch transform; use S3Prefix or ManifestFile.")
        }
        if let split = input.transformInput.splitType, split == "RecordIO" || split == "TFRecord" {
            throw fail("SplitType \(split) is not emulated by InferLab; use Line or None.")
        }
        if let processing = input.dataProcessing {
            let inputFilter = try processing.inputFilter.map { try JSONPathFilter($0, field: "InputFilter") }
            let outputFilter = try processing.outputFilter.map { try JSONPathFilter($0, field: "OutputFilter") }
            let active = !(inputFilter?.isIdentity ?? true) || !(outputFilter?.isIdentity ?? true) || processing.joinSource == "Input"
            if active {
                let supported = ["text/csv", "application/json", "application/jsonlines"]
                let content = MediaType.base(input.transformInput.contentType) ?? ""
                let accept = MediaType.base(input.transformOutput.accept) ?? ""
                guard supported.contains(content), supported.contains(accept) else {
                    throw fail("DataProcessing filters and joins need ContentType and Accept each to be one of text/csv, application/json, application/jsonlines.")
                }
                if processing.joinSource == "Input", content != accept {
                    throw fail("JoinSource Input needs the same ContentType and Accept (here \(content) and \(accept)).")
                }
                if content == "text/csv", input.transformInput.splitType != "Line" || input.transformOutput.assembleWith != "Line" {
                    throw fail("For CSV input with DataProcessing, SplitType and AssembleWith must both be Line.")
                }
            }
        }
    }

    public func describeTransformJob(_ input: DescribeTransformJobInput) throws -> DescribeTransformJobOutput {
        let (record, definition) = try requireTransformJob(input.transformJobName, operation: "DescribeTransformJob")
        return DescribeTransformJobOutput(
            transformJobName: record.name, transformJobArn: record.arn, transformJobStatus: record.status,
            failureReason: record.failureReason, modelName: definition.modelName,
            maxConcurrentTransforms: definition.maxConcurrentTransforms ?? 1, modelClientConfig: definition.modelClientConfig,
            maxPayloadInMB: definition.maxPayloadInMB ?? 6, batchStrategy: definition.batchStrategy ?? "MultiRecord",
            environment: definition.environment ?? [:], transformInput: definition.transformInput,
            transformOutput: definition.transformOutput, dataCaptureConfig: definition.dataCaptureConfig,
            transformResources: definition.transformResources, creationTime: record.creationTime,
            transformStartTime: record.startTime, transformEndTime: record.endTime, dataProcessing: definition.dataProcessing,
            experimentConfig: definition.experimentConfig, inferLabProgress: liveProgress(record, definition))
    }

    /// The stored counts, with the phase and the bill as of now.
    private func liveProgress(_ record: TransformJobRecord, _ definition: CreateTransformJobInput) -> InferLabTransformProgress {
        let stored = record.progress.flatMap { try? AWSCoding.decoder().decode(InferLabTransformProgress.self, from: $0) }
        var progress = InferLabTransformProgress.billed(
            stored ?? .empty(instances: TransformJobExecution.instanceIDs(job: record.name, count: definition.transformResources.instanceCount)),
            job: definition, creation: record.creationTime, start: record.startTime, end: record.endTime, now: now(),
            unbilled: record.unbilledSeconds)
        progress.phase = switch record.status {
        case "InProgress" where record.startTime == nil: TransformPhase.provisioning
        case "InProgress" where stored == nil: TransformPhase.starting
        case "InProgress": TransformPhase.transforming
        case "Stopping": TransformPhase.stopping
        default: nil
        }
        return progress
    }

    public func listTransformJobs(_ input: ListTransformJobsInput) throws -> ListTransformJobsOutput {
        let query = ListQuery(nameContains: input.nameContains, creationTimeBefore: input.creationTimeBefore,
                              creationTimeAfter: input.creationTimeAfter, lastModifiedTimeBefore: input.lastModifiedTimeBefore,
                              lastModifiedTimeAfter: input.lastModifiedTimeAfter, statusEquals: input.statusEquals,
                              sortBy: input.sortBy, sortOrder: input.sortOrder, maxResults: input.maxResults, nextToken: input.nextToken)
        let operation = ListQuery.Operation(name: "ListTransformJobs", defaultMaxResults: 10)
        try input.validation(for: operation.name).check()
        let (page, token) = try query.run(operation) { try catalog.allTransformJobs() }
        return ListTransformJobsOutput(transformJobSummaries: page.map {
            TransformJobSummary(transformJobName: $0.name, transformJobArn: $0.arn, creationTime: $0.creationTime,
                                transformEndTime: $0.endTime, lastModifiedTime: $0.lastModifiedTime,
                                transformJobStatus: $0.status, failureReason: $0.failureReason)
        }, nextToken: token)
    }

    public func stopTransformJob(_ input: StopTransformJobInput) throws {
        let operation = "StopTransformJob"
        let (record, _) = try requireTransformJob(input.transformJobName, operation: operation)
        guard let previous = try catalog.requestTransformJobStop(record.name, at: now()), previous == "InProgress" else {
            throw AWSError.validation("The transform job \(record.name) is \(record.status); only an InProgress job can be stopped.",
                                      operation: operation)
        }
        transforms.stop(record.name)
    }

    func requireTransformJob(_ name: String, operation: String) throws -> (TransformJobRecord, CreateTransformJobInput) {
        guard let record = try catalog.transformJob(named: name) else {
            throw AWSError.validation("Could not find transform job \"\(arn("transform-job", name))\".", operation: operation,
                                      hint: "`aws sagemaker list-transform-jobs` shows your jobs")
        }
        return (record, try AWSCoding.decoder().decode(CreateTransformJobInput.self, from: record.definition))
    }
}
