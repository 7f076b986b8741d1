import Foundation
import Testing
@testable import InferLabEngine

/// The Swift XGBoost runtime against the real library: `scripts/xgboost_reference.py` trains
/// models with `xgboost` (installed by `scripts/setup.sh --test`) and records its predictions;
/// every model must load from JSON and UBJSON and agree to 1e-6 on every output.
struct XGBoostTests {
    /// The cases the reference script writes; `allReferenceCasesAreChecked` keeps this in step.
    static let referenceCases = [
        "binary_logistic", "reg_squarederror_base_score", "reg_logistic", "multi_softprob", "deep_binary",
        "multi_softmax", "binary_logitraw", "binary_hinge", "count_poisson", "reg_gamma", "reg_tweedie",
        "random_forest", "dart_regression", "dart_softprob", "gblinear_regression", "gblinear_softprob",
    ]

    @Test(arguments: referenceCases)
    func matchesRealXGBoost(_ name: String) throws {
        let reference = try XGBoostReference.shared.get()
        let entry = try #require(reference.cases[name], "the reference script wrote no case \(name)")
        let input = try reference.matrix("\(name)-input.csv")
        let expected = try reference.matrix("\(name)-expected.csv")

        for format in ["json", "ubj"] {
            let data = try reference.file("\(name).\(format)")
            let model = format == "json" ? try XGBoostModel.load(json: data) : try XGBoostModel.load(ubjson: data)
            #expect(try XGBoostModel.load(data: data).outputsPerRow == model.outputsPerRow)
            #expect(model.objective == entry.objective)
            #expect(model.featureCount == entry.features)
            #expect(model.outputsPerRow == entry.outputs)

            var output = [Float](repeating: .nan, count: input.rows.count * model.outputsPerRow)
            let flat = input.rows.flatMap { $0 }
            flat.withUnsafeBufferPointer { features in
                output.withUnsafeMutableBufferPointer { output in
                    model.predict(features, rowCount: input.rows.count, into: output)
                }
            }
            var worst: (difference: Float, row: Int) = (0, -1)
            for (row, expectedRow) in expected.rows.enumerated() {
                for (column, value) in expectedRow.enumerated() {
                    let difference = abs(output[row * model.outputsPerRow + column] - value)
                    if !(difference <= worst.difference) { worst = (difference, row) }
                }
            }
            #expect(worst.difference <= 1e-6, "\(name).\(format): max |Swift − xgboost| = \(worst.difference) at row \(worst.row)")
            #expect(model.predict(rows: Array(input.rows.prefix(5))).flatMap { $0 } == Array(output.prefix(5 * model.outputsPerRow)))
        }
    }

    @Test func allReferenceCasesAreChecked() throws {
        let reference = try XGBoostReference.shared.get()
        let scored = Set(reference.cases.values.filter { $0.expectError == nil }.map(\.name))
        #expect(scored == Set(Self.referenceCases))
    }

    @Test func categoricalSplitsAreRefusedByName() throws {
        let reference = try XGBoostReference.shared.get()
        for format in ["json", "ubj"] {
            let data = try reference.file("categorical.\(format)")
            let error = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(data: data) }
            #expect(error.message.contains("categorical split"), "\(error.message)")
        }
    }

    @Test func truncatedFilesSayWhereTheyBreak() throws {
        let reference = try XGBoostReference.shared.get()
        let json = try reference.file("binary_logistic.json")
        let cut = json.count / 2
        let jsonError = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(json: json.prefix(cut)) }
        #expect(jsonError.message.hasPrefix("the model file is not valid JSON: "), "\(jsonError.message)")
        #expect(jsonError.message.contains("end of data at byte"), "\(jsonError.message)")

        let ubjson = try reference.file("binary_logistic.ubj")
        let ubjsonError = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(ubjson: ubjson.prefix(ubjson.count / 2)) }
        #expect(ubjsonError.message.hasPrefix("the model file is not valid UBJSON: "), "\(ubjsonError.message)")
    }

    @Test func corruptJSONGivesAClearError() throws {
        let cases: [(String, String)] = [
            ("{\"learner\": {\"objective\": [1, 2,, 3]}}", "the model file is not valid JSON: unexpected character ',' at byte 32"),
            ("{\"learner\": tru}", "the model file is not valid JSON: unexpected character 't' at byte 12"),
            ("{\"learner\": {}} trailing", "the model file is not valid JSON: unexpected content after the end of the document at byte 16"),
            ("", "the model file is not valid JSON: unexpected end of data at byte 0"),
        ]
        for (text, message) in cases {
            let error = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(json: Data(text.utf8)) }
            #expect(error.message == message)
        }
        let notAModel = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(data: Data("binf\u{0}\u{0}".utf8)) }
        #expect(notAModel.message.contains("neither XGBoost JSON nor UBJSON"))
    }

    @Test func missingFieldsAreNamedByPath() throws {
        var model = Self.threeFeatureModel
        model = model.replacingOccurrences(of: "\"gradient_booster\"", with: "\"something_else\"")
        let error = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(json: Data(model.utf8)) }
        #expect(error.message == "the model file is not XGBoost JSON: missing learner.gradient_booster")

        let noSplits = Self.threeFeatureModel.replacingOccurrences(of: "\"split_conditions\"", with: "\"x\"")
        let treeError = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(json: Data(noSplits.utf8)) }
        #expect(treeError.message == "the model file is not XGBoost JSON: missing learner.gradient_booster.model.trees[0].split_conditions")
    }

    @Test func unsupportedObjectiveIsNamed() throws {
        let model = Self.threeFeatureModel.replacingOccurrences(of: "reg:squarederror", with: "rank:pairwise")
        let error = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(json: Data(model.utf8)) }
        #expect(error.message.hasPrefix("unsupported objective 'rank:pairwise'; supported: "), "\(error.message)")
        #expect(error.message.contains("binary:logistic") && error.message.contains("multi:softprob"))
    }

    @Test func unsupportedBoosterIsNamed() throws {
        let model = Self.threeFeatureModel.replacingOccurrences(of: "\"name\": \"gbtree\"", with: "\"name\": \"gbforest\"")
        let error = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(json: Data(model.utf8)) }
        #expect(error.message == "unsupported booster 'gbforest'; supported: gbtree, dart, gblinear")
    }

    @Test func splitOnAFeatureTheModelDoesNotHaveIsRefused() throws {
        let model = Self.threeFeatureModel.replacingOccurrences(of: "\"split_indices\": [2,", with: "\"split_indices\": [3,")
        let error = try #require(throws: XGBoostModelError.self) { try XGBoostModel.load(json: Data(model.utf8)) }
        #expect(error.message.contains("splits on feature 3, but the model has 3 features"), "\(error.message)")
    }

    @Test func aThreeFeatureModelReportsThreeFeatures() throws {
        let model = try XGBoostModel.load(json: Data(Self.threeFeatureModel.utf8))
        #expect(model.featureCount == 3)
        #expect(model.outputsPerRow == 1)
        #expect(model.objective == "reg:squarederror")
        // base_score 0.5; feature 2 < 1.5 goes left (+1), else right (+2); missing goes right.
        let predictions = model.predict(rows: [[0, 0, 1], [0, 0, 1.5], [9, 9, .nan], [0, 0, -Float.infinity]])
        #expect(predictions == [[1.5], [2.5], [2.5], [1.5]])
    }

    /// A one-tree model written by hand in XGBoost 3's JSON layout.
    static let threeFeatureModel = """
    {"learner": {
      "learner_model_param": {"base_score": "[5E-1]", "num_class": "0", "num_feature": "3", "num_target": "1"},
      "objective": {"name": "reg:squarederror"},
      "gradient_booster": {"name": "gbtree", "model": {
        "tree_info": [0],
        "trees": [{
          "left_children": [1, -1, -1], "right_children": [2, -1, -1],
          "split_indices": [2, 0, 0], "split_conditions": [1.5, 1.0, 2.0],
          "default_left": [0, 0, 0], "split_type": [0, 0, 0],
          "tree_param": {"num_nodes": "3", "size_leaf_vector": "1"}
        }]
      }}
    }, "version": [3, 2, 0]}
    """
}

/// The output of one run of `scripts/xgboost_reference.py`, shared by every test in the process.
struct XGBoostReference: Sendable {
    struct Case: Decodable, Sendable {
        let name: String
        let objective: String
        let features: Int
        let outputs: Int?
        let expectError: String?

        enum CodingKeys: String, CodingKey {
            case name, objective, features, outputs
            case expectError = "expect_error"
        }
    }

    struct Matrix {
        let rows: [[Float]]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let cases: [String: Case]
    /// Every file the script wrote, by name, read into memory so the folder can go at once.
    let files: [String: Data]

    /// Runs the script once, on first use, into a temporary folder it then removes. It fails (never skips) when python3 or xgboost is
    /// missing: `make test` installs them through `scripts/setup.sh --test`.
    static let shared: Result<XGBoostReference, Failure> = {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = packageRoot.appendingPathComponent("scripts/xgboost_reference.py")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xgboost-reference-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, directory.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return .failure(Failure(description: "cannot run python3: \(error)"))
        }
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(Failure(description: "scripts/xgboost_reference.py failed (run scripts/setup.sh --test to install xgboost):\n\(log)"))
        }
        struct Manifest: Decodable { let cases: [Case] }
        do {
            let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
            var files = [String: Data]()
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
            }
            return .success(XGBoostReference(cases: Dictionary(uniqueKeysWithValues: manifest.cases.map { ($0.name, $0) }),
                                             files: files))
        } catch {
            return .failure(Failure(description: "cannot read the reference manifest: \(error)"))
        }
    }()

    func file(_ name: String) throws -> Data {
        guard let data = files[name] else { throw Failure(description: "the reference script wrote no \(name)") }
        return data
    }

    /// A CSV of floats; an empty field or `nan` is a missing value.
    func matrix(_ file: String) throws -> Matrix {
        let text = String(decoding: try self.file(file), as: UTF8.self)
        let rows = try text.split(separator: "\n").map { line in
            try line.split(separator: ",", omittingEmptySubsequences: false).map { field -> Float in
                if field.isEmpty || field == "nan" { return .nan }
                guard let value = Float(field) else { throw Failure(description: "\(file): '\(field)' is not a number") }
                return value
            }
        }
        return Matrix(rows: rows)
    }
}
