/// A `gblinear` model: one weight per feature and output group, plus a bias per group.
struct LinearBooster: Sendable {
    /// `weights[feature * groupCount + group]`, then the biases at `featureCount * groupCount + group`,
    /// the layout of the model file's `weights` array.
    let weights: [Float]
    let featureCount: Int
    let groupCount: Int

    init(weights: [Float], featureCount: Int, groupCount: Int, path: String) throws {
        guard weights.count == (featureCount + 1) * groupCount else {
            throw XGBoostModelError.unsupported(
                "\(path) has \(weights.count) weights; a linear model with \(featureCount) features and \(groupCount) outputs needs \((featureCount + 1) * groupCount)")
        }
        self.weights = weights
        self.featureCount = featureCount
        self.groupCount = groupCount
    }

    /// Writes each row's margins, starting from `bias + baseMargin` and adding `value * weight`
    /// for every present feature in column order: XGBoost's summation, rounded to `float` at each
    /// step. Missing (NaN) values contribute nothing.
    ///
    /// XGBoost 3.2's gblinear starts every group from the *first* base_score entry, even when a
    /// multi-class model stores one per class; the caller passes that one.
    func predict(rows: UnsafePointer<Float>, rowCount: Int, baseMargin: Float, margins: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { weights in
            let biases = weights.baseAddress! + featureCount * groupCount
            for row in 0..<rowCount {
                let values = rows + row * featureCount
                for group in 0..<groupCount {
                    var sum = biases[group] + baseMargin
                    for column in 0..<featureCount {
                        let value = values[column]
                        if !value.isNaN { sum += value * weights[column * groupCount + group] }
                    }
                    margins[row * groupCount + group] = sum
                }
            }
        }
    }
}
