import Foundation

/// What an objective does at prediction time: how `base_score` becomes the starting margin, and
/// how the summed margin becomes what `Booster.predict` returns.
///
/// Every step is `float` arithmetic with the C library's `expf`/`logf`, in the order XGBoost
/// (3.2, checked by `scripts/xgboost_reference.py`) performs it, so outputs agree to the bit on the
/// same platform rather than merely to a tolerance.
enum XGBoostObjective: Sendable, Equatable {
    /// Regression objectives whose prediction is the margin itself.
    case identity
    /// `binary:logistic`, `reg:logistic`: base_score is a probability; output is the sigmoid.
    case logistic
    /// `binary:logitraw`: margin out, and base_score is already a margin (XGBoost ≥ 1.3).
    case logitRaw
    /// `count:poisson`, `reg:gamma`, `reg:tweedie`: base_score is a mean; output is `expf`.
    case logLink
    /// `binary:hinge`: 1 when the margin is positive, else 0.
    case hinge
    /// `multi:softprob`: one probability per class.
    case softprob
    /// `multi:softmax`: the index of the most likely class.
    case softmax

    static let namesByObjective: [String: XGBoostObjective] = [
        "reg:squarederror": .identity, "reg:linear": .identity, "reg:squaredlogerror": .identity,
        "reg:pseudohubererror": .identity, "reg:absoluteerror": .identity, "reg:quantileerror": .identity,
        "binary:logistic": .logistic, "reg:logistic": .logistic,
        "binary:logitraw": .logitRaw,
        "count:poisson": .logLink, "reg:gamma": .logLink, "reg:tweedie": .logLink,
        "binary:hinge": .hinge,
        "multi:softprob": .softprob, "multi:softmax": .softmax,
    ]

    init(name: String) throws {
        guard let objective = Self.namesByObjective[name] else {
            let supported = Self.namesByObjective.keys.sorted().joined(separator: ", ")
            throw XGBoostModelError.unsupported("unsupported objective '\(name)'; supported: \(supported)")
        }
        self = objective
    }

    var isMulticlass: Bool { self == .softprob || self == .softmax }

    /// Values written per row for a model with `groupCount` output groups.
    func outputsPerRow(groupCount: Int) -> Int {
        self == .softmax ? 1 : groupCount
    }

    /// The margin every row starts from. XGBoost stores base_score in the objective's output
    /// space and converts it once when the model is loaded (`ProbToMargin`).
    func baseMargin(_ baseScore: Float) -> Float {
        switch self {
        case .logistic: return -logf(1 / baseScore - 1)
        case .logLink: return logf(baseScore)
        case .identity, .logitRaw, .hinge, .softprob, .softmax: return baseScore
        }
    }

    /// Turns `rowCount × groupCount` margins into `rowCount × outputsPerRow` predictions.
    func transform(margins: UnsafePointer<Float>, rowCount: Int, groupCount: Int, into output: UnsafeMutablePointer<Float>) {
        let count = rowCount * groupCount
        switch self {
        case .identity, .logitRaw:
            output.update(from: margins, count: count)
        case .logistic:
            // common::Sigmoid: 1 / (1 + expf(-x)), all in float.
            for index in 0..<count { output[index] = 1 / (1 + expf(-margins[index])) }
        case .logLink:
            for index in 0..<count { output[index] = expf(margins[index]) }
        case .hinge:
            for index in 0..<count { output[index] = margins[index] > 0 ? 1 : 0 }
        case .softprob:
            for row in 0..<rowCount {
                Self.softmax(margins + row * groupCount, groupCount, into: output + row * groupCount)
            }
        case .softmax:
            for row in 0..<rowCount {
                output[row] = Float(Self.firstMaximum(margins + row * groupCount, groupCount))
            }
        }
    }

    /// common::Softmax: `expf(x - max)` in float, summed into a double, each divided by the sum
    /// rounded back to float. Summing in float instead is off by an ulp on some rows.
    private static func softmax(_ margins: UnsafePointer<Float>, _ count: Int, into output: UnsafeMutablePointer<Float>) {
        var largest = margins[0]
        for index in 1..<max(count, 1) { largest = fmaxf(margins[index], largest) }
        var sum = 0.0
        for index in 0..<count {
            let exponential = expf(margins[index] - largest)
            output[index] = exponential
            sum += Double(exponential)
        }
        let total = Float(sum)
        for index in 0..<count { output[index] /= total }
    }

    /// The first index holding the largest margin, as `multi:softmax` reports it.
    private static func firstMaximum(_ margins: UnsafePointer<Float>, _ count: Int) -> Int {
        var best = 0
        for index in 1..<max(count, 1) where margins[index] > margins[best] { best = index }
        return best
    }
}
