import Foundation
import InferLabEngine

/// `train linear-learner`: a thin front of a SageMaker training job with the built-in Linear
/// Learner image (what `aws sagemaker create-training-job` would start), which it waits for and
/// whose log and metrics it prints, so a lab can make its own `model.tar.gz` in one command.
enum TrainCommands {
    static var all: [CommandSpec] { [linearLearner] }

    /// The default job name, which names the artifact's folder under --output.
    static let defaultJobName = "linear-learner"

    static let linearLearner = CommandSpec(
        ["train", "linear-learner"], family: .kit, summary: "Train a Linear Learner model on CSV in S3 (a training job) and write its model.tar.gz",
        discussion: """
            Starts a SageMaker training job with the built-in Linear Learner image, named by --model-name, \
            waits for it and prints its log and final metrics: `aws sagemaker describe-training-job` shows it \
            afterwards, as any job. The job reads the CSV as SageMaker's built-in algorithms do (no header, the \
            label in the first column, then the features; the S3 URI is a prefix: every object under it, in key \
            order), standardizes the features, fits logistic regression (binary_classifier, labels 0/1) or least \
            squares (regressor) and writes model.tar.gz to <output>/<model-name>/output/model.tar.gz. The same \
            data always gives the same bytes. With --validation it reports Linear Learner's validation metrics \
            (accuracy, F1, precision, recall, ROC AUC; regressors: RMSE, MSE, absolute loss). Job names are used \
            once, as on AWS. The artifact, linear-learner-model.json, is InferLab's own documented format: the \
            real Linear Learner's is not public. Serve it with a Linear Learner model (CSV, JSON or JSON Lines \
            in; JSON or JSON Lines out, never CSV).
            """,
        options: [
            OptionSpec("train", placeholder: "S3_URI", help: "the training CSV: an object, or a prefix of objects",
                       isRequired: true, completion: .s3Path),
            OptionSpec("validation", placeholder: "S3_URI", help: "a validation CSV (same columns) to measure the model on",
                       completion: .s3Path),
            OptionSpec("output", placeholder: "S3_URI", help: "the job's S3OutputPath: s3://bucket/prefix/",
                       isRequired: true, completion: .s3Path),
            OptionSpec("predictor-type", placeholder: "TYPE", help: "binary_classifier (default) or regressor",
                       completion: .values(LinearLearnerModel.PredictorType.allCases.map(\.rawValue))),
            OptionSpec("model-name", placeholder: "NAME",
                       help: "the training job's name, the folder the artifact goes in (default \(defaultJobName))"),
        ],
        examples: [
            "train linear-learner --train s3://loan-lab/train/train.csv --validation s3://loan-lab/validation/validation.csv --output s3://loan-lab/models/",
            "train linear-learner --train s3://loan-lab/train/ --output s3://loan-lab/models/ --model-name loans-v2",
        ]
    ) { invocation in
        let spec = invocation.spec
        let engine = invocation.session.engine
        let console = invocation.console

        let typeText = invocation.value("predictor-type") ?? LinearLearnerModel.PredictorType.binaryClassifier.rawValue
        guard let predictorType = LinearLearnerModel.PredictorType(rawValue: typeText) else {
            let note = typeText == "multiclass_classifier" ? " (InferLab does not implement multiclass_classifier)" : ""
            throw ShellError.usage("--predictor-type takes binary_classifier or regressor, not '\(typeText)'\(note)", command: spec)
        }
        let jobName = invocation.value("model-name") ?? defaultJobName
        if let problem = jobNameProblem(jobName) {
            throw ShellError.usage("--model-name '\(jobName)': \(problem)", command: spec)
        }
        let trainLocation = try S3Commands.s3Location(invocation.value("train") ?? "", spec: spec)
        let validationLocation = try invocation.value("validation").map { try S3Commands.s3Location($0, spec: spec) }
        let outputLocation = try S3Commands.s3Location(invocation.value("output") ?? "", spec: spec)
        let artifactLocation = outputLocation.appending("\(jobName)/output/model.tar.gz")
        if let problem = S3Names.keyProblem(artifactLocation.key) {
            throw ShellError.usage("--output '\(outputLocation)' cannot hold \(artifactLocation.key): \(problem)", command: spec)
        }
        // Fail on a missing output bucket before the work, not after it.
        guard engine.store.bucketExists(outputLocation.bucket) else {
            throw AWSError.noSuchBucket(outputLocation.bucket, operation: "PutObject")
        }

        var channels = [Channel(channelName: "train", s3Uri: trainLocation.description, contentType: "text/csv")]
        if let validationLocation {
            channels.append(Channel(channelName: "validation", s3Uri: validationLocation.description, contentType: "text/csv"))
        }
        let request = CreateTrainingJobInput(
            trainingJobName: jobName, image: BuiltinAlgorithm.linearLearner.exampleImage, channels: channels,
            outputPath: outputLocation.description, hyperParameters: ["predictor_type": predictorType.rawValue])
        _ = try SageMakerOperations.CreateTrainingJob.run(request, on: engine)
        let job = try await waitForEnd(jobName, engine: engine, console: console)
        invocation.session.events.acknowledge("Training job \(jobName): ")
        guard job.trainingJobStatus == "Completed" else {
            let reason = job.failureReason ?? job.trainingJobStatus
            throw CLIFailure("train failed: \(reason)",
                             hint: "training CSV has no header and the label first: `datasets generate --with-label` makes such a file; `aws sagemaker describe-training-job --training-job-name \(jobName)` shows the job")
        }
        let size = (try? engine.store.headObject(bucket: artifactLocation.bucket, key: artifactLocation.key).size) ?? 0
        console.print()
        console.print("Training job \(jobName): Completed (TrainingTimeInSeconds \(job.trainingTimeInSeconds ?? 0), BillableTimeInSeconds \(job.billableTimeInSeconds ?? 0)).")
        console.print("Model artifact: \(artifactLocation) (\(grouped(Int(size))) bytes)")
        console.print()
        for line in metricsTable(job.finalMetricDataList ?? []) { console.print(line) }
        console.print()
        console.print("Use it as the ModelDataUrl of a Linear Learner model: \(artifactLocation)")
    }

    /// Polls the job until it has ended, printing its log as it grows (as the SDK's `fit` does).
    static func waitForEnd(_ name: String, engine: Engine, console: Console) async throws -> DescribeTrainingJobOutput {
        var printed = 0
        while true {
            let job = try SageMakerOperations.DescribeTrainingJob.run(DescribeTrainingJobInput(trainingJobName: name), on: engine)
            let events = (try? engine.catalog.logEvents(group: "/aws/sagemaker/TrainingJobs", streamPrefix: name + "/")) ?? []
            for event in events.dropFirst(printed) { console.print(event.message) }
            printed = max(printed, events.count)
            if ["Completed", "Failed", "Stopped"].contains(job.trainingJobStatus) { return job }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// SageMaker's training job name rule: `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`.
    static func jobNameProblem(_ name: String) -> String? {
        guard (1...63).contains(name.count) else { return "a job name is 1 to 63 characters long" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        guard name.allSatisfy({ allowed.contains($0) }) else { return "use only letters, digits and hyphens (-)" }
        guard name.first != "-" && name.last != "-" else { return "a job name begins and ends with a letter or digit" }
        return nil
    }

    /// METRIC / VALUE, as FinalMetricDataList has them, values to four decimals.
    static func metricsTable(_ metrics: [MetricData]) -> [String] {
        let rows = [["METRIC", "VALUE"]] + metrics.map { [$0.metricName, formatted($0.value)] }
        let widths = (0..<2).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row[0] + String(repeating: " ", count: widths[0] - row[0].count) + "  " + String(repeating: " ", count: widths[1] - row[1].count) + row[1]
        }
    }

    static func grouped(_ value: Int) -> String { NumberText.grouped(value) }

    static func formatted(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4f", value) : "n/a"
    }
}
