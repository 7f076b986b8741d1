import Foundation
import Testing
@testable import InferLabEngine

// MARK: - Fixtures

/// SplitMix64: the tests' data is the same on every machine.
private struct SeededRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }
    mutating func integer(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
}

/// Loan-like rows (age, income, loans) labelled by a logistic rule with a strong signal.
private func classificationCSV(rows: Int, seed: UInt64) -> Data {
    var random = SeededRandom(state: seed)
    var text = ""
    for _ in 0..<rows {
        let age = random.integer(18...80)
        let income = random.integer(150...4000) * 100
        let loans = random.integer(0...6)
        let logit = 0.08 * Double(age - 45) + 0.00004 * Double(income - 150_000) - 1.6 * Double(loans - 3)
        let label = random.unit() < 1 / (1 + exp(-logit)) ? 1 : 0
        text += "\(label),\(age),\(income),\(loans)\n"
    }
    return Data(text.utf8)
}

private let regressionTruth = (intercept: 5.0, weights: [0.3, -0.00001, 2.0])

/// y = 5 + 0.3·age − 0.00001·income + 2·loans + small noise.
private func regressionCSV(rows: Int, seed: UInt64) -> Data {
    var random = SeededRandom(state: seed)
    var text = ""
    for _ in 0..<rows {
        let x = [Double(random.integer(18...80)), Double(random.integer(150...4000) * 100), Double(random.integer(0...6))]
        var y = regressionTruth.intercept + random.uniform(-0.1, 0.1)
        for (index, value) in x.enumerated() { y += regressionTruth.weights[index] * value }
        text += "\(y),\(Int(x[0])),\(Int(x[1])),\(Int(x[2]))\n"
    }
    return Data(text.utf8)
}

/// A hand-made model: means 0 and scales 1, so the weights are plain coefficients.
private func plainModel(_ type: LinearLearnerModel.PredictorType, weights: [Double], bias: Double) throws -> LinearLearnerModel {
    try LinearLearnerModel(predictorType: type, featureMeans: weights.map { _ in 0 }, featureScales: weights.map { _ in 1 },
                           weights: weights, bias: bias)
}

private func invoke(_ container: LinearLearnerContainer, _ body: String, contentType: String?, accept: String? = nil,
                    mode: InvocationMode = .endpoint) throws -> (String, String) {
    let response = try container.invoke(body: Data(body.utf8), contentType: contentType, accept: accept, mode: mode)
    return (String(decoding: response.body, as: UTF8.self), response.contentType)
}

private func containerError(_ body: () throws -> Any) -> ContainerError? {
    do {
        _ = try body()
        return nil
    } catch let error as ContainerError {
        return error
    } catch {
        return nil
    }
}

private func learnerError(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as LinearLearnerError {
        return error.message
    } catch {
        return "unexpected \(type(of: error)): \(error)"
    }
}

private let validArtifact = """
    {"format": "inferlab-linear-learner", "version": 1, "predictor_type": "binary_classifier", "feature_count": 3,
     "feature_means": [1, 2, 3], "feature_scales": [1, 1, 2], "weights": [0.5, -0.25, 1], "bias": 0.1,
     "binary_threshold": 0.5, "training": {"note": "hand-made", "rows": 3}}
    """

/// `validArtifact` with one field's JSON text replaced, removed (nil) or added.
private func artifact(replacing field: String, with value: String?) -> Data {
    var members = [
        ("format", #""inferlab-linear-learner""#), ("version", "1"), ("predictor_type", #""binary_classifier""#),
        ("feature_count", "3"), ("feature_means", "[1, 2, 3]"), ("feature_scales", "[1, 1, 2]"),
        ("weights", "[0.5, -0.25, 1]"), ("bias", "0.1"), ("binary_threshold", "0.5"),
    ]
    if let index = members.firstIndex(where: { $0.0 == field }) {
        if let value { members[index].1 = value } else { members.remove(at: index) }
    } else if let value {
        members.append((field, value))
    }
    return Data(("{" + members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}").utf8)
}

// MARK: - Training

@Suite struct LinearLearnerTrainingTests {
    @Test func trainingIsDeterministic() throws {
        let train = classificationCSV(rows: 3000, seed: 7)
        let validation = classificationCSV(rows: 1000, seed: 8)
        let first = try LinearLearnerTrainer.train(csv: train, validation: validation, options: .init(predictorType: .binaryClassifier))
        let second = try LinearLearnerTrainer.train(csv: train, validation: validation, options: .init(predictorType: .binaryClassifier))
        #expect(first.artifact == second.artifact)
        #expect(!first.artifact.isEmpty)
        let firstArchive = try ModelArchive.write(files: [LinearLearnerModel.artifactFileName: first.artifact])
        let secondArchive = try ModelArchive.write(files: [LinearLearnerModel.artifactFileName: second.artifact])
        #expect(firstArchive == secondArchive)
        // Different data gives a different model.
        let other = try LinearLearnerTrainer.train(csv: classificationCSV(rows: 3000, seed: 9), options: .init(predictorType: .binaryClassifier))
        #expect(other.artifact != first.artifact)
    }

    @Test func classifierLearnsASeparableRule() throws {
        let result = try LinearLearnerTrainer.train(
            csv: classificationCSV(rows: 5000, seed: 1), validation: classificationCSV(rows: 2000, seed: 2),
            options: .init(predictorType: .binaryClassifier))
        let metrics = try #require(result.validationMetrics)
        #expect(metrics.rows == 2000)
        #expect(metrics.metrics.map(\.name) == ["accuracy", "auc", "log_loss", "precision", "recall"])
        #expect(try #require(metrics["accuracy"]) > 0.85)
        #expect(try #require(metrics["auc"]) > 0.9)
        #expect(try #require(metrics["log_loss"]) < 0.4)
        #expect(try #require(metrics["precision"]) > 0.8)
        #expect(try #require(metrics["recall"]) > 0.8)
        #expect(result.converged)
        #expect(result.iterations >= 2 && result.iterations < 50)
        // The true rule raises the odds with age and income and lowers them with loans.
        let weights = result.model.weights
        #expect(weights[0] > 0 && weights[1] > 0 && weights[2] < 0)
        // The training summary is in the artifact.
        let training = try #require(result.model.training)
        #expect(training["rows"]?.number == 5000)
        #expect(training["validation_rows"]?.number == 2000)
        #expect(training["validation_metrics"]?["auc"]?.number == metrics["auc"])
    }

    @Test func regressorRecoversKnownCoefficients() throws {
        let result = try LinearLearnerTrainer.train(
            csv: regressionCSV(rows: 4000, seed: 3), validation: regressionCSV(rows: 1000, seed: 4),
            options: .init(predictorType: .regressor))
        let model = result.model
        #expect(model.predictorType == .regressor)
        // Undo the standardization: coefficient_i = w_i / scale_i, intercept = bias − Σ coefficient_i · mean_i.
        var intercept = model.bias
        for index in 0..<3 {
            let coefficient = model.weights[index] / model.featureScales[index]
            let truth = regressionTruth.weights[index]
            #expect(abs(coefficient - truth) <= abs(truth) * 0.01, "coefficient \(index): \(coefficient) vs \(truth)")
            intercept -= coefficient * model.featureMeans[index]
        }
        #expect(abs(intercept - regressionTruth.intercept) < 0.05, "intercept \(intercept)")
        let metrics = try #require(result.validationMetrics)
        #expect(metrics.metrics.map(\.name) == ["rmse", "mae", "r2"])
        #expect(try #require(metrics["rmse"]) < 0.1)
        #expect(try #require(metrics["mae"]) < 0.1)
        #expect(try #require(metrics["r2"]) > 0.999)
        // A regressor's artifact has no threshold.
        #expect(!String(decoding: result.artifact, as: UTF8.self).contains("binary_threshold"))
    }

    @Test func badTrainingDataIsNamedByFileLineAndColumn() {
        let options = LinearLearnerTrainer.Options(predictorType: .binaryClassifier)
        func failure(_ csv: String) -> String? {
            learnerError { try LinearLearnerTrainer.train(csv: Data(csv.utf8), name: "train.csv", options: options) }
        }
        #expect(failure("1,2,3\n0,4,5\n1,6,abc\n") == "train.csv line 3, column 3: 'abc' is not a number")
        #expect(failure("1,2,3\n0,4,\n") == "train.csv line 2, column 3: an empty field is not a number")
        #expect(failure("approved,age,income\n1,2,3\n")?.hasPrefix("train.csv line 1, column 1: 'approved' is not a number (is the first line a header?") == true)
        #expect(failure("1,2,3\n0,4,5,6\n") == "train.csv line 2 has 4 columns but line 1 has 3 (the label, then 2 features)")
        #expect(failure("1,2\n2,4\n") == "train.csv line 2, column 1: the label is '2'; a binary_classifier needs labels 0 and 1")
        #expect(failure("1,2\n1,4\n")?.contains("needs rows of both labels") == true)
        #expect(failure("1,2\n\n0,4\n") == "train.csv line 2 is empty; remove blank lines between rows")
        #expect(failure("1\n0\n")?.contains("line 1 has only one column") == true)
        #expect(failure("\n\n")?.contains("no rows") == true)
        // Trailing blank lines and CRLF are fine.
        #expect(failure("1,2\r\n0,4\r\n\r\n\n") == nil)
        // The validation file must have the training data's columns.
        let mismatch = learnerError {
            try LinearLearnerTrainer.train(csv: Data("1,2,3\n0,4,5\n".utf8), validation: Data("1,2\n".utf8),
                                           validationName: "validation.csv", options: options)
        }
        #expect(mismatch == "validation.csv line 1 has 2 columns but train.csv has 3 (the label, then 2 features)")
    }

    @Test func metricsAreExact() throws {
        let model = try plainModel(.binaryClassifier, weights: [1], bias: 0)
        // Scores 0.1, 0.4, 0.35, 0.8 for labels 0, 0, 1, 1: 3 of the 4 positive/negative pairs are ordered.
        #expect(LinearLearnerMetrics.auc(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]) == 0.75)
        // A tie counts half.
        #expect(LinearLearnerMetrics.auc(scores: [0.5, 0.5, 0.9], labels: [0, 1, 1]) == 0.75)
        #expect(LinearLearnerMetrics.auc(scores: [0.2, 0.3], labels: [1, 1]).isNaN)
        let metrics = LinearLearnerMetrics.classification(scores: [0.9, 0.6, 0.3, 0.2], labels: [1, 0, 1, 0], model: model)
        #expect(metrics["accuracy"] == 0.5)
        #expect(metrics["precision"] == 0.5)
        #expect(metrics["recall"] == 0.5)
        let expectedLogLoss = -(log(Double(Float(0.9))) + log(1 - Double(Float(0.6))) + log(Double(Float(0.3))) + log(1 - Double(Float(0.2)))) / 4
        #expect(abs(try #require(metrics["log_loss"]) - expectedLogLoss) < 1e-12)
        let regression = LinearLearnerMetrics.regression(predictions: [1, 2, 3], labels: [1, 2, 5])
        #expect(regression["mae"] == 2.0 / 3)
        #expect(regression["rmse"] == (4.0 / 3).squareRoot())
        // Mean 8/3: total sum of squares 25/9 + 4/9 + 49/9.
        let r2 = try #require(regression["r2"])
        let expectedR2 = 1 - 4 / (78.0 / 9)
        #expect(abs(r2 - expectedR2) < 1e-12)
    }
}

// MARK: - Artifact

@Suite struct LinearLearnerArtifactTests {
    @Test func loadsAndScoresTheDocumentedFormula() throws {
        let model = try LinearLearnerModel.load(Data(validArtifact.utf8))
        #expect(model.featureCount == 3)
        #expect(model.predictorType == .binaryClassifier)
        #expect(model.binaryThreshold == 0.5)
        #expect(model.training?["note"] == .string("hand-made"))
        let x: [Float] = [2, 6, 1]
        var z: Double = 0.1
        z += 0.5 * ((2.0 - 1) / 1)
        z += -0.25 * ((6.0 - 2) / 1)
        z += 1 * ((1.0 - 3) / 2)
        let expected = Float(1 / (1 + exp(-z)))
        #expect(model.score(x) == expected)
        #expect(model.predictedLabel(score: model.score(x)) == 0)
    }

    @Test func writingIsCanonicalAndRoundTrips() throws {
        let model = try LinearLearnerModel.load(Data(validArtifact.utf8))
        let written = model.jsonData()
        let reloaded = try LinearLearnerModel.load(written)
        #expect(reloaded == model)
        #expect(reloaded.jsonData() == written)
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"format\": \"inferlab-linear-learner\",\n  \"version\": 1,\n  \"predictor_type\": \"binary_classifier\",\n"))
        #expect(text.contains("\n  \"weights\": [0.5, -0.25, 1],\n  \"bias\": 0.1,\n"))
        #expect(text.hasSuffix("  \"training\": {\n    \"note\": \"hand-made\",\n    \"rows\": 3\n  }\n}\n"))
        // Shortest round-trip text for every weight.
        let awkward = try LinearLearnerModel(predictorType: .regressor, featureMeans: [0.1 + 0.2], featureScales: [1e-7],
                                             weights: [1.0 / 3], bias: -2.5e300)
        let again = try LinearLearnerModel.load(awkward.jsonData())
        #expect(again == awkward)
        #expect(String(decoding: awkward.jsonData(), as: UTF8.self).contains("[0.30000000000000004]"))
    }

    @Test func validationNamesTheField() {
        func failure(_ field: String, _ value: String?) -> String? {
            learnerError { try LinearLearnerModel.load(artifact(replacing: field, with: value)) }
        }
        #expect(failure("weights", "[1, 2]") == "linear-learner-model.json: weights has 2 values but feature_count is 3")
        #expect(failure("feature_means", "[1, 2, 3, 4]") == "linear-learner-model.json: feature_means has 4 values but feature_count is 3")
        #expect(failure("feature_scales", "[1, 0, 2]") == "linear-learner-model.json: feature_scales[1] is 0.0; scales must be positive (use 1 for a feature that is not scaled)")
        #expect(failure("weights", #"[1, "2", 3]"#) == #"linear-learner-model.json: weights[1] must be a number, found the string "2""#)
        #expect(failure("bias", nil) == "linear-learner-model.json: missing field bias")
        #expect(failure("bias", "null") == "linear-learner-model.json: bias must be a number, found null")
        #expect(failure("format", #""xgboost""#) == #"linear-learner-model.json: format must be "inferlab-linear-learner", found the string "xgboost""#)
        #expect(failure("version", "2") == "linear-learner-model.json: version 2 is not supported; this InferLab reads version 1")
        #expect(failure("feature_count", "2.5") == "linear-learner-model.json: feature_count must be a whole number, found the number 2.5")
        #expect(failure("feature_count", "0") == "linear-learner-model.json: feature_count must be at least 1, found 0")
        #expect(failure("predictor_type", #""multiclass_classifier""#)?.contains("does not implement multiclass_classifier") == true)
        #expect(failure("binary_threshold", "1.5") == "linear-learner-model.json: binary_threshold is 1.5; it is a probability, from 0 to 1")
        #expect(failure("wieghts", "[1, 2, 3]")?.hasPrefix("linear-learner-model.json: unknown field 'wieghts'; the fields are format, version") == true)
        #expect(failure("training", "[]") == "linear-learner-model.json: training must be an object, found an array")
        #expect(failure("feature_means", "[1, 2, 1e999]") == "linear-learner-model.json: not valid JSON: a number too large for a 64-bit float at byte 136")
        #expect(learnerError { try LinearLearnerModel.load(Data(#"{"format": "inferlab-linear-learner", "version": 1,"#.utf8)) }
            == "linear-learner-model.json: not valid JSON: expected a quoted member name, found the end of the data at byte 52")
        #expect(learnerError { try LinearLearnerModel.load(Data("[1, 2]".utf8)) }?.contains("must hold one JSON object") == true)
        // A regressor has no threshold.
        let regressor = String(decoding: artifact(replacing: "predictor_type", with: #""regressor""#), as: UTF8.self)
        #expect(learnerError { try LinearLearnerModel.load(Data(regressor.utf8)) }?.contains("binary_threshold applies only to predictor_type \"binary_classifier\"") == true)
        #expect(failure("binary_threshold", nil) == nil)  // optional for a classifier
    }

    @Test func modelArchiveRoundTrip() throws {
        let result = try LinearLearnerTrainer.train(csv: classificationCSV(rows: 500, seed: 11), options: .init(predictorType: .binaryClassifier))
        let archive = try ModelArchive.write(files: [LinearLearnerModel.artifactFileName: result.artifact])
        #expect(archive.starts(with: [0x1F, 0x8B]))
        let files = try ModelArchive.read(archive)
        #expect(files == [LinearLearnerModel.artifactFileName: result.artifact])
        let container = try LinearLearnerContainer(archive: archive)
        #expect(container.model == result.model)
        // An archive without the artifact says what it holds.
        let wrong = try ModelArchive.write(files: ["xgboost-model": Data("{}".utf8)])
        let message = learnerError { try LinearLearnerContainer(archive: wrong) }
        #expect(message?.hasPrefix("model.tar.gz has no linear-learner-model.json at its top level (it holds xgboost-model)") == true)
    }

    @Test func pythonTarfileArchivesAreReadAndOursAreReadByPython() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-ll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try LinearLearnerTrainer.train(csv: regressionCSV(rows: 300, seed: 5), options: .init(predictorType: .regressor))
        try result.artifact.write(to: folder.appendingPathComponent(LinearLearnerModel.artifactFileName))
        try ModelArchive.write(files: [LinearLearnerModel.artifactFileName: result.artifact])
            .write(to: folder.appendingPathComponent("ours.tar.gz"))
        // Python writes PAX headers (a float mtime) and dynamic-Huffman gzip; "./" names as `tar -C dir .` does.
        let script = """
            import os, sys, tarfile, json
            folder = sys.argv[1]
            name = "linear-learner-model.json"
            with tarfile.open(os.path.join(folder, "python.tar.gz"), "w:gz", compresslevel=9) as tar:
                tar.add(os.path.join(folder, name), arcname=name)
            with tarfile.open(os.path.join(folder, "dotted.tar.gz"), "w:gz") as tar:
                tar.add(os.path.join(folder, name), arcname="./" + name)
            with tarfile.open(os.path.join(folder, "ours.tar.gz"), "r:gz") as tar:
                names = tar.getnames()
                body = tar.extractfile(name).read()
            original = open(os.path.join(folder, name), "rb").read()
            print(json.dumps({"names": names, "same": body == original, "type": json.loads(body)["predictor_type"]}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, folder.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: output, as: UTF8.self) == #"{"names": ["linear-learner-model.json"], "same": true, "type": "regressor"}"# + "\n")
        for name in ["python.tar.gz", "dotted.tar.gz"] {
            let archive = try Data(contentsOf: folder.appendingPathComponent(name))
            let container = try LinearLearnerContainer(archive: archive)
            #expect(container.model == result.model, "\(name)")
        }
    }
}

// MARK: - Serving

@Suite struct LinearLearnerContainerTests {
    let classifier = LinearLearnerContainer(model: try! plainModel(.binaryClassifier, weights: [1, 0], bias: 0))
    let regressor = LinearLearnerContainer(model: try! plainModel(.regressor, weights: [2, 0.5], bias: 1))

    @Test func csvInJSONOut() throws {
        // sigmoid(0) = 0.5 reaches the threshold; sigmoid(−1000) underflows to 0.
        let (body, type) = try invoke(classifier, "0,5\n-1000,0\n", contentType: "text/csv")
        #expect(type == "application/json")
        #expect(body == #"{"predictions":[{"score":0.5,"predicted_label":1},{"score":0.0,"predicted_label":0}]}"#)
        let (regression, _) = try invoke(regressor, "1,2\n0.5,0", contentType: "text/csv; charset=utf-8", accept: "*/*")
        #expect(regression == #"{"predictions":[{"score":4.0},{"score":2.0}]}"#)
        // Spaces, CRLF, a byte-order mark and trailing blank lines are tolerated.
        let (tolerant, _) = try invoke(regressor, "\u{FEFF} 1 , 2\r\n0.5,0\r\n\r\n", contentType: "text/csv", accept: "application/json")
        #expect(tolerant == regression)
    }

    @Test func scoresAreShortestFloatText() throws {
        let (body, _) = try invoke(classifier, "2,0\n", contentType: "text/csv", accept: "application/jsonlines")
        let expected = Float(1 / (1 + exp(-2.0)))
        #expect(body == "{\"score\":\(expected),\"predicted_label\":1}\n")
        #expect(body == "{\"score\":0.8807971,\"predicted_label\":1}\n")  // numpy: float32(0.8807971)
        let (tiny, _) = try invoke(regressor, "0.00001,-2\n", contentType: "text/csv", accept: "application/jsonlines")
        #expect(tiny == "{\"score\":2e-05}\n")
    }

    @Test func jsonShapesIn() throws {
        let plain = #"{"instances":[{"features":[1,2]},{"features":[0.5,0]}]}"#
        let data = #"{"instances":[{"data":{"features":{"shape":[2],"values":[1,2]}}},{"data":{"features":{"values":[5e-1,0.0]}}}]}"#
        let expected = #"{"predictions":[{"score":4.0},{"score":2.0}]}"#
        #expect(try invoke(regressor, plain, contentType: "application/json").0 == expected)
        #expect(try invoke(regressor, data, contentType: "application/json").0 == expected)
        // Other members are ignored; an empty instances list gives an empty list.
        let extra = #" {"configuration":{"k":[1,{"x":null}]},"instances":[{"id":"a1","features":[1,2]}]} "#
        #expect(try invoke(regressor, extra, contentType: "application/json").0 == #"{"predictions":[{"score":4.0}]}"#)
        #expect(try invoke(regressor, #"{"instances":[]}"#, contentType: "application/json").0 == #"{"predictions":[]}"#)
    }

    @Test func jsonLinesInAndOut() throws {
        let body = "{\"features\":[1,2]}\n{\"data\":{\"features\":{\"values\":[0.5,0]}}}\n[1,2]\n"
        let (out, type) = try invoke(regressor, body, contentType: "application/jsonlines", accept: "application/jsonlines")
        #expect(type == "application/jsonlines")
        #expect(out == "{\"score\":4.0}\n{\"score\":2.0}\n{\"score\":4.0}\n")
        let (labelled, _) = try invoke(classifier, "{\"features\":[0,1]}\n{\"features\":[-1000,1]}", contentType: "application/jsonlines",
                                      accept: "application/jsonlines")
        #expect(labelled == "{\"score\":0.5,\"predicted_label\":1}\n{\"score\":0.0,\"predicted_label\":0}\n")
        // JSON Lines in, JSON out.
        #expect(try invoke(regressor, body, contentType: "application/jsonlines").0 == #"{"predictions":[{"score":4.0},{"score":2.0},{"score":4.0}]}"#)
    }

    @Test func batchTransformIsEncodedLikeAnEndpoint() throws {
        for accept in [nil, "application/json", "application/jsonlines"] {
            let endpoint = try invoke(classifier, "0,1\n3,1\n", contentType: "text/csv", accept: accept, mode: .endpoint)
            let batch = try invoke(classifier, "0,1\n3,1\n", contentType: "text/csv", accept: accept, mode: .batchTransform)
            #expect(endpoint == batch)
        }
    }

    @Test func csvAcceptIsRefusedWithAHint() {
        let error = containerError { try invoke(classifier, "0,1\n", contentType: "text/csv", accept: "text/csv") }
        #expect(error?.status == 406)
        #expect(error?.message.hasPrefix("Accept type text/csv is not supported. Linear Learner has no CSV output") == true)
        #expect(error?.message.contains("application/jsonlines with AssembleWith Line") == true)
        #expect(containerError { try invoke(classifier, "0,1\n", contentType: "text/csv", accept: "application/x-recordio-protobuf") }?.status == 406)
        // The first type it can produce wins.
        #expect(containerError { try invoke(classifier, "0,1\n", contentType: "text/csv", accept: "text/csv, application/jsonlines") } == nil)
    }

    @Test func unknownContentTypeIs415() {
        for type in ["text/libsvm", "application/x-recordio-protobuf", "application/x-npy"] {
            let error = containerError { try invoke(classifier, "0,1\n", contentType: type) }
            #expect(error?.status == 415, "\(type)")
            #expect(error?.message.hasPrefix("Content-type \(type) is not supported.") == true)
        }
        #expect(containerError { try invoke(classifier, "0,1\n", contentType: nil) }?.status == 415)
        // 415 is reported before 406.
        #expect(containerError { try invoke(classifier, "0,1\n", contentType: "text/plain", accept: "text/csv") }?.status == 415)
    }

    @Test func featureCountMismatchNamesTheRecord() {
        let csv = containerError { try invoke(classifier, "0,1\n1,2,3\n", contentType: "text/csv") }
        #expect(csv == ContainerError(status: 400, message: "Unable to evaluate payload provided: record 2 has 3 features but the model was trained with 2 (is the label column still in the data? send the features only)"))
        let json = containerError { try invoke(classifier, #"{"instances":[{"features":[1,2]},{"features":[1,2]},{"features":[1]}]}"#, contentType: "application/json") }
        #expect(json == ContainerError(status: 400, message: "Unable to evaluate payload provided: record 3 has 1 feature but the model was trained with 2"))
        let lines = containerError { try invoke(classifier, "{\"features\":[1,2,3,4]}\n", contentType: "application/jsonlines") }
        #expect(lines?.status == 400)
        #expect(lines?.message == "Unable to evaluate payload provided: record 1 has 4 features but the model was trained with 2")
    }

    @Test func nonNumericFieldsAre400() {
        let csv = containerError { try invoke(classifier, "0,1\n1,abc\n", contentType: "text/csv") }
        #expect(csv == ContainerError(status: 400, message: "Unable to evaluate payload provided: record 2, feature 2: 'abc' is not a number"))
        let empty = containerError { try invoke(classifier, "0,\n", contentType: "text/csv") }
        #expect(empty?.message == "Unable to evaluate payload provided: record 1, feature 2: an empty field is not a number")
        let json = containerError { try invoke(classifier, #"{"instances":[{"features":[1,"x"]}]}"#, contentType: "application/json") }
        #expect(json?.message == #"Unable to evaluate payload provided: record 1, feature 2: '"x"' is not a number"#)
        let lines = containerError { try invoke(classifier, "{\"features\":[1,2]}\n{\"features\":[null,2]}\n", contentType: "application/jsonlines") }
        #expect(lines?.message == "Unable to evaluate payload provided: record 2, feature 1: 'null' is not a number")
        let nan = containerError { try invoke(classifier, "nan,1\n", contentType: "text/csv") }
        #expect(nan?.status == 400)
        let overflow = containerError { try invoke(classifier, "1e39,1\n", contentType: "text/csv") }
        #expect(overflow?.message == "Unable to evaluate payload provided: record 1, feature 1: '1e39' is not a number")
    }

    @Test func malformedPayloadsAre400() {
        func message(_ body: String, _ type: String) -> String? {
            containerError { try invoke(classifier, body, contentType: type) }.map { "\($0.status) \($0.message)" }
        }
        #expect(message("0,1\n\n1,1\n", "text/csv") == "400 Unable to evaluate payload provided: record 2 is an empty line; send one record per line, without blank lines between them")
        #expect(message("", "text/csv") == "400 Unable to evaluate payload provided: the request body is empty")
        #expect(message("\n \n", "application/json") == "400 Unable to evaluate payload provided: the request body is empty")
        #expect(message(#"{"instances":[{"features":[1,2]}"#, "application/json") == "400 Unable to evaluate payload provided: the body is not valid JSON: expected ',' or ']', found the end of the data at byte 33")
        #expect(message(#"{"features":[1,2]}"#, "application/json")?.hasPrefix(#"400 Unable to evaluate payload provided: the JSON body has no "instances" array"#) == true)
        #expect(message(#"{"instances":[{"id":1}]}"#, "application/json")?.hasPrefix(#"400 Unable to evaluate payload provided: record 1 has no "features""#) == true)
        #expect(message("{\"features\":[1,2]}\n{\"features\":[1,2]} x\n", "application/jsonlines") == "400 Unable to evaluate payload provided: record 2 is not valid JSON: unexpected 'x' after the end of the JSON value at byte 20 of the line")
    }

    @Test func decimalParsingMatchesTheStandardLibrary() {
        var random = SeededRandom(state: 42)
        var cases = ["0", "-0", "1", "+3", ".5", "5.", "-.25", "0.1", "3.4028235e38", "1e-40", "1.17549435e-38", "16777217",
                     "3.14159265358979323846264338327950288", "0.000000000000000000000000000001", "123456789012345678901234567890",
                     "1.00000005960464477539062500000001", "1.000000059604644775390625", "9007199254740993", "2.5E+3", "7e-46"]
        for _ in 0..<20_000 {
            var text = random.integer(0...1) == 0 ? "-" : ""
            let digits = random.integer(1...20)
            let point = random.integer(0...digits)
            for index in 0..<digits {
                if index == point && index > 0 { text += "." }
                text += String(random.integer(0...9))
            }
            if random.integer(0...2) == 0 { text += "e\(random.integer(-45...39))" }
            cases.append(text)
        }
        for text in cases {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { DecimalText.float($0, 0..<$0.count) }
            let standard = Float(text.hasPrefix("+") ? String(text.dropFirst()) : text.hasPrefix(".") ? "0" + text : text.hasPrefix("-.") ? "-0" + text.dropFirst() : text.hasSuffix(".") ? text + "0" : text)
            #expect(parsed?.bitPattern == standard?.bitPattern, "\(text)")
            let double = bytes.withUnsafeBufferPointer { DecimalText.double($0, 0..<$0.count) }
            let standardDouble = Double(text.hasPrefix("+") ? String(text.dropFirst()) : text.hasPrefix(".") ? "0" + text : text.hasPrefix("-.") ? "-0" + text.dropFirst() : text.hasSuffix(".") ? text + "0" : text)
            #expect(double?.bitPattern == standardDouble?.bitPattern, "\(text)")
        }
        for bad in ["", "-", ".", "abc", "1e", "1e+", "1.2.3", "0x10", "nan", "inf", "1,5", "--1"] {
            let bytes = Array(bad.utf8)
            #expect(bytes.withUnsafeBufferPointer { DecimalText.float($0, 0..<$0.count) } == nil, "\(bad)")
        }
    }

    @Test func servesATrainedModelConsistentlyWithTraining() throws {
        let validation = classificationCSV(rows: 400, seed: 21)
        let result = try LinearLearnerTrainer.train(csv: classificationCSV(rows: 2000, seed: 20), validation: validation,
                                                    options: .init(predictorType: .binaryClassifier))
        let container = LinearLearnerContainer(model: result.model)
        // The validation file without its label column, scored by the container, gives the reported accuracy.
        let lines = String(decoding: validation, as: UTF8.self).split(separator: "\n")
        let features = lines.map { $0.split(separator: ",", maxSplits: 1)[1] }.joined(separator: "\n")
        let (out, _) = try invoke(container, features, contentType: "text/csv", accept: "application/jsonlines", mode: .batchTransform)
        let predictions = out.split(separator: "\n")
        #expect(predictions.count == lines.count)
        var correct = 0
        for (line, prediction) in zip(lines, predictions) where prediction.hasSuffix("\"predicted_label\":\(line.first!)}") {
            correct += 1
        }
        #expect(Double(correct) / Double(lines.count) == result.validationMetrics?["accuracy"])
    }
}
