import Foundation
import Testing

/// Issue 13, finding 5: ESC and BEL bytes in a learner's CSV never reach the terminal or an error
/// object raw: they are shown as `\x1b` and `\x07`.
@Suite(.serialized)
struct ControlCharacterTests {
    @Test func escapeAndBellInACSVFieldAreShownEscaped() throws {
        let runner = BinaryRunner()
        let hostile = runner.workspace.appendingPathExtension("hostile.csv")
        // ESC [2J clears the screen, ESC ]0;… sets the window title, BEL rings.
        try Data("25,\u{1B}[2J\u{1B}]0;owned\u{07},2\n".utf8).write(to: hostile)
        defer { try? FileManager.default.removeItem(at: hostile) }
        let script = """
            aws s3 mb s3://loan-lab
            aws s3 cp datasets/models/xgboost/model.tar.gz s3://loan-lab/models/xgboost/model.tar.gz
            aws s3 cp \(hostile.path) s3://loan-lab/in/hostile.csv
            aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
            aws sagemaker create-endpoint-config --endpoint-config-name rt --production-variants VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1
            aws sagemaker create-endpoint-config --endpoint-config-name async --production-variants VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1 --async-inference-config 'OutputConfig={S3OutputPath=s3://loan-lab/out/,S3FailurePath=s3://loan-lab/err/}'
            aws sagemaker create-endpoint --endpoint-name loan-rt --endpoint-config-name rt
            aws sagemaker create-endpoint --endpoint-name loan-async --endpoint-config-name async
            aws sagemaker wait endpoint-in-service --endpoint-name loan-rt
            aws sagemaker wait endpoint-in-service --endpoint-name loan-async
            """
        let setup = try runner.run([], input: script, environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        #expect(setup.status == 0, "\(setup.error)")

        // The printed message of a real-time invocation.
        let realTime = try runner.run(["aws", "sagemaker-runtime", "invoke-endpoint", "--endpoint-name", "loan-rt",
                                       "--body", "fileb://\(hostile.path)", "--content-type", "text/csv", runner.workspace.appendingPathExtension("out").path])
        #expect(realTime.status != 0)
        #expect(realTime.error.contains(#"'\x1b[2J\x1b]0;owned\x07' is not a number"#), "\(realTime.error)")
        #expect(!realTime.error.contains("\u{1B}") && !realTime.error.contains("\u{07}"))

        // The error object of an async invocation, and its notification's failure reason.
        let async = try runner.run(["aws", "sagemaker-runtime", "invoke-endpoint-async", "--endpoint-name", "loan-async",
                                    "--input-location", "s3://loan-lab/in/hostile.csv", "--content-type", "text/csv"])
        #expect(async.status == 0, "\(async.error)")
        let failure = try #require(async.output.split(separator: "\n").first { $0.contains("\"FailureLocation\"") }?
            .split(separator: "\"").first { $0.hasPrefix("s3://") }.map(String.init))
        let key = String(failure.dropFirst("s3://loan-lab/".count))
        let waited = try runner.run(["aws", "s3api", "wait", "object-exists", "--bucket", "loan-lab", "--key", key])
        #expect(waited.status == 0, "\(waited.error)")
        let object = try Data(contentsOf: runner.workspace.appendingPathComponent("buckets/loan-lab/\(key)"))
        let text = String(decoding: object, as: UTF8.self)
        #expect(text.contains(#"'\x1b[2J\x1b]0;owned\x07' is not a number"#), "\(text)")
        #expect(!object.contains(0x1B) && !object.contains(0x07))
    }
}
