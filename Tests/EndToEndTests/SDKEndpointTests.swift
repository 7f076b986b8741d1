import Foundation
import Testing

/// The SageMaker Python SDK against `inferlab serve`, with nothing but `inferlab env`'s variables:
/// the lesson's Transformer (SDK v2, and v3's `sagemaker.core.transformer`), Predictor and
/// AsyncPredictor. Each script fails if the SDK opens a socket off loopback.
@Suite(.serialized)
struct SDKEndpointTests {
    static let rows = "25,50000,2\n35,60000,3\n45,45000,1\n"

    /// The lesson's code runs unchanged: its default bucket from the kit's SDK config (no STS at
    /// AWS's address), a real transform job, the same predictions as the shell's `predict`.
    @Test(arguments: ["v2", "v3"]) func theSDKsTransformerRunsTheLesson(sdk: String) throws {
        let server = try EndpointServer(environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        let folder = try Self.modelAndRows(server)
        let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/sdk_transformer.py")
        let result = try server.client(["python", script.path, sdk], extra: ["SAGEMAKER_SUPPRESS_V2_WARNING": "1"],
                                       venv: sdk == "v3" ? EndpointServer.sdk3Venv : EndpointServer.venv)
        #expect(result.status == 0, "\(result.error.suffix(2000))")
        let seen = try Self.lastJSON(result)
        #expect(seen["default_bucket"] as? String == "sagemaker-us-east-1-123456789012")
        #expect(seen["off_loopback"] as? [String] == [], "the SDK tried to reach \(seen["off_loopback"] ?? "")")
        let scores = (seen["scores"] as? [String] ?? []).compactMap(Double.init)
        let expected = try Self.predictions(server, folder)
        #expect(scores.count == 3 && scores == expected, "SDK \(sdk) \(scores) against predict \(expected)")
        let requests = try server.runner.run(["requests", "--last", "50"])
        #expect(requests.output.contains("sagemaker.CreateTransformJob") && requests.output.contains("sagemaker.DescribeTransformJob"),
                "the job went over the endpoint: \(requests.output)")
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
    }

    /// Predictor.predict on a real-time endpoint and AsyncPredictor.predict_async / predict on an
    /// async one give the model's own predictions; boto3 tags the endpoint.
    @Test func theSDKsPredictorsInvokeRealTimeAndAsyncEndpoints() throws {
        let server = try EndpointServer(environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        let folder = try Self.modelAndRows(server)
        let setup = try server.runner.run([], input: """
            aws s3 cp \(folder.path)/data.csv s3://loan-lab/async-input/request-1.csv
            aws sagemaker create-endpoint-config --endpoint-config-name rt-config --production-variants VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1
            aws sagemaker create-endpoint-config --endpoint-config-name async-config --production-variants VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1 --async-inference-config 'OutputConfig={S3OutputPath=s3://loan-lab/async-output/}'
            aws sagemaker create-endpoint --endpoint-name loan-rt --endpoint-config-name rt-config
            aws sagemaker create-endpoint --endpoint-name loan-async --endpoint-config-name async-config
            aws sagemaker wait endpoint-in-service --endpoint-name loan-rt
            aws sagemaker wait endpoint-in-service --endpoint-name loan-async
            """, environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        #expect(setup.status == 0, "\(setup.error)")
        let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/sdk_predictors.py")
        let result = try server.client(["python", script.path], extra: ["SAGEMAKER_SUPPRESS_V2_WARNING": "1"])
        #expect(result.status == 0, "\(result.error.suffix(2000))")
        let seen = try Self.lastJSON(result)
        let expected = try Self.predictions(server, folder)
        func scores(_ key: String) -> [Double] { (seen[key] as? [String] ?? []).compactMap { Double($0.trimmingCharacters(in: .punctuationCharacters)) } }
        #expect(scores("realtime") == expected, "Predictor \(seen["realtime"] ?? "") against predict \(expected)")
        #expect(scores("async") == expected, "AsyncPredictor.predict_async \(seen["async"] ?? "")")
        #expect(scores("async_blocking") == expected, "AsyncPredictor.predict \(seen["async_blocking"] ?? "")")
        #expect((seen["output_path"] as? String)?.hasPrefix("s3://loan-lab/async-output/") == true, "\(seen["output_path"] ?? "")")
        #expect((seen["tags"] as? [[String: String]]) == [["Key": "course", "Value": "async"]], "\(seen["tags"] ?? "")")
        #expect(seen["off_loopback"] as? [String] == [], "the SDK tried to reach \(seen["off_loopback"] ?? "")")
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
    }

    /// batch-at-scale's SDK script starts the step's job: the settings its checks read.
    @Test func theBatchAtScaleSDKScriptMakesTheStepsJob() throws {
        let server = try EndpointServer(environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        let folder = try Self.modelAndRows(server)
        for shard in 0..<8 {
            let copied = try server.runner.run(["aws", "s3", "cp", folder.appendingPathComponent("data.csv").path, "s3://loan-lab/scale-input/part-0000\(shard).csv"])
            #expect(copied.status == 0, "\(copied.error)")
        }
        let script = BinaryRunner.packageRoot.appendingPathComponent("labs/batch-at-scale/scripts/transform_sdk.py")
        let result = try server.client(["python", script.path])
        #expect(result.status == 0 && result.output.contains("loan-scale-1: Completed"), "\(result.output) \(result.error.suffix(1500))")
        let described = try server.runner.run(["aws", "sagemaker", "describe-transform-job", "--transform-job-name", "loan-scale-1"])
        let job = try #require(try JSONSerialization.jsonObject(with: Data(described.output.utf8)) as? [String: Any], "\(described.output)")
        #expect(job["MaxConcurrentTransforms"] as? Int == 2 && job["MaxPayloadInMB"] as? Int == 1 && job["BatchStrategy"] as? String == "MultiRecord")
        #expect((job["TransformResources"] as? [String: Any])?["InstanceCount"] as? Int == 4)
        #expect((job["TransformOutput"] as? [String: Any])?["AssembleWith"] as? String == "Line")
        let listed = try server.runner.run(["aws", "s3", "ls", "s3://loan-lab/scale-output/"])
        #expect(listed.output.split(separator: "\n").filter { $0.hasSuffix(".out") }.count == 8, "\(listed.output)")
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
    }

    /// A bucket, the sample XGBoost model as `loan-xgb`, and the lesson's three rows at
    /// s3://loan-lab/batch-input/data.csv; returns the local folder holding data.csv.
    static func modelAndRows(_ server: EndpointServer) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-sdk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(rows.utf8).write(to: folder.appendingPathComponent("data.csv"))
        let setup = try server.runner.run([], input: """
            aws s3 mb s3://loan-lab
            aws s3 cp datasets/models/xgboost/model.tar.gz s3://loan-lab/models/xgboost/model.tar.gz
            aws s3 cp \(folder.path)/data.csv s3://loan-lab/batch-input/data.csv
            aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz --execution-role-arn arn:aws:iam::123456789012:role/SageMakerRole
            """)
        #expect(setup.status == 0, "\(setup.error)")
        return folder
    }

    /// The shell's `predict` of data.csv: the model's own scores.
    static func predictions(_ server: EndpointServer, _ folder: URL) throws -> [Double] {
        let predicted = try server.runner.run(["predict", "--model-name", "loan-xgb", "--body", "fileb://\(folder.path)/data.csv", "--content-type", "text/csv"])
        return predicted.output.split(whereSeparator: \.isNewline).compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    static func lastJSON(_ result: BinaryRunner.Result) throws -> [String: Any] {
        let line = result.output.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(result.output) \(result.error.suffix(1500))")
    }
}
