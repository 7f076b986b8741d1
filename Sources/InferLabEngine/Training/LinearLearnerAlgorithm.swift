import Foundation

/// The built-in Linear Learner algorithm's training side: the kit's own `LinearLearnerTrainer`,
/// with the hyperparameters as AWS's algorithm names them, `train` (required), `validation` and
/// `test` channels of CSV (label first, no header, `ContentType` text/csv), and its metrics
/// printed as the algorithm prints them (`#quality_metric: host=algo-1, validation
/// binary_classification_accuracy <score>=0.77`), under AWS's metric names.
///
/// The fit is the kit's (standardized features, Newton's method, see `LinearLearnerTrainer`):
/// `wd` sets its L2 penalty and `binary_classifier_model_selection_criteria` is honoured only as
/// `accuracy`; the optimizer's settings (epochs, mini_batch_size, learning_rate, …) are checked
/// and accepted but do not change the fit, and the log says so.
enum LinearLearnerAlgorithm {
    static let hyperparameters: Set<String> = [
        "feature_dim", "predictor_type", "mini_batch_size", "epochs", "learning_rate", "wd", "l1", "use_bias", "optimizer", "loss",
        "normalize_data", "normalize_label", "num_models", "num_calibration_samples", "init_method", "init_scale", "init_sigma",
        "init_bias", "momentum", "beta_1", "beta_2", "bias_lr_mult", "bias_wd_mult", "use_lr_scheduler", "lr_scheduler_step",
        "lr_scheduler_factor", "lr_scheduler_minimum_lr", "positive_example_weight_mult", "binary_classifier_model_selection_criteria",
        "target_recall", "target_precision", "early_stopping_patience", "early_stopping_tolerance", "margin", "quantile",
        "loss_insensitivity", "huber_delta", "num_point_for_scaler", "unbias_data", "unbias_label", "accuracy_top_k", "f_beta",
        "balance_multiclass_weights", "num_classes",
    ]

    /// Trains on the instance's channels and writes `linear-learner-model.json` to its model folder.
    static func train(_ instance: TrainingInstance, log: (String) -> Void) throws {
        let given = (instance.job.hyperParameters ?? [:]).filter { !$0.key.hasPrefix("sagemaker_") }
        if let unexpected = given.keys.sorted().first(where: { !hyperparameters.contains($0) }) {
            throw TrainingFailure.client("Additional hyperparameters are not allowed ('\(unexpected)' was unexpected)")
        }
        guard let typeText = given["predictor_type"] else {
            throw TrainingFailure.client("Missing required hyperparameter: predictor_type (binary_classifier or regressor)")
        }
        guard let predictorType = LinearLearnerModel.PredictorType(rawValue: typeText) else {
            let note = typeText == "multiclass_classifier" ? "; InferLab does not implement multiclass_classifier" : ""
            throw TrainingFailure.client("predictor_type '\(typeText)' is not one of binary_classifier, regressor\(note)")
        }
        for name in ["mini_batch_size", "epochs", "num_models", "early_stopping_patience"] {
            if let text = given[name], text != "auto", (Int(text) ?? 0) < 1 {
                throw TrainingFailure.client("Hyperparameter \(name): '\(text)' is not a positive integer")
            }
        }
        var options = LinearLearnerTrainer.Options(predictorType: predictorType)
        if let text = given["wd"], text != "auto" {
            guard let wd = Double(text), wd >= 0 else { throw TrainingFailure.client("Hyperparameter wd: '\(text)' is not a non-negative number") }
            options.l2 = wd
        }
        let ignored = given.keys.filter { !["feature_dim", "predictor_type", "wd"].contains($0) }.sorted()
        if !ignored.isEmpty {
            log("InferLab's Linear Learner fits by Newton's method on standardized features; \(ignored.joined(separator: ", ")) are accepted and do not change the fit.")
        }

        let channels = Dictionary(instance.channels.map { ($0.channelName, $0) }, uniquingKeysWith: { $1 })
        guard channels["train"] != nil else {
            throw TrainingFailure.client("InputDataConfig needs a train channel (it has: \(channels.keys.sorted().joined(separator: ", ")))")
        }
        func files(_ name: String) throws -> [LinearLearnerTrainer.DataFile] {
            guard let channel = channels[name] else { return [] }
            let type = MediaType.base(channel.contentType) ?? "text/csv"
            guard type == "text/csv" else {
                throw TrainingFailure.client("the \(name) channel's ContentType is \(channel.contentType ?? ""); InferLab's Linear Learner reads text/csv (label first, no header)")
            }
            let folder = instance.channelDirectory(name)
            let found = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])?.allObjects as? [URL] ?? [])
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .sorted { $0.path < $1.path }
            guard !found.isEmpty else { throw TrainingFailure.client("No data in \(name) channel path \(folder.path)") }
            return try found.map { .init(name: "\(name)/\(String($0.path.dropFirst(folder.path.count + 1)))", data: try Data(contentsOf: $0)) }
        }
        let training = try files("train")
        let validation = try files("validation")
        let test = try files("test")
        let result: LinearLearnerTrainingResult
        do {
            result = try LinearLearnerTrainer.train(training: training, validation: validation, options: options)
        } catch let error as LinearLearnerError {
            throw TrainingFailure.client(error.message)
        }
        let featureCount = result.model.featureCount
        if let text = given["feature_dim"], text != "auto", Int(text) != featureCount {
            throw TrainingFailure.client("feature_dim is \(text), but the training data has \(featureCount) feature column\(featureCount == 1 ? "" : "s") after the label")
        }
        log("Trained \(predictorType.rawValue) on \(result.trainingMetrics.rows) rows × \(featureCount) features (\(result.iterations) Newton steps\(result.converged ? "" : ", not converged")).")
        log(qualityLine("train", "objective_loss", objectiveLoss(result.trainingMetrics, predictorType), kind: "loss"))
        if let metrics = result.validationMetrics { for line in qualityLines("validation", metrics, predictorType) { log(line) } }
        if !test.isEmpty {
            var rows = LinearLearnerTrainer.LabelledData(classifier: predictorType == .binaryClassifier, width: featureCount,
                                                         reference: training.first?.name)
            do { for file in test { try rows.append(file) } } catch let error as LinearLearnerError {
                throw TrainingFailure.client(error.message)
            }
            if rows.rows > 0 {
                for line in qualityLines("test", LinearLearnerTrainer.metrics(result.model, rows), predictorType) { log(line) }
            }
        }
        try result.artifact.write(to: instance.modelDirectory.appendingPathComponent(LinearLearnerModel.artifactFileName))
    }

    /// The algorithm's names for the kit's metrics.
    private static func qualityLines(_ channel: String, _ metrics: LinearLearnerMetrics, _ type: LinearLearnerModel.PredictorType) -> [String] {
        var lines = [qualityLine(channel, "objective_loss", objectiveLoss(metrics, type), kind: "loss")]
        switch type {
        case .binaryClassifier:
            let precision = metrics["precision"] ?? 0, recall = metrics["recall"] ?? 0
            lines.append(qualityLine(channel, "binary_classification_accuracy", metrics["accuracy"] ?? .nan))
            lines.append(qualityLine(channel, "binary_f_beta", precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0))
            lines.append(qualityLine(channel, "precision", precision))
            lines.append(qualityLine(channel, "recall", recall))
            lines.append(qualityLine(channel, "roc_auc_score", metrics["auc"] ?? .nan))
        case .regressor:
            let rmse = metrics["rmse"] ?? .nan
            lines.append(qualityLine(channel, "rmse", rmse))
            lines.append(qualityLine(channel, "mse", rmse * rmse))
            lines.append(qualityLine(channel, "absolute_loss", metrics["mae"] ?? .nan))
        }
        return lines
    }

    /// Logistic loss for classifiers, mean squared error for regressors: what the fit minimizes.
    private static func objectiveLoss(_ metrics: LinearLearnerMetrics, _ type: LinearLearnerModel.PredictorType) -> Double {
        switch type {
        case .binaryClassifier: metrics["log_loss"] ?? .nan
        case .regressor: pow(metrics["rmse"] ?? .nan, 2)
        }
    }

    private static func qualityLine(_ channel: String, _ metric: String, _ value: Double, kind: String = "score") -> String {
        "#quality_metric: host=\(TrainingInstance.host), \(channel) \(metric) <\(kind)>=\(value)"
    }
}
