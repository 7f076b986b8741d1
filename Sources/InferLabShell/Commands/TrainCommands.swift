import Foundation
import InferLabEngine

/// `train linear-learner`: a stand-in for a SageMaker training job, so a lab can make its own
/// `model.tar.gz` from data in the workspace's S3.
enum TrainCommands {
    static var all: [CommandSpec] { [linearLearner] }

    /// The default job name, which names the artifact's folder under --output.
    static let defaultJobName = "linear-learner"

    static let linearLearner = CommandSpec(
        ["train", "linear-learner"], family: .kit, summary: "Train a Linear Learner model on CSV in S3 and write its model.tar.gz",
        discussion: """
            Reads the training CSV as SageMaker's built-in algorithms do (no header, the label in the first \
            column, then the features; a prefix means every object under it, in key order), standardizes the \
            features, fits logistic regression (binary_classifier, labels 0/1) or least squares (regressor) \
            and writes model.tar.gz to <output>/<model-name>/output/model.tar.gz, as a SageMaker training job \
            lays out its output. The same data always gives the same bytes. With --validation it reports \
            accuracy, AUC, log loss, precision and recall (regressors: RMSE, MAE, R²) on rows the model did \
            not see. The artifact, linear-learner-model.json, is InferLab's own documented format: the real \
            Linear Learner's is not public. Serve it with a Linear Learner model (CSV, JSON or JSON Lines in; \
            JSON or JSON Lines out, never CSV).
            """,
        options: [
            OptionSpec("train", placeholder: "S3_URI", help: "the training CSV: an object, or a prefix of objects",
                       isRequired: true, completion: .s3Path),
            OptionSpec("validation", placeholder: "S3_URI", help: "a validation CSV (same columns) to measure the model on",
                       completion: .s3Path),
            OptionSpec("output", placeholder: "S3_URI", help: "where the job's folder goes: s3://bucket/prefix/",
                       isRequired: true, completion: .s3Path),
            OptionSpec("predictor-type", placeholder: "TYPE", help: "binary_classifier (default) or regressor",
                       completion: .values(LinearLearnerModel.PredictorType.allCases.map(\.rawValue))),
            OptionSpec("model-name", placeholder: "NAME",
                       help: "the job's name, the folder the artifact goes in (default \(defaultJobName))"),
        ],
        examples: [
            "train linear-learner --train s3://loan-lab/train/train.csv --validation s3://loan-lab/validation/validation.csv --output s3://loan-lab/models/",
            "train linear-learner --train s3://loan-lab/train/ --output s3://loan-lab/models/ --model-name loans-v2",
        ]
    ) { invocation in
        let spec = invocation.spec
        let store = invocation.session.engine.store
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
        guard store.bucketExists(outputLocation.bucket) else {
            throw AWSError.noSuchBucket(outputLocation.bucket, operation: "PutObject")
        }

        let training = try readChannel(trainLocation, channel: "train", store: store)
        let validation = try validationLocation.map { try readChannel($0, channel: "validation", store: store) } ?? []
        try Task.checkCancellation()

        let result: LinearLearnerTrainingResult
        do {
            result = try LinearLearnerTrainer.train(training: training, validation: validation,
                                                    options: .init(predictorType: predictorType))
        } catch let error as LinearLearnerError {
            throw CLIFailure("train failed: \(error.message)",
                             hint: "training CSV has no header and the label first: `datasets generate --with-label` makes such a file")
        }
        let archive = try ModelArchive.write(files: [LinearLearnerModel.artifactFileName: result.artifact])
        try store.putObject(bucket: artifactLocation.bucket, key: artifactLocation.key, data: archive,
                            contentType: ContentTypes.guess(forKey: artifactLocation.key))

        let model = result.model
        let features = model.featureCount
        let rows = result.trainingMetrics.rows
        let steps = "\(result.iterations) Newton step\(result.iterations == 1 ? "" : "s")\(result.converged ? "" : ", not converged")"
        console.print("Trained \(predictorType.rawValue) on \(grouped(rows)) row\(rows == 1 ? "" : "s") × \(features) feature\(features == 1 ? "" : "s") (\(steps)).")
        console.print("Model artifact: \(artifactLocation) (\(grouped(archive.count)) bytes)")
        console.print()
        for line in metricsTable(training: result.trainingMetrics, validation: result.validationMetrics) {
            console.print(line)
        }
        console.print()
        console.print("Use it as the ModelDataUrl of a Linear Learner model: \(artifactLocation)")
    }

    /// SageMaker's training job name rule: `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`.
    static func jobNameProblem(_ name: String) -> String? {
        guard (1...63).contains(name.count) else { return "a job name is 1 to 63 characters long" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        guard name.allSatisfy({ allowed.contains($0) }) else { return "use only letters, digits and hyphens (-)" }
        guard name.first != "-" && name.last != "-" else { return "a job name begins and ends with a letter or digit" }
        return nil
    }

    /// The objects of a channel: the object itself, or every object under the prefix in key order.
    static func readChannel(_ location: S3Location, channel: String, store: any ObjectStore) throws -> [LinearLearnerTrainer.DataFile] {
        if !location.key.isEmpty && !location.key.hasSuffix("/"),
           (try? store.headObject(bucket: location.bucket, key: location.key)) != nil {
            let data = try store.readObject(bucket: location.bucket, key: location.key)
            return [.init(name: location.description, data: data)]
        }
        let objects = try store.listAllObjects(bucket: location.bucket, prefix: location.key)
        guard !objects.isEmpty else {
            throw CLIFailure("train failed: no object is s3://\(location.bucket)/\(location.key) or starts with it (the \(channel) channel)",
                             hint: "list what is there with `aws s3 ls s3://\(location.bucket)/ --recursive`")
        }
        return try objects.sorted { $0.key < $1.key }.map { object in
            try Task.checkCancellation()
            let data = try store.readObject(bucket: location.bucket, key: object.key)
            return .init(name: "s3://\(location.bucket)/\(object.key)", data: data)
        }
    }

    /// METRIC / TRAIN / VALIDATION, values to four decimals.
    static func metricsTable(training: LinearLearnerMetrics, validation: LinearLearnerMetrics?) -> [String] {
        var rows: [[String]] = [["METRIC", "TRAIN"] + (validation == nil ? [] : ["VALIDATION"])]
        rows.append(["rows", grouped(training.rows)] + (validation.map { [grouped($0.rows)] } ?? []))
        for metric in training.metrics {
            var row = [metric.name, formatted(metric.value)]
            if let validation { row.append(formatted(validation[metric.name] ?? .nan)) }
            rows.append(row)
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, text in
                column == 0 ? text + String(repeating: " ", count: widths[0] - text.count)
                            : String(repeating: " ", count: widths[column] - text.count) + text
            }.joined(separator: "  ")
        }
    }

    static func grouped(_ value: Int) -> String { NumberText.grouped(value) }

    static func formatted(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4f", value) : "n/a"
    }
}
