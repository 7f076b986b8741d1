import Foundation
import Synchronization

/// Reads a training job's metrics from its log, as SageMaker does: each metric definition's
/// regex is tried on every line, its first capture group is the value, and the last value of each
/// metric is its final one (`FinalMetricDataList`). The built-in algorithms come with their own
/// definitions: XGBoost's evaluation lines (`[9]#011train-logloss:0.3#011validation-auc:0.8`
/// give `train:logloss` and `validation:auc`), Linear Learner's `#quality_metric:` lines.
final class MetricScraper: Sendable {
    private struct Definition: @unchecked Sendable {  // NSRegularExpression is immutable and thread-safe
        let name: String
        let regex: NSRegularExpression
    }

    private let definitions: [Definition]
    private let readsXGBoostEvaluations: Bool
    private let found = Mutex<[(name: String, value: Double, time: Date)]>([])

    /// - Throws: a client error naming a definition whose regex does not compile.
    init(definitions: [MetricDefinition], xgboostEvaluations: Bool = false) throws {
        self.definitions = try definitions.map { definition in
            do {
                return Definition(name: definition.name, regex: try NSRegularExpression(pattern: definition.regex))
            } catch {
                throw TrainingFailure.client("the regex of metric \(definition.name), \(definition.regex), is not a valid regular expression")
            }
        }
        readsXGBoostEvaluations = xgboostEvaluations
    }

    /// Linear Learner's metric lines, as its algorithm defines them.
    static let linearLearnerDefinitions: [MetricDefinition] = {
        let metrics = ["objective_loss", "binary_classification_accuracy", "binary_f_beta", "precision", "recall", "roc_auc_score",
                       "rmse", "mse", "absolute_loss"]
        return ["train", "validation", "test"].flatMap { channel in
            metrics.filter { channel != "train" || $0 == "objective_loss" }.map { metric in
                let prefix: String = #"#quality_metric: host=\S+, "#
                let suffix: String = #" <\S+>=(\S+)"#
                return MetricDefinition(name: "\(channel):\(metric)", regex: prefix + channel + " " + metric + suffix)
            }
        }
    }()

    /// Reads one log line (as the log shows it: tabs as `#011`).
    func read(_ line: String, at time: Date) {
        var values: [(String, Double)] = []
        let range = NSRange(line.startIndex..., in: line)
        for definition in definitions {
            guard let match = definition.regex.firstMatch(in: line, range: range), match.numberOfRanges > 1,
                  let group = Range(match.range(at: 1), in: line), let value = Double(line[group]), value.isFinite else { continue }
            values.append((definition.name, value))
        }
        if readsXGBoostEvaluations, line.hasPrefix("["), line.contains("]#011") {
            for field in line.components(separatedBy: "#011").dropFirst() {
                guard let dash = field.firstIndex(of: "-"), let colon = field.lastIndex(of: ":"), dash < colon,
                      let value = Double(field[field.index(after: colon)...].trimmingCharacters(in: .whitespaces)), value.isFinite else { continue }
                values.append(("\(field[..<dash]):\(field[field.index(after: dash)..<colon])", value))
            }
        }
        guard !values.isEmpty else { return }
        found.withLock { found in
            for (name, value) in values {
                if let index = found.firstIndex(where: { $0.name == name }) {
                    found[index] = (name, value, time)
                } else {
                    found.append((name, value, time))
                }
            }
        }
    }

    /// The last value of each metric seen, in the order they first appeared (at most 40, AWS's limit).
    var finalMetrics: [MetricData] {
        found.withLock { $0.prefix(40).map { MetricData(metricName: $0.name, value: $0.value, timestamp: $0.time) } }
    }
}
