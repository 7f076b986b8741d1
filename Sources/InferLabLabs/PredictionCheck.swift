import Foundation
import InferLabEngine

/// Recomputes a model's predictions for an input object and compares them with an output object,
/// so a check (or an instructor's verify) never trusts what the learner's output claims.
struct PredictionCheck {
    let state: any LabState

    func mismatch(model: String, input: String, output: String, contentType: String, tolerance: Double, idColumn: Bool) throws -> String? {
        guard let inputLocation = S3Location(input), let outputLocation = S3Location(output) else { return "bad URIs" }
        guard let inputData = state.objectData(bucket: inputLocation.bucket, key: inputLocation.key) else { return "there is no input \(input)" }
        guard let outputData = state.objectData(bucket: outputLocation.bucket, key: outputLocation.key) else { return "there is no output \(output)" }
        var ids: [String] = []
        var body = inputData
        if idColumn {
            var features: [String] = []
            for line in String(decoding: inputData, as: UTF8.self).split(separator: "\n") where !line.isEmpty {
                let fields = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
                ids.append(String(fields[0]))
                features.append(fields.count > 1 ? String(fields[1]) : "")
            }
            body = Data((features.joined(separator: "\n") + "\n").utf8)
        }
        let expected = try state.predictions(model: model, csv: body, contentType: contentType)
        let lines = String(decoding: outputData, as: UTF8.self).split(separator: "\n").filter { !$0.isEmpty }
        guard lines.count == expected.count else { return "\(output) has \(lines.count) line(s); the model gives \(expected.count) prediction(s)" }
        for (index, line) in lines.enumerated() {
            var scoreText = Substring(line)
            if idColumn {
                let parts = line.split(separator: ",", omittingEmptySubsequences: false)
                guard parts.count == 2, String(parts[0]) == ids[index] else {
                    return "line \(index + 1) of \(output) should be \(ids[index]),<score>, not '\(line)'"
                }
                scoreText = parts[1]
            }
            guard let score = Double(scoreText.trimmingCharacters(in: .whitespaces)) else { return "line \(index + 1) of \(output) is not a number: '\(line)'" }
            if abs(score - expected[index]) > tolerance {
                return "line \(index + 1) of \(output) is \(score), but the model predicts \(expected[index])"
            }
        }
        return nil
    }
}
