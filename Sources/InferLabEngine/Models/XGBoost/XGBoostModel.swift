import Foundation

/// A model saved by the `xgboost` Python library (`booster.save_model("xgboost-model.json")`, or
/// `.ubj`), scored in pure Swift with the same `float` arithmetic as `booster.predict`, so a
/// learner's batch-transform output matches what the real library gives.
///
/// Rows are `featureCount` values, NaN for a missing value. Each row yields `outputsPerRow`
/// values: the class-1 probability for `binary:logistic`, the value for regression, one
/// probability per class for `multi:softprob`, the class index for `multi:softmax`.
///
/// The model is immutable; `predict` may be called from any number of threads at once.
public struct XGBoostModel: Sendable {
    /// The number of values each row must have (`num_feature`).
    public let featureCount: Int
    /// Values written per row: 1, or `num_class` for `multi:softprob`.
    public let outputsPerRow: Int
    /// The objective as named in the model, such as `binary:logistic`.
    public let objective: String

    enum Booster: Sendable {
        case trees(TreeEnsemble)
        case linear(LinearBooster)
    }

    let transform: XGBoostObjective
    /// Output groups (classes) the margin has per row.
    let groupCount: Int
    /// The margin each group starts from: base_score passed through the objective's link.
    let baseMargins: [Float]
    let booster: Booster

    init(featureCount: Int, objective: String, transform: XGBoostObjective, groupCount: Int,
         baseMargins: [Float], booster: Booster) {
        self.featureCount = featureCount
        self.objective = objective
        self.transform = transform
        self.groupCount = groupCount
        self.baseMargins = baseMargins
        self.booster = booster
        self.outputsPerRow = transform.outputsPerRow(groupCount: groupCount)
    }

    /// Loads a model saved as JSON.
    /// - Throws: `XGBoostModelError` naming what is wrong: the byte where the JSON breaks, the
    ///   missing field, the unsupported objective or feature.
    public static func load(json: Data) throws -> XGBoostModel {
        let document = try JSONModelReader.read([UInt8](json))
        return try XGBoostModelDecoder.decode(ModelNode(value: document, path: "", format: "JSON"))
    }

    /// Loads a model saved as UBJSON (`.ubj`, XGBoost's default since 2.0).
    public static func load(ubjson: Data) throws -> XGBoostModel {
        let document = try UBJSONModelReader.read([UInt8](ubjson))
        return try XGBoostModelDecoder.decode(ModelNode(value: document, path: "", format: "UBJSON"))
    }

    /// Loads a model in either format, told apart by content, as SageMaker's `xgboost-model` file
    /// carries no extension.
    public static func load(data: Data) throws -> XGBoostModel {
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        let start = data.firstIndex { !whitespace.contains($0) }
        guard let start, data[start] == UInt8(ascii: "{") else {
            throw XGBoostModelError(message: "the model file is neither XGBoost JSON nor UBJSON (it does not start with '{'); "
                + "legacy binary and pickled models are not supported: re-save with booster.save_model(\"xgboost-model.json\")")
        }
        // JSON continues with a quoted name or '}'; UBJSON with a length's type marker.
        let next = data[(start + 1)...].first { !whitespace.contains($0) }
        if next == UInt8(ascii: "\"") || next == UInt8(ascii: "}") || next == nil {
            return try load(json: data)
        }
        return try load(ubjson: data)
    }

    /// Scores `rowCount` rows stored row-major in `features` (`rowCount × featureCount` values,
    /// NaN for missing) into the first `rowCount × outputsPerRow` values of `output`.
    ///
    /// Allocates nothing per row; rows are processed in blocks of 64 so a block stays in cache
    /// while every tree is walked for it.
    public func predict(_ features: UnsafeBufferPointer<Float>, rowCount: Int, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(rowCount >= 0 && features.count >= rowCount * featureCount,
                     "XGBoostModel.predict: \(rowCount) rows need \(rowCount * featureCount) feature values, got \(features.count)")
        precondition(output.count >= rowCount * outputsPerRow,
                     "XGBoostModel.predict: \(rowCount) rows need room for \(rowCount * outputsPerRow) outputs, got \(output.count)")
        guard rowCount > 0 else { return }
        let blockSize = 64
        let groupCount = groupCount
        withUnsafeTemporaryAllocation(of: Float.self, capacity: blockSize * groupCount) { margins in
            let margins = margins.baseAddress!
            // A model with no features reads no values; any non-null address will do.
            let rows = features.baseAddress ?? UnsafePointer(margins)
            var blockStart = 0
            while blockStart < rowCount {
                let count = min(blockSize, rowCount - blockStart)
                let blockRows = rows + blockStart * featureCount
                switch booster {
                case .trees(let trees):
                    for row in 0..<count {
                        for group in 0..<groupCount { margins[row * groupCount + group] = baseMargins[group] }
                    }
                    trees.accumulate(rows: blockRows, rowCount: count, featureCount: featureCount,
                                     margins: margins, groupCount: groupCount)
                case .linear(let linear):
                    linear.predict(rows: blockRows, rowCount: count, baseMargin: baseMargins[0], margins: margins)
                }
                transform.transform(margins: margins, rowCount: count, groupCount: groupCount,
                                    into: output.baseAddress! + blockStart * outputsPerRow)
                blockStart += count
            }
        }
    }

    /// Scores rows given as arrays; each row must have `featureCount` values (NaN for missing).
    public func predict(rows: [[Float]]) -> [[Float]] {
        var flat = [Float]()
        flat.reserveCapacity(rows.count * featureCount)
        for (index, row) in rows.enumerated() {
            precondition(row.count == featureCount,
                         "XGBoostModel.predict: row \(index) has \(row.count) values; the model expects \(featureCount)")
            flat.append(contentsOf: row)
        }
        var output = [Float](repeating: 0, count: rows.count * outputsPerRow)
        flat.withUnsafeBufferPointer { features in
            output.withUnsafeMutableBufferPointer { output in
                predict(features, rowCount: rows.count, into: output)
            }
        }
        return (0..<rows.count).map { Array(output[$0 * outputsPerRow..<($0 + 1) * outputsPerRow]) }
    }
}
