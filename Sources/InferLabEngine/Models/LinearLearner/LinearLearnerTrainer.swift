import Foundation

/// Trains a `LinearLearnerModel` from CSV as SageMaker's built-in algorithms take it: no header,
/// the label in the first column, then the features.
///
/// Deterministic: features are standardized with the training data's mean and (population)
/// standard deviation, then the model is fitted by full-batch Newton's method with a fixed
/// iteration budget, a fixed start and a small L2 penalty on the weights (not the bias) —
/// logistic loss for `binary_classifier`, squared error for `regressor` (one exact Newton step).
/// Every sum runs in row order in `Double`, so the same input gives a byte-identical artifact.
public enum LinearLearnerTrainer {
    public struct Options: Sendable, Equatable {
        public var predictorType: LinearLearnerModel.PredictorType
        /// The L2 penalty on the standardized weights: the objective is mean loss + l2/2·|w|².
        public var l2: Double
        /// Newton steps at most (each is one pass over the data, plus line-search passes).
        public var maxIterations: Int
        /// The probability from which a record is labelled 1 (binary classifiers).
        public var binaryThreshold: Double

        public init(predictorType: LinearLearnerModel.PredictorType, l2: Double = 1e-4, maxIterations: Int = 50,
                    binaryThreshold: Double = 0.5) {
            self.predictorType = predictorType
            self.l2 = l2
            self.maxIterations = maxIterations
            self.binaryThreshold = binaryThreshold
        }
    }

    /// One CSV file of a channel, with the name its errors use (`train.csv`, or an S3 URI).
    public struct DataFile: Sendable {
        public var name: String
        public var data: Data

        public init(name: String, data: Data) {
            self.name = name
            self.data = data
        }
    }

    /// Below this change in the Newton decrement, the fit has converged.
    static let tolerance = 1e-12

    /// Trains on one CSV file, optionally reporting metrics on a validation file.
    public static func train(csv: Data, name: String = "train.csv", validation: Data? = nil,
                             validationName: String = "validation.csv", options: Options) throws -> LinearLearnerTrainingResult {
        try train(training: [DataFile(name: name, data: csv)],
                  validation: validation.map { [DataFile(name: validationName, data: $0)] } ?? [],
                  options: options)
    }

    /// Trains on the rows of every training file, in order.
    /// - Throws: `LinearLearnerError` naming the file, line (1-based) and column of bad data, or
    ///   what else makes the data unusable (no rows, one class only).
    public static func train(training: [DataFile], validation: [DataFile] = [], options: Options) throws -> LinearLearnerTrainingResult {
        guard options.l2 >= 0 && options.l2.isFinite else { throw LinearLearnerError("l2 must be a non-negative number, not \(options.l2)") }
        guard options.maxIterations >= 1 else { throw LinearLearnerError("maxIterations must be at least 1") }
        guard options.binaryThreshold >= 0 && options.binaryThreshold <= 1 else {
            throw LinearLearnerError("the binary threshold is a probability, from 0 to 1, not \(options.binaryThreshold)")
        }
        let classifier = options.predictorType == .binaryClassifier
        var train = LabelledData(classifier: classifier)
        for file in training { try train.append(file) }
        guard train.rows > 0 else {
            let names = training.map(\.name).joined(separator: ", ")
            throw LinearLearnerError("the training data has no rows\(names.isEmpty ? "" : " (\(names))")")
        }
        if classifier {
            let positives = train.labels.reduce(0) { $0 + $1 }
            if positives == 0 || positives == Double(train.rows) {
                throw LinearLearnerError("every training row has the label \(positives == 0 ? 0 : 1); a binary_classifier needs rows of both labels, 0 and 1")
            }
        }
        var check = LabelledData(classifier: classifier, width: train.width, reference: training.first?.name)
        for file in validation { try check.append(file) }
        if !validation.isEmpty && check.rows == 0 {
            throw LinearLearnerError("the validation data has no rows (\(validation.map(\.name).joined(separator: ", ")))")
        }

        let fit = fitModel(train, options: options)
        let model = fit.model
        let trainMetrics = metrics(model, train)
        let validationMetrics = check.rows > 0 ? metrics(model, check) : nil

        var summary: [LinearLearnerJSON.Member] = [
            .init("optimizer", .string("newton")),
            .init("l2", .number(options.l2)),
            .init("iterations", .number(Double(fit.iterations))),
            .init("converged", .bool(fit.converged)),
            .init("rows", .number(Double(train.rows))),
            .init("train_metrics", trainMetrics.json),
        ]
        if let validationMetrics {
            summary.append(.init("validation_rows", .number(Double(check.rows))))
            summary.append(.init("validation_metrics", validationMetrics.json))
        }
        let artifact = try LinearLearnerModel(
            predictorType: model.predictorType, featureMeans: model.featureMeans, featureScales: model.featureScales,
            weights: model.weights, bias: model.bias, binaryThreshold: options.binaryThreshold, training: .object(summary))
        return LinearLearnerTrainingResult(model: artifact, iterations: fit.iterations, converged: fit.converged,
                                           trainingMetrics: trainMetrics, validationMetrics: validationMetrics)
    }

    // MARK: - Data

    /// Rows of labelled data: features row-major as the container holds them (Float), labels as Double.
    struct LabelledData {
        let classifier: Bool
        var width: Int
        /// The file whose first line fixed the column count, for messages.
        var reference: String?
        var features: [Float] = []
        var labels: [Double] = []
        var rows: Int { labels.count }

        init(classifier: Bool, width: Int = 0, reference: String? = nil) {
            self.classifier = classifier
            self.width = width
            self.reference = reference
        }

        mutating func append(_ file: DataFile) throws {
            let name = file.name
            let classifier = classifier
            try file.data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                try NumericCSV.forEachLine(bytes) { line, span in
                    guard !NumericCSV.isBlank(bytes, span) else {
                        throw LinearLearnerError("\(name) line \(line) is empty; remove blank lines between rows")
                    }
                    let columns = NumericCSV.fieldCount(bytes, span)
                    if width == 0 {
                        guard columns >= 2 else {
                            throw LinearLearnerError("\(name) line \(line) has only one column; the label comes first, then at least one feature")
                        }
                        width = columns - 1
                        reference = name
                    } else if columns != width + 1 {
                        let fixedBy = reference == name || reference == nil ? "line 1" : reference!
                        throw LinearLearnerError("\(name) line \(line) has \(columns) column\(columns == 1 ? "" : "s") but \(fixedBy) has \(width + 1) (the label, then \(width) feature\(width == 1 ? "" : "s"))")
                    }
                    try NumericCSV.forEachField(bytes, span) { column, field in
                        if column == 0 {
                            guard let label = DecimalText.double(bytes, field), label.isFinite else {
                                throw notANumber(name, line, column, bytes, field)
                            }
                            if classifier && label != 0 && label != 1 {
                                throw LinearLearnerError("\(name) line \(line), column 1: the label is \(NumericCSV.quote(bytes, field)); a binary_classifier needs labels 0 and 1")
                            }
                            labels.append(label)
                        } else {
                            guard let value = DecimalText.float(bytes, field), value.isFinite else {
                                throw notANumber(name, line, column, bytes, field)
                            }
                            features.append(value)
                        }
                    }
                }
            }
        }

        private func notANumber(_ name: String, _ line: Int, _ column: Int, _ bytes: UnsafeBufferPointer<UInt8>,
                                _ field: Range<Int>) -> LinearLearnerError {
            var message = "\(name) line \(line), column \(column + 1): \(NumericCSV.quote(bytes, field)) is not a number"
            if line == 1 && rows == 0 && DecimalText.float(bytes, field) == nil && !field.isEmpty {
                message += " (is the first line a header? SageMaker's built-in algorithms read CSV without a header row, the label first)"
            }
            return LinearLearnerError(message)
        }
    }

    // MARK: - Fitting

    struct Fit {
        var model: LinearLearnerModel
        var iterations: Int
        var converged: Bool
    }

    static func fitModel(_ data: LabelledData, options: Options) -> Fit {
        let n = data.rows
        let d = data.width
        let count = Double(n)
        // Standardization: mean and population standard deviation of each feature.
        var means = [Double](repeating: 0, count: d)
        var scales = [Double](repeating: 1, count: d)
        for j in 0..<d {
            var sum = 0.0
            for i in 0..<n { sum += Double(data.features[i * d + j]) }
            let mean = sum / count
            var squares = 0.0
            for i in 0..<n {
                let delta = Double(data.features[i * d + j]) - mean
                squares += delta * delta
            }
            let deviation = (squares / count).squareRoot()
            means[j] = mean
            scales[j] = deviation > 0 && deviation.isFinite ? deviation : 1
        }
        // The standardized design, exactly as the model computes it when scoring.
        var z = [Double](repeating: 0, count: n * d)
        for i in 0..<n {
            for j in 0..<d { z[i * d + j] = (Double(data.features[i * d + j]) - means[j]) / scales[j] }
        }

        let p = d + 1  // parameter 0 is the bias, then one weight per feature
        var theta = [Double](repeating: 0, count: p)
        var iterations = 0
        var converged = false
        switch options.predictorType {
        case .regressor:
            // Least squares is quadratic: one Newton step from zero is the exact minimum.
            var hessian = [Double](repeating: 0, count: p * p)
            var gradient = [Double](repeating: 0, count: p)
            accumulate(z, n: n, d: d, weightOf: { _ in 1 }, residualOf: { i in -data.labels[i] },
                       hessian: &hessian, gradient: &gradient)
            finish(&hessian, &gradient, theta: theta, l2: options.l2, n: count, p: p)
            let step = solve(hessian, gradient, p: p)
            for k in 0..<p { theta[k] -= step[k] }
            iterations = 1
            converged = true
        case .binaryClassifier:
            let positives = data.labels.reduce(0, +)
            theta[0] = log(positives / (count - positives))  // the base rate's log-odds
            var margins = [Double](repeating: 0, count: n)
            computeMargins(z, theta: theta, n: n, d: d, into: &margins)
            var objective = logisticObjective(margins, data.labels, theta: theta, l2: options.l2)
            while iterations < options.maxIterations {
                var hessian = [Double](repeating: 0, count: p * p)
                var gradient = [Double](repeating: 0, count: p)
                accumulate(z, n: n, d: d,
                           weightOf: { i in
                               let probability = LinearLearnerModel.sigmoid(margins[i])
                               return probability * (1 - probability)
                           },
                           residualOf: { i in LinearLearnerModel.sigmoid(margins[i]) - data.labels[i] },
                           hessian: &hessian, gradient: &gradient)
                finish(&hessian, &gradient, theta: theta, l2: options.l2, n: count, p: p)
                let step = solve(hessian, gradient, p: p)
                var decrement = 0.0
                for k in 0..<p { decrement += gradient[k] * step[k] }
                if !(decrement / 2 > tolerance) {
                    converged = true
                    break
                }
                // Backtracking line search (Armijo): halve the step until the objective drops enough.
                var scale = 1.0
                var accepted = false
                var candidate = theta
                for _ in 0..<40 {
                    for k in 0..<p { candidate[k] = theta[k] - scale * step[k] }
                    computeMargins(z, theta: candidate, n: n, d: d, into: &margins)
                    let value = logisticObjective(margins, data.labels, theta: candidate, l2: options.l2)
                    if value <= objective - 0.25 * scale * decrement {
                        objective = value
                        accepted = true
                        break
                    }
                    scale /= 2
                }
                iterations += 1
                guard accepted else {
                    // No step improves the objective: it is as small as Double can tell.
                    converged = true
                    break
                }
                theta = candidate
            }
        }
        // `try!`: the parameters are finite by construction and the sizes agree.
        let model = try! LinearLearnerModel(
            predictorType: options.predictorType, featureMeans: means, featureScales: scales,
            weights: Array(theta[1...]), bias: theta[0], binaryThreshold: options.binaryThreshold)
        return Fit(model: model, iterations: iterations, converged: converged)
    }

    /// Σ over rows of weight·aaᵀ (upper triangle) and residual·a, with a = (1, z_i), divided by n later.
    private static func accumulate(_ z: [Double], n: Int, d: Int, weightOf: (Int) -> Double, residualOf: (Int) -> Double,
                                   hessian: inout [Double], gradient: inout [Double]) {
        let p = d + 1
        var row = [Double](repeating: 1, count: p)
        for i in 0..<n {
            for j in 0..<d { row[j + 1] = z[i * d + j] }
            let weight = weightOf(i)
            let residual = residualOf(i)
            for a in 0..<p {
                gradient[a] += residual * row[a]
                let scaled = weight * row[a]
                for b in a..<p { hessian[a * p + b] += scaled * row[b] }
            }
        }
    }

    /// Divides the sums by n, adds the L2 terms (weights only), and mirrors the upper triangle.
    private static func finish(_ hessian: inout [Double], _ gradient: inout [Double], theta: [Double], l2: Double, n: Double, p: Int) {
        for a in 0..<p {
            gradient[a] /= n
            if a > 0 { gradient[a] += l2 * theta[a] }
            for b in a..<p {
                hessian[a * p + b] /= n
                hessian[b * p + a] = hessian[a * p + b]
            }
            if a > 0 { hessian[a * p + a] += l2 }
        }
    }

    private static func computeMargins(_ z: [Double], theta: [Double], n: Int, d: Int, into margins: inout [Double]) {
        for i in 0..<n {
            var m = theta[0]
            for j in 0..<d { m += theta[j + 1] * z[i * d + j] }
            margins[i] = m
        }
    }

    /// Mean logistic loss plus l2/2·|w|²; the loss is softplus(m) − y·m, computed without overflow.
    private static func logisticObjective(_ margins: [Double], _ labels: [Double], theta: [Double], l2: Double) -> Double {
        var sum = 0.0
        for i in 0..<margins.count {
            let m = margins[i]
            sum += max(m, 0) + log1p(exp(-abs(m))) - labels[i] * m
        }
        var penalty = 0.0
        for k in 1..<theta.count { penalty += theta[k] * theta[k] }
        return sum / Double(margins.count) + l2 / 2 * penalty
    }

    /// Solves H·x = g for a symmetric positive (semi)definite H by Cholesky, adding a little to the
    /// diagonal when H is singular (a constant or duplicated feature with no L2).
    static func solve(_ h: [Double], _ g: [Double], p: Int) -> [Double] {
        let largest = (0..<p).map { h[$0 * p + $0] }.max() ?? 1
        var jitter = 0.0
        for _ in 0..<30 {
            if let x = cholesky(h, g, p: p, jitter: jitter) { return x }
            jitter = jitter == 0 ? 1e-12 * max(largest, 1e-300) : jitter * 10
        }
        return [Double](repeating: 0, count: p)
    }

    private static func cholesky(_ h: [Double], _ g: [Double], p: Int, jitter: Double) -> [Double]? {
        var l = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0...i {
                var sum = h[i * p + j] + (i == j ? jitter : 0)
                for k in 0..<j { sum -= l[i * p + k] * l[j * p + k] }
                if i == j {
                    guard sum > 0 && sum.isFinite else { return nil }
                    l[i * p + i] = sum.squareRoot()
                } else {
                    l[i * p + j] = sum / l[j * p + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: p)
        for i in 0..<p {
            var sum = g[i]
            for k in 0..<i { sum -= l[i * p + k] * y[k] }
            y[i] = sum / l[i * p + i]
        }
        var x = [Double](repeating: 0, count: p)
        for i in stride(from: p - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<p { sum -= l[k * p + i] * x[k] }
            x[i] = sum / l[i * p + i]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }

    // MARK: - Metrics

    /// Scores the rows as the serving container does (Float features, Float scores) and measures them.
    static func metrics(_ model: LinearLearnerModel, _ data: LabelledData) -> LinearLearnerMetrics {
        var scores = [Float](repeating: 0, count: data.rows)
        data.features.withUnsafeBufferPointer { features in
            scores.withUnsafeMutableBufferPointer { model.predict(features, rowCount: data.rows, into: $0) }
        }
        switch model.predictorType {
        case .binaryClassifier:
            return LinearLearnerMetrics.classification(scores: scores, labels: data.labels, model: model)
        case .regressor:
            return LinearLearnerMetrics.regression(predictions: scores, labels: data.labels)
        }
    }
}

/// What `LinearLearnerTrainer.train` made.
public struct LinearLearnerTrainingResult: Sendable {
    /// The model, with its training summary in `training`.
    public var model: LinearLearnerModel
    /// Newton steps taken.
    public var iterations: Int
    /// Whether the fit stopped because it converged (rather than at the iteration budget).
    public var converged: Bool
    public var trainingMetrics: LinearLearnerMetrics
    public var validationMetrics: LinearLearnerMetrics?

    /// `linear-learner-model.json`'s bytes.
    public var artifact: Data { model.jsonData() }
}

/// Named measurements of a model on some rows, in a fixed order: for classifiers `accuracy`,
/// `auc`, `log_loss`, `precision`, `recall`; for regressors `rmse`, `mae`, `r2`. A value that is
/// undefined for the data (AUC with one class only) is NaN, written as `null`.
public struct LinearLearnerMetrics: Sendable, Equatable {
    public struct Metric: Sendable, Equatable {
        public let name: String
        public let value: Double
    }

    public let rows: Int
    public let metrics: [Metric]

    public subscript(name: String) -> Double? {
        metrics.first { $0.name == name }?.value
    }

    var json: LinearLearnerJSON {
        .object(metrics.map { .init($0.name, .number($0.value)) })
    }

    /// Classification metrics from probability scores and 0/1 labels.
    static func classification(scores: [Float], labels: [Double], model: LinearLearnerModel) -> LinearLearnerMetrics {
        let n = scores.count
        var correct = 0, truePositives = 0, falsePositives = 0, falseNegatives = 0
        var logLoss = 0.0
        for i in 0..<n {
            let predicted = model.predictedLabel(score: scores[i])
            let actual = labels[i] == 1 ? 1 : 0
            if predicted == actual { correct += 1 }
            if predicted == 1 && actual == 1 { truePositives += 1 }
            if predicted == 1 && actual == 0 { falsePositives += 1 }
            if predicted == 0 && actual == 1 { falseNegatives += 1 }
            let probability = min(max(Double(scores[i]), 1e-15), 1 - 1e-15)
            logLoss -= actual == 1 ? log(probability) : log(1 - probability)
        }
        let count = Double(max(n, 1))
        let precision = truePositives + falsePositives > 0 ? Double(truePositives) / Double(truePositives + falsePositives) : 0
        let recall = truePositives + falseNegatives > 0 ? Double(truePositives) / Double(truePositives + falseNegatives) : 0
        return LinearLearnerMetrics(rows: n, metrics: [
            Metric(name: "accuracy", value: Double(correct) / count),
            Metric(name: "auc", value: auc(scores: scores, labels: labels)),
            Metric(name: "log_loss", value: logLoss / count),
            Metric(name: "precision", value: precision),
            Metric(name: "recall", value: recall),
        ])
    }

    /// The exact area under the ROC curve: the Mann–Whitney statistic, tied scores sharing their
    /// average rank. NaN when the rows hold only one label.
    static func auc(scores: [Float], labels: [Double]) -> Double {
        let n = scores.count
        let positives = labels.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
        let negatives = n - positives
        guard positives > 0 && negatives > 0 else { return .nan }
        let order = (0..<n).sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && scores[order[end]] == scores[order[start]] { end += 1 }
            // Ranks start+1 … end share their average.
            let averageRank = Double(start + 1 + end) / 2
            for k in start..<end where labels[order[k]] == 1 { rankSum += averageRank }
            start = end
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// Regression metrics from predictions and targets.
    static func regression(predictions: [Float], labels: [Double]) -> LinearLearnerMetrics {
        let n = predictions.count
        let count = Double(max(n, 1))
        var squared = 0.0, absolute = 0.0, sum = 0.0
        for i in 0..<n {
            let error = Double(predictions[i]) - labels[i]
            squared += error * error
            absolute += abs(error)
            sum += labels[i]
        }
        let mean = sum / count
        var total = 0.0
        for label in labels { total += (label - mean) * (label - mean) }
        let r2 = total > 0 ? 1 - squared / total : (squared == 0 ? 1 : 0)
        return LinearLearnerMetrics(rows: n, metrics: [
            Metric(name: "rmse", value: (squared / count).squareRoot()),
            Metric(name: "mae", value: absolute / count),
            Metric(name: "r2", value: r2),
        ])
    }
}
