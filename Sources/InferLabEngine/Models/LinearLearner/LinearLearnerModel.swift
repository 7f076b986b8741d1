import Foundation

/// A Linear Learner model in InferLab's documented artifact format: the file
/// `linear-learner-model.json` inside `model.tar.gz` (full description in `README.md` next to
/// this file).
///
/// SageMaker's Linear Learner is closed source and its artifact is an undocumented MXNet
/// parameter file, so InferLab defines its own, small enough to read and to write by hand:
///
/// ```json
/// {
///   "format": "inferlab-linear-learner",
///   "version": 1,
///   "predictor_type": "binary_classifier",
///   "feature_count": 3,
///   "feature_means": [44.1, 98000, 1.9],
///   "feature_scales": [15.2, 61000, 1.6],
///   "weights": [0.42, 2.1, -0.9],
///   "bias": 0.35,
///   "binary_threshold": 0.5,
///   "training": {"rows": 20000, "iterations": 7}
/// }
/// ```
///
/// For a record `x` the model computes, in `Double` and in this order,
///
///     z = bias;  for i in 0..<feature_count: z += weights[i] * ((x[i] - feature_means[i]) / feature_scales[i])
///
/// A `binary_classifier` answers `score = Float(1 / (1 + e^−z))` and
/// `predicted_label = score ≥ binary_threshold ? 1 : 0`; a `regressor` answers `score = Float(z)`.
///
/// The model is immutable; `predict` may be called from any number of threads at once.
public struct LinearLearnerModel: Sendable, Equatable {
    /// SageMaker's `predictor_type` hyperparameter (multiclass is not implemented by InferLab).
    public enum PredictorType: String, Sendable, CaseIterable {
        case binaryClassifier = "binary_classifier"
        case regressor
    }

    /// The file inside `model.tar.gz`.
    public static let artifactFileName = "linear-learner-model.json"
    /// The value of the `format` field.
    public static let formatName = "inferlab-linear-learner"
    /// The value of the `version` field this code reads and writes.
    public static let formatVersion = 1
    /// More features than this is certainly a mistake (a transposed file, say), not a model.
    public static let maximumFeatureCount = 1_000_000

    public let predictorType: PredictorType
    public let featureMeans: [Double]
    public let featureScales: [Double]
    public let weights: [Double]
    public let bias: Double
    /// The probability from which a record is labelled 1 (binary classifiers; 0.5 by default).
    public let binaryThreshold: Double
    /// Free-form metadata about how the model was trained; never used for scoring.
    public let training: LinearLearnerJSON?

    /// The number of values every record must have.
    public var featureCount: Int { weights.count }

    /// A model from its parameters, validated as a loaded artifact is.
    /// - Throws: `LinearLearnerError` naming the field that is wrong.
    public init(predictorType: PredictorType, featureMeans: [Double], featureScales: [Double], weights: [Double],
                bias: Double, binaryThreshold: Double = 0.5, training: LinearLearnerJSON? = nil) throws {
        try Self.validate(predictorType: predictorType, featureCount: weights.count, means: featureMeans,
                          scales: featureScales, weights: weights, bias: bias,
                          threshold: predictorType == .binaryClassifier ? binaryThreshold : nil)
        if let training {
            guard case .object = training else { throw LinearLearnerError.artifact("training must be an object, found \(training.brief)") }
        }
        self.predictorType = predictorType
        self.featureMeans = featureMeans
        self.featureScales = featureScales
        self.weights = weights
        self.bias = bias
        self.binaryThreshold = predictorType == .binaryClassifier ? binaryThreshold : 0.5
        self.training = training
    }

    // MARK: - Scoring

    /// The linear value `z` for one record of `featureCount` values (see the type's documentation).
    @inline(__always)
    func margin(_ record: UnsafePointer<Float>) -> Double {
        var z = bias
        for index in 0..<weights.count {
            z += weights[index] * ((Double(record[index]) - featureMeans[index]) / featureScales[index])
        }
        return z
    }

    /// The score for a linear value: the probability of label 1 for a classifier, the value for a regressor.
    @inline(__always)
    func score(margin z: Double) -> Float {
        switch predictorType {
        case .regressor: return Float(z)
        case .binaryClassifier: return Float(Self.sigmoid(z))
        }
    }

    /// 1 when a classifier's score reaches the threshold, else 0 (always 0 for a regressor).
    @inline(__always)
    public func predictedLabel(score: Float) -> Int {
        predictorType == .binaryClassifier && Double(score) >= binaryThreshold ? 1 : 0
    }

    /// Scores `rowCount` records stored row-major in `features` (`rowCount × featureCount` values)
    /// into the first `rowCount` values of `scores`. Allocates nothing.
    public func predict(_ features: UnsafeBufferPointer<Float>, rowCount: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        let width = featureCount
        precondition(rowCount >= 0 && features.count >= rowCount * width && scores.count >= rowCount,
                     "predict: buffers too small for \(rowCount) rows of \(width) features")
        guard rowCount > 0 else { return }
        guard width > 0, let base = features.baseAddress else { return }
        weights.withUnsafeBufferPointer { w in
            featureMeans.withUnsafeBufferPointer { means in
                featureScales.withUnsafeBufferPointer { scales in
                    var record = base
                    for row in 0..<rowCount {
                        var z = bias
                        for index in 0..<width {
                            z += w[index] * ((Double(record[index]) - means[index]) / scales[index])
                        }
                        scores[row] = score(margin: z)
                        record += width
                    }
                }
            }
        }
    }

    /// The score of one record (a convenience for tests and checks; batch work uses `predict`).
    public func score(_ features: [Float]) -> Float {
        precondition(features.count == featureCount, "score: \(features.count) features, model has \(featureCount)")
        return features.withUnsafeBufferPointer { score(margin: margin($0.baseAddress!)) }
    }

    /// 1 / (1 + e^−z), without overflow for large |z|.
    @inline(__always)
    static func sigmoid(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + exp(-z)) }
        let e = exp(z)
        return e / (1 + e)
    }

    // MARK: - Reading and writing the artifact

    /// Loads `linear-learner-model.json`.
    /// - Throws: `LinearLearnerError` whose message starts with the file name and names the field
    ///   (or the byte, for broken JSON) that is wrong.
    public static func load(_ data: Data) throws -> LinearLearnerModel {
        let document: LinearLearnerJSON
        do {
            document = try data.withUnsafeBytes { raw in
                var scanner = LinearLearnerJSONScanner(raw.bindMemory(to: UInt8.self))
                scanner.skipBOM()
                return try scanner.readDocument()
            }
        } catch let error as LinearLearnerJSONScanner.Failure {
            throw LinearLearnerError.artifact("not valid JSON: \(error.message)")
        }
        guard case .object(let members) = document else {
            throw LinearLearnerError.artifact("the file must hold one JSON object {\"format\": \"\(formatName)\", …}")
        }
        var fields: [String: LinearLearnerJSON] = [:]
        for member in members {
            guard fields[member.key] == nil else { throw LinearLearnerError.artifact("the field \(member.key) appears twice") }
            guard knownFields.contains(member.key) else {
                throw LinearLearnerError.artifact("unknown field '\(member.key)'; the fields are \(knownFields.joined(separator: ", "))")
            }
            fields[member.key] = member.value
        }
        func required(_ name: String) throws -> LinearLearnerJSON {
            guard let value = fields[name] else { throw LinearLearnerError.artifact("missing field \(name)") }
            return value
        }

        guard case .string(let format) = try required("format"), format == formatName else {
            throw LinearLearnerError.artifact("format must be \"\(formatName)\", found \(fields["format"]!.brief)")
        }
        let version = try integer(try required("version"), field: "version")
        guard version == formatVersion else {
            throw LinearLearnerError.artifact("version \(version) is not supported; this InferLab reads version \(formatVersion)")
        }
        guard case .string(let typeName) = try required("predictor_type") else {
            throw LinearLearnerError.artifact("predictor_type must be a string, found \(fields["predictor_type"]!.brief)")
        }
        guard let predictorType = PredictorType(rawValue: typeName) else {
            let hint = typeName == "multiclass_classifier" ? " (InferLab does not implement multiclass_classifier)" : ""
            throw LinearLearnerError.artifact("predictor_type must be \"binary_classifier\" or \"regressor\", found \"\(typeName)\"\(hint)")
        }
        let featureCount = try integer(try required("feature_count"), field: "feature_count")
        let means = try numbers(try required("feature_means"), field: "feature_means")
        let scales = try numbers(try required("feature_scales"), field: "feature_scales")
        let weights = try numbers(try required("weights"), field: "weights")
        guard case .number(let bias) = try required("bias") else {
            throw LinearLearnerError.artifact("bias must be a number, found \(fields["bias"]!.brief)")
        }
        var threshold: Double? = nil
        if let value = fields["binary_threshold"] {
            guard predictorType == .binaryClassifier else {
                throw LinearLearnerError.artifact("binary_threshold applies only to predictor_type \"binary_classifier\"; remove it from a regressor")
            }
            guard case .number(let number) = value else {
                throw LinearLearnerError.artifact("binary_threshold must be a number, found \(value.brief)")
            }
            threshold = number
        } else if predictorType == .binaryClassifier {
            threshold = 0.5
        }
        try validate(predictorType: predictorType, featureCount: featureCount, means: means, scales: scales,
                     weights: weights, bias: bias, threshold: threshold)
        if let training = fields["training"] {
            guard case .object = training else {
                throw LinearLearnerError.artifact("training must be an object, found \(training.brief)")
            }
        }
        return try LinearLearnerModel(predictorType: predictorType, featureMeans: means, featureScales: scales,
                                      weights: weights, bias: bias, binaryThreshold: threshold ?? 0.5,
                                      training: fields["training"])
    }

    static let knownFields = ["format", "version", "predictor_type", "feature_count", "feature_means", "feature_scales",
                              "weights", "bias", "binary_threshold", "training"]

    /// The artifact as JSON: always the same bytes for the same model (fields in the documented
    /// order, numbers as their shortest round-trip text, two-space indentation, trailing newline).
    public func jsonData() -> Data {
        var members: [LinearLearnerJSON.Member] = [
            .init("format", .string(Self.formatName)),
            .init("version", .number(Double(Self.formatVersion))),
            .init("predictor_type", .string(predictorType.rawValue)),
            .init("feature_count", .number(Double(featureCount))),
            .init("feature_means", .array(featureMeans.map { .number($0) })),
            .init("feature_scales", .array(featureScales.map { .number($0) })),
            .init("weights", .array(weights.map { .number($0) })),
            .init("bias", .number(bias)),
        ]
        if predictorType == .binaryClassifier { members.append(.init("binary_threshold", .number(binaryThreshold))) }
        if let training { members.append(.init("training", training)) }
        var text = LinearLearnerJSON.object(members).serialized(pretty: true)
        text.append("\n")
        return Data(text.utf8)
    }

    // MARK: - Validation

    private static func validate(predictorType: PredictorType, featureCount: Int, means: [Double], scales: [Double],
                                 weights: [Double], bias: Double, threshold: Double?) throws {
        guard featureCount >= 1 else {
            throw LinearLearnerError.artifact("feature_count must be at least 1, found \(featureCount)")
        }
        guard featureCount <= maximumFeatureCount else {
            throw LinearLearnerError.artifact("feature_count \(featureCount) is more than InferLab's limit of \(maximumFeatureCount)")
        }
        for (name, values) in [("feature_means", means), ("feature_scales", scales), ("weights", weights)] {
            guard values.count == featureCount else {
                throw LinearLearnerError.artifact("\(name) has \(values.count) value\(values.count == 1 ? "" : "s") but feature_count is \(featureCount)")
            }
            if let index = values.firstIndex(where: { !$0.isFinite }) {
                throw LinearLearnerError.artifact("\(name)[\(index)] is \(values[index]); every value must be a finite number")
            }
        }
        if let index = scales.firstIndex(where: { $0 <= 0 }) {
            throw LinearLearnerError.artifact("feature_scales[\(index)] is \(scales[index]); scales must be positive (use 1 for a feature that is not scaled)")
        }
        guard bias.isFinite else { throw LinearLearnerError.artifact("bias must be a finite number") }
        if let threshold, !(threshold >= 0 && threshold <= 1) {
            throw LinearLearnerError.artifact("binary_threshold is \(threshold); it is a probability, from 0 to 1")
        }
    }

    private static func integer(_ value: LinearLearnerJSON, field: String) throws -> Int {
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
            throw LinearLearnerError.artifact("\(field) must be a whole number, found \(value.brief)")
        }
        return Int(number)
    }

    private static func numbers(_ value: LinearLearnerJSON, field: String) throws -> [Double] {
        guard case .array(let items) = value else {
            throw LinearLearnerError.artifact("\(field) must be an array of numbers, found \(value.brief)")
        }
        return try items.enumerated().map { index, item in
            guard case .number(let number) = item else {
                throw LinearLearnerError.artifact("\(field)[\(index)] must be a number, found \(item.brief)")
            }
            return number
        }
    }
}

/// Why a Linear Learner artifact, training file or option is unusable. The message names the
/// file and the field, line or column, because learners bring their own files.
public struct LinearLearnerError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// A problem in `linear-learner-model.json`.
    static func artifact(_ detail: String) -> LinearLearnerError {
        LinearLearnerError("\(LinearLearnerModel.artifactFileName): \(detail)")
    }
}
