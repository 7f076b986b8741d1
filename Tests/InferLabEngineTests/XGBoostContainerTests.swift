import Foundation
import Testing
@testable import InferLabEngine

struct XGBoostContainerTests {
    private func container() throws -> any InferenceContainer {
        let engine = try engineWithSampleModel()
        _ = try engine.sagemaker.createModel(xgboostModelInput("loan-xgb"))
        return try engine.sagemaker.container(forModel: "loan-xgb")
    }

    private let rows = Data("25,50000,2\n35,60000,3\n".utf8)

    private func text(_ response: ContainerResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func outputEncodingsFollowTheContainer() throws {
        let model = try container()
        let csv = text(try model.invoke(body: rows, contentType: "text/csv", accept: nil, mode: .endpoint))
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 2 && csv.hasSuffix("\n"))
        let json = text(try model.invoke(body: rows, contentType: "text/csv", accept: "application/json", mode: .endpoint))
        #expect(json == #"{"predictions": [{"score": \#(lines[0])}, {"score": \#(lines[1])}]}"#)
        let jsonLines = text(try model.invoke(body: rows, contentType: "text/csv", accept: "application/jsonlines", mode: .endpoint))
        #expect(jsonLines == "{\"score\": \(lines[0])}\n{\"score\": \(lines[1])}\n")
        // Batch transform writes one prediction per line whatever the Accept.
        let batch = text(try model.invoke(body: rows, contentType: "text/csv", accept: "application/json", mode: .batchTransform))
        #expect(batch == csv)
    }

    @Test func libsvmIsTheDefaultContentType() throws {
        let model = try container()
        let csv = try model.invoke(body: rows, contentType: "text/csv", accept: nil, mode: .endpoint)
        let libsvm = try model.invoke(body: Data("0 0:25 1:50000 2:2\n0 0:35 1:60000 2:3\n".utf8), contentType: nil, accept: nil, mode: .endpoint)
        #expect(libsvm == csv)
    }

    @Test func errorsUseTheContainersStatusesAndMessages() throws {
        let model = try container()
        #expect(throws: ContainerError(status: 415, message: "Content-type application/x-image is not supported.")) {
            try model.invoke(body: rows, contentType: "application/x-image", accept: nil, mode: .endpoint)
        }
        #expect(throws: ContainerError(status: 406, message: "Accept type text/html is not supported.")) {
            try model.invoke(body: rows, contentType: "text/csv", accept: "text/html", mode: .endpoint)
        }
        #expect(throws: ContainerError(status: 400, message: "Unable to evaluate payload provided: Feature size of csv inference data 4 is not consistent with feature size of trained model 3.")) {
            try model.invoke(body: Data("1,25,50000,2\n".utf8), contentType: "text/csv", accept: nil, mode: .endpoint)
        }
        #expect { try model.invoke(body: Data("25,abc,2\n".utf8), contentType: "text/csv", accept: nil, mode: .endpoint) } throws: {
            ($0 as? ContainerError)?.message == "Unable to evaluate payload provided: record 1, field 2: 'abc' is not a number"
        }
        #expect(try model.invoke(body: Data(), contentType: "text/csv", accept: nil, mode: .endpoint).body.isEmpty)
    }

    /// The 1,000-row batch file scores as the real xgboost scores it (the reference is computed
    /// by python3 with xgboost, which `make test` installs).
    @Test func batchPredictionsEqualTheRealXGBoost() throws {
        let root = sampleXGBoostArtifact.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let input = root.appendingPathComponent("datasets/loans/batch-1000.csv")
        let script = """
        import io, sys, tarfile, numpy as np, xgboost as xgb
        member = tarfile.open(sys.argv[1]).extractfile("xgboost-model").read()
        booster = xgb.Booster(); booster.load_model(bytearray(member))
        x = np.loadtxt(sys.argv[2], delimiter=",", dtype=np.float64, ndmin=2)
        print("\\n".join(repr(float(v)) for v in booster.predict(xgb.DMatrix(x))))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, sampleXGBoostArtifact.path, input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let reference = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").compactMap { Double($0) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 with xgboost is needed: run `make test`")
        let ours = String(decoding: try container().invoke(body: Data(contentsOf: input), contentType: "text/csv", accept: nil,
                                                           mode: .batchTransform).body, as: UTF8.self)
            .split(separator: "\n").compactMap { Double($0) }
        #expect(ours.count == 1_000)
        #expect(reference.count == 1_000)
        let worst = zip(ours, reference).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-6, "largest difference \(worst)")
    }
}
