import Foundation

// CreateTrainingJob, DescribeTrainingJob, ListTrainingJobs, StopTrainingJob: what the SDK's
// `Estimator.fit` and the aws CLI send, checked as AWS checks it, the job run in the background
// by `TrainingJobRunner`.
extension SageMakerService {
    /// AWS's default StoppingCondition.MaxRuntimeInSeconds: one day.
    static let defaultMaxRuntime = 86_400

    public func createTrainingJob(_ input: CreateTrainingJobInput) throws -> CreateTrainingJobOutput {
        let operation = "CreateTrainingJob"
        try input.validation(for: operation).check()
        try checkTrainingRules(input)
        let now = now()
        let record = TrainingJobRecord(
            name: input.trainingJobName, arn: arn("training-job", input.trainingJobName), status: "InProgress", secondaryStatus: "Starting",
            creationTime: now, lastModifiedTime: now, definition: try AWSCoding.encoder().encode(input),
            transitions: [SecondaryStatusTransition(status: "Starting", startTime: now, statusMessage: "Launching requested ML instances")],
            ownerPID: getpid())
        guard try catalog.insertTrainingJob(record, tags: input.tags ?? []) else {
            throw AWSError.resourceInUse(
                "Training job names must be unique within an AWS account and region, and a training job with this name already exists (\(record.arn))",
                operation: operation)
        }
        trainings.start(record.name)
        return CreateTrainingJobOutput(trainingJobArn: record.arn)
    }

    /// What the kit can run, beyond single fields; each refusal says why and what to use.
    private func checkTrainingRules(_ input: CreateTrainingJobInput) throws {
        let operation = "CreateTrainingJob"
        func fail(_ message: String, hint: String? = nil) -> AWSError { .validation(message, operation: operation, hint: hint) }
        guard let algorithm = input.algorithmSpecification else { return }
        if algorithm.algorithmName != nil {
            throw fail("AlgorithmName (a Marketplace or your own algorithm resource) is not something InferLab can run; give TrainingImage instead.",
                       hint: "one of: \(TrainingImage.knownImagesText)")
        }
        guard let imageText = algorithm.trainingImage, let image = TrainingImage(imageText) else {
            throw fail("Requested training image \(algorithm.trainingImage ?? "(none)") is not one InferLab can run.",
                       hint: "use one of: \(TrainingImage.knownImagesText)")
        }
        if !image.runsScript(input.hyperParameters ?? [:]), algorithm.metricDefinitions?.isEmpty == false {
            throw fail("You can't override the metric definitions for Amazon SageMaker algorithms. Please retry the request without specifying metric definitions.")
        }
        if algorithm.trainingInputMode == "Pipe" || (input.inputDataConfig ?? []).contains(where: { $0.inputMode == "Pipe" }) {
            throw fail("TrainingInputMode Pipe streams data through a FIFO, which InferLab does not emulate; use File.")
        }
        for channel in input.inputDataConfig ?? [] {
            guard channel.dataSource.s3DataSource != nil else {
                throw fail("Channel \(channel.channelName): InferLab reads channels from S3 only (DataSource.S3DataSource).")
            }
            if let type = channel.dataSource.s3DataSource?.s3DataType, type != "S3Prefix" && type != "ManifestFile" {
                throw fail("Channel \(channel.channelName): S3DataType \(type) is not emulated by InferLab; use S3Prefix or ManifestFile.")
            }
            if channel.recordWrapperType == "RecordIO" {
                throw fail("Channel \(channel.channelName): RecordWrapperType RecordIO is not emulated by InferLab; use None.")
            }
        }
        if let dotted = (input.inputDataConfig ?? []).first(where: { $0.channelName == "." || $0.channelName == ".." }) {
            throw fail("Channel name \(dotted.channelName) would name a folder outside /opt/ml/input/data; use letters, digits, '.', '-' and '_'.")
        }
        let names = (input.inputDataConfig ?? []).map { $0.channelName.lowercased() }
        if Set(names).count != names.count {
            throw fail("Channel names must be unique within InputDataConfig (here: \(names.joined(separator: ", "))).")
        }
        if let count = input.resourceConfig?.instanceCount, count != 1 {
            throw fail("InstanceCount \(count): InferLab trains on one instance (algo-1); distributed training is not emulated.")
        }
        if input.resourceConfig?.instanceType == nil {
            throw fail("ResourceConfig.InstanceType is required.")
        }
        if input.enableManagedSpotTraining == true {
            throw fail("Managed spot training is not emulated by InferLab (its instances are never interrupted); leave EnableManagedSpotTraining false.")
        }
    }

    public func describeTrainingJob(_ input: DescribeTrainingJobInput) throws -> DescribeTrainingJobOutput {
        try input.validation(for: "DescribeTrainingJob").check()
        let (record, job) = try requireTrainingJob(input.trainingJobName, operation: "DescribeTrainingJob")
        var algorithm = job.algorithmSpecification
        if algorithm?.enableSageMakerMetricsTimeSeries == nil { algorithm?.enableSageMakerMetricsTimeSeries = false }
        var stopping = job.stoppingCondition ?? StoppingCondition()
        if stopping.maxRuntimeInSeconds == nil { stopping.maxRuntimeInSeconds = Self.defaultMaxRuntime }
        // AWS answers the defaults it applied: no key is "" (the SDK's Estimator.attach reads it), and artifacts are gzipped.
        var output = job.outputDataConfig
        if output.kmsKeyId == nil { output.kmsKeyId = "" }
        if output.compressionType == nil { output.compressionType = "GZIP" }
        let seconds = record.hasEnded ? Billing.trainingSeconds(start: record.startTime, end: record.endTime, unbilled: record.unbilledSeconds) : nil
        return DescribeTrainingJobOutput(
            trainingJobName: record.name, trainingJobArn: record.arn,
            modelArtifacts: ModelArtifacts(s3ModelArtifacts: TrainingArtifacts.location(job, file: "model.tar.gz")),
            trainingJobStatus: record.status, secondaryStatus: record.secondaryStatus, failureReason: record.failureReason,
            hyperParameters: job.hyperParameters ?? [:], algorithmSpecification: algorithm, roleArn: job.roleArn,
            inputDataConfig: job.inputDataConfig, outputDataConfig: output, resourceConfig: job.resourceConfig,
            stoppingCondition: stopping, creationTime: record.creationTime, trainingStartTime: record.startTime,
            trainingEndTime: record.endTime, lastModifiedTime: record.lastModifiedTime, secondaryStatusTransitions: record.transitions,
            finalMetricDataList: record.finalMetrics, enableNetworkIsolation: job.enableNetworkIsolation ?? false,
            enableInterContainerTrafficEncryption: job.enableInterContainerTrafficEncryption ?? false,
            enableManagedSpotTraining: job.enableManagedSpotTraining ?? false, checkpointConfig: job.checkpointConfig,
            trainingTimeInSeconds: seconds, billableTimeInSeconds: seconds, experimentConfig: job.experimentConfig,
            environment: job.environment)
    }

    public func listTrainingJobs(_ input: ListTrainingJobsInput) throws -> ListTrainingJobsOutput {
        let query = ListQuery(nameContains: input.nameContains, creationTimeBefore: input.creationTimeBefore,
                              creationTimeAfter: input.creationTimeAfter, lastModifiedTimeBefore: input.lastModifiedTimeBefore,
                              lastModifiedTimeAfter: input.lastModifiedTimeAfter, statusEquals: input.statusEquals,
                              sortBy: input.sortBy, sortOrder: input.sortOrder, maxResults: input.maxResults, nextToken: input.nextToken)
        let operation = ListQuery.Operation(name: "ListTrainingJobs", defaultMaxResults: 10)
        try input.validation(for: operation.name).check()
        let (page, token) = try query.run(operation) { try catalog.allTrainingJobs() }
        return ListTrainingJobsOutput(trainingJobSummaries: page.map {
            TrainingJobSummary(trainingJobName: $0.name, trainingJobArn: $0.arn, creationTime: $0.creationTime,
                               trainingEndTime: $0.endTime, lastModifiedTime: $0.lastModifiedTime,
                               trainingJobStatus: $0.status, secondaryStatus: $0.secondaryStatus)
        }, nextToken: token)
    }

    public func stopTrainingJob(_ input: StopTrainingJobInput) throws {
        let operation = "StopTrainingJob"
        try input.validation(for: operation).check()
        let (record, _) = try requireTrainingJob(input.trainingJobName, operation: operation)
        guard let previous = try catalog.requestTrainingJobStop(record.name, at: now()), previous == "InProgress" else {
            throw AWSError.validation("The request was rejected because the training job is in status \(record.status).", operation: operation)
        }
        trainings.stop(record.name)
    }

    func requireTrainingJob(_ name: String, operation: String) throws -> (TrainingJobRecord, CreateTrainingJobInput) {
        guard let record = try catalog.trainingJob(named: name) else {
            throw AWSError.validation("Requested resource not found.", operation: operation,
                                      hint: "`aws sagemaker list-training-jobs` shows your training jobs")
        }
        return (record, try AWSCoding.decoder().decode(CreateTrainingJobInput.self, from: record.definition))
    }
}

extension TrainingJobRecord: ListedResource {
    var listedStatus: String? { status }
    var listedLastModifiedTime: Date? { lastModifiedTime }
}
