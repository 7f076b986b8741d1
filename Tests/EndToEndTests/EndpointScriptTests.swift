#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// The async and real-time lessons in script mode, and the queue's durability under kill -9.
@Suite(.serialized)
struct EndpointScriptTests {
    static let setup = """
        aws s3 mb s3://loan-lab
        aws s3 cp datasets/models/xgboost/model.tar.gz s3://loan-lab/models/xgboost/model.tar.gz
        """

    private func outputLocations(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard line.contains("\"OutputLocation\"") else { return nil }
            return line.split(separator: "\"").dropLast().last.map(String.init)
        }
    }

    private func key(_ uri: String) -> String { String(uri.dropFirst("s3://loan-lab/".count)) }

    @Test func theAsyncLessonInScriptMode() throws {
        let runner = BinaryRunner()
        let script = Self.setup + """

            aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
            aws sagemaker create-endpoint-config --endpoint-config-name async-config --production-variants VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1 --async-inference-config 'OutputConfig={S3OutputPath=s3://loan-lab/async-output/,S3FailurePath=s3://loan-lab/async-failures/}'
            aws sagemaker create-endpoint --endpoint-name loan-async --endpoint-config-name async-config
            aws sagemaker wait endpoint-in-service --endpoint-name loan-async
            aws s3 cp datasets/loans/async s3://loan-lab/async-input/ --recursive
            aws sagemaker-runtime invoke-endpoint-async --endpoint-name loan-async --input-location s3://loan-lab/async-input/request-1.csv --content-type text/csv
            aws sagemaker-runtime invoke-endpoint-async --endpoint-name loan-async --input-location s3://loan-lab/async-input/request-2.csv --content-type text/csv
            aws sagemaker-runtime invoke-endpoint-async --endpoint-name loan-async --input-location s3://loan-lab/async-input/request-3.csv --content-type text/csv
            aws sagemaker-runtime invoke-endpoint-async --endpoint-name loan-async --input-location s3://loan-lab/async-input/malformed.csv --content-type text/csv
            """
        let result = try runner.run([], input: script, environment: ["INFERLAB_PROVISIONING_SECONDS": "0.1", "INFERLAB_STARTUP_SECONDS": "0"])
        #expect(result.status == 0, "\(result.error)")
        let outputs = outputLocations(result.output)
        #expect(outputs.count == 4)
        let waits = outputs.prefix(3).map { "aws s3api wait object-exists --bucket loan-lab --key \(key($0))" }.joined(separator: "\n")
        #expect(try runner.script(waits).status == 0)
        for (index, output) in outputs.prefix(3).enumerated() {
            let body = try String(contentsOf: runner.workspace.appendingPathComponent("buckets/loan-lab/\(key(output))"), encoding: .utf8)
            let rows = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("datasets/loans/async/request-\(index + 1).csv"), encoding: .utf8)
                .split(separator: "\n").count
            let scores = body.split(separator: "\n").compactMap { Double($0) }
            #expect(scores.count == rows && scores.allSatisfy { (0...1).contains($0) }, "\(output): \(body)")
        }
        let failure = outputs[3].replacingOccurrences(of: "async-output/", with: "async-failures/").replacingOccurrences(of: ".out", with: "-error.out")
        #expect(try runner.script("aws s3api wait object-exists --bucket loan-lab --key \(key(failure))").status == 0)
        let error = try String(contentsOf: runner.workspace.appendingPathComponent("buckets/loan-lab/\(key(failure))"), encoding: .utf8)
        #expect(error.contains("is not a number"))
    }

    @Test func aRealTimeInvokeOfTheLessonRowsReturnsThreeScores() throws {
        let runner = BinaryRunner()
        let script = Self.setup + """

            aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
            aws sagemaker create-endpoint-config --endpoint-config-name rt-config --production-variants VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1
            aws sagemaker create-endpoint --endpoint-name loan-rt --endpoint-config-name rt-config
            aws sagemaker wait endpoint-in-service --endpoint-name loan-rt
            aws sagemaker-runtime invoke-endpoint --endpoint-name loan-rt --body fileb://datasets/loans/data.csv --content-type text/csv \(runner.workspace.path)/predictions.csv
            """
        let result = try runner.run([], input: script, environment: ["INFERLAB_PROVISIONING_SECONDS": "0.1", "INFERLAB_STARTUP_SECONDS": "0"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("\"InvokedProductionVariant\": \"AllTraffic\""))
        let scores = try String(contentsOf: runner.workspace.appendingPathComponent("predictions.csv"), encoding: .utf8)
            .split(separator: "\n").compactMap { Double($0) }
        #expect(scores.count == 3)
    }

    /// 500 queued requests, the draining process killed with SIGKILL midway, a new process
    /// finishing: exactly 500 results, none lost, none duplicated, none torn.
    @Test func killDuringADrainLosesAndDuplicatesNothing() throws {
        let runner = BinaryRunner()
        let environment = ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"]
        var script = Self.setup + """

            aws sagemaker create-model --model-name slow --primary-container 'Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz,Environment={INFERLAB_MODEL_LATENCY_MS=15}'
            aws sagemaker create-endpoint-config --endpoint-config-name c --production-variants VariantName=AllTraffic,ModelName=slow,InstanceType=ml.m5.large,InitialInstanceCount=1 --async-inference-config 'ClientConfig={MaxConcurrentInvocationsPerInstance=2},OutputConfig={S3OutputPath=s3://loan-lab/out/,S3FailurePath=s3://loan-lab/err/}'
            aws sagemaker create-endpoint --endpoint-name drain --endpoint-config-name c
            aws sagemaker wait endpoint-in-service --endpoint-name drain
            aws s3 cp datasets/loans/data.csv s3://loan-lab/in/data.csv

            """
        script += String(repeating: "aws sagemaker-runtime invoke-endpoint-async --endpoint-name drain --input-location s3://loan-lab/in/data.csv --content-type text/csv\n", count: 500)
        let queued = try runner.run([], input: script, environment: environment)
        #expect(queued.status == 0, "\(queued.error)")
        let expected = Set(outputLocations(queued.output).map { key($0) })
        #expect(expected.count == 500)

        let outputFolder = runner.workspace.appendingPathComponent("buckets/loan-lab/out")
        func outputs() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: outputFolder.path)) ?? []).sorted() }
        // A drainer: a process that stays up (waiting for an object that never comes) while its workers drain.
        func startDrainer() throws -> Process {
            let process = Process()
            process.executableURL = BinaryRunner.binary
            process.arguments = ["--workspace", runner.workspace.path, "-c", "aws s3api wait object-exists --bucket loan-lab --key never"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try process.run()
            return process
        }
        let first = try startDrainer()
        let start = outputs().count
        #expect(eventually(timeout: 30) { outputs().count >= start + 50 || outputs().count >= 450 })
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let afterKill = outputs().count
        #expect(afterKill < 500, "the kill came before the drain finished")

        let second = try startDrainer()
        #expect(eventually(timeout: 60) { outputs().count >= 500 })
        Thread.sleep(forTimeInterval: 0.3)
        kill(second.processIdentifier, SIGKILL)
        second.waitUntilExit()

        let written = Set(outputs().map { "out/" + $0 })
        #expect(written == expected, "exactly the 500 promised outputs, no more, no fewer")
        let errors = (try? FileManager.default.contentsOfDirectory(atPath: runner.workspace.appendingPathComponent("buckets/loan-lab/err").path)) ?? []
        #expect(errors.isEmpty)
        for name in outputs().prefix(500) {
            let scores = try String(contentsOf: outputFolder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
            #expect(scores.count == 3, "\(name) is whole")
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: runner.workspace.appendingPathComponent("buckets/.incoming").path)) ?? []
        #expect(leftovers.count <= 2, "at most the killed writers' temporary files, which the next start removes")
    }
}

func eventually(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return condition()
}
