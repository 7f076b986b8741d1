#if canImport(Glibc)
import Glibc
#endif
import Foundation
import InferLabEngine
import Testing

/// Training jobs through the real clients: boto3 (and its training_job_completed_or_stopped
/// waiter) and the SageMaker SDK's Estimator and SKLearn against `inferlab serve`, the shell's
/// commands, and a job whose `inferlab` is killed mid-script.
@Suite(.serialized)
struct TrainingEndToEndTests {
    static let python = EndpointServer.venv.appendingPathComponent("bin/python").path
    static let environment = ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0", "INFERLAB_PYTHON": python]
    static let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/sdk_training.py")

    /// Labelled loan rows (label first, no header) at s3://loan-lab/train/ and /validation/.
    static func uploadData(_ runner: BinaryRunner) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-training-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runner.run([], input: """
            aws s3 mb s3://loan-lab
            datasets generate --rows 300 --seed 5 --with-label --output \(folder.path)/train.csv
            datasets generate --rows 100 --seed 6 --with-label --output \(folder.path)/validation.csv
            aws s3 cp \(folder.path)/train.csv s3://loan-lab/train/train.csv
            aws s3 cp \(folder.path)/validation.csv s3://loan-lab/validation/validation.csv
            """, environment: environment)
        #expect(result.status == 0, "\(result.error)")
    }

    /// The files of an archive in the workspace's S3.
    static func archive(_ runner: BinaryRunner, _ uri: String) throws -> [String: Data] {
        let local = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-archive-\(UUID().uuidString).tar.gz")
        defer { try? FileManager.default.removeItem(at: local) }
        let copied = try runner.run(["aws", "s3", "cp", uri, local.path])
        #expect(copied.status == 0, "\(copied.error)")
        return try ModelArchive.read(try Data(contentsOf: local))
    }

    @Test func boto3TrainsWithTheBuiltInXGBoostAndItsWaiter() throws {
        let server = try EndpointServer(environment: Self.environment)
        try Self.uploadData(server.runner)
        let result = try server.client(["python", Self.script.path, "boto3"])
        #expect(result.status == 0, "\(result.error.suffix(2000))")
        let seen = try SDKEndpointTests.lastJSON(result)
        #expect(seen["status"] as? String == "Completed")
        #expect(seen["secondary"] as? [String] == ["Starting", "Downloading", "Training", "Uploading", "Completed"])
        #expect(seen["metrics"] as? [String] == ["train:logloss", "validation:logloss"])
        #expect(seen["model"] as? String == "s3://loan-lab/training-output/boto3-xgb/output/model.tar.gz")
        #expect((seen["billable"] as? Int ?? 0) >= 1 && seen["start_is_datetime"] as? String == "datetime")
        #expect(seen["listed"] as? [String] == ["boto3-xgb"])
        #expect(seen["tags"] as? [[String: String]] == [["Key": "course", "Value": "training"]])
        #expect(seen["duplicate"] as? [String] == ["ResourceInUse", "Training job names must be unique within an AWS account and region, and a training job with this name already exists (arn:aws:sagemaker:us-east-1:123456789012:training-job/boto3-xgb)"])
        #expect(seen["unknown"] as? [String] == ["ValidationException", "Requested resource not found."])
        #expect(seen["stop_ended"] as? [String] == ["ValidationException", "The request was rejected because the training job is in status Completed."])
        #expect((seen["waiter_unknown"] as? String)?.contains("Waiter encountered a terminal failure state") == true, "\(seen["waiter_unknown"] ?? "")")
        #expect((seen["streams"] as? [String])?.first?.hasPrefix("boto3-xgb/algo-1-") == true, "\(seen["streams"] ?? "")")
        #expect(seen["off_loopback"] as? [String] == [] && server.offLoopback.isEmpty)

        // The kit serves what the job wrote.
        let served = try server.runner.run([], input: """
            aws sagemaker create-model --model-name trained --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/training-output/boto3-xgb/output/model.tar.gz
            predict --model-name trained --body fileb://datasets/loans/data.csv --content-type text/csv
            """)
        #expect(served.status == 0 && served.output.split(separator: "\n").filter { Double($0) != nil }.count == 3, "\(served.output) \(served.error)")
    }

    @Test func theSDKsEstimatorTrainsLinearLearner() throws {
        let server = try EndpointServer(environment: Self.environment)
        try Self.uploadData(server.runner)
        let result = try server.client(["python", Self.script.path, "linear-learner"], extra: ["SAGEMAKER_SUPPRESS_V2_WARNING": "1"])
        #expect(result.status == 0, "\(result.error.suffix(3000))")
        let seen = try SDKEndpointTests.lastJSON(result)
        #expect(seen["image"] as? String == "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1")
        let job = seen["job"] as? String ?? ""
        #expect(seen["model_data"] as? String == "s3://loan-lab/sdk-output/\(job)/output/model.tar.gz")
        #expect((seen["metrics"] as? [String])?.contains("validation:binary_classification_accuracy") == true, "\(seen["metrics"] ?? "")")
        // fit() printed the job's log and its bill, as on AWS.
        #expect(result.output.contains("#quality_metric: host=algo-1, train objective_loss") && result.output.contains("Billable seconds:"), "\(result.output.suffix(2000))")
        #expect(try Self.archive(server.runner, seen["model_data"] as? String ?? "").keys.contains(LinearLearnerModel.artifactFileName))
        #expect(seen["off_loopback"] as? [String] == [] && server.offLoopback.isEmpty)
    }

    @Test func theSDKsSKLearnRunsTheLearnersScriptAndItsModelIsUploaded() throws {
        let server = try EndpointServer(environment: Self.environment)
        try Self.uploadData(server.runner)
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-source-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: source) }
        try """
            import argparse, os
            import joblib, pandas as pd
            from sklearn.linear_model import LogisticRegression
            if __name__ == "__main__":
                parser = argparse.ArgumentParser()
                parser.add_argument("-C", type=float)
                parser.add_argument("--solver")
                parser.add_argument("--model-dir", default=os.environ["SM_MODEL_DIR"])
                parser.add_argument("--train", default=os.environ["SM_CHANNEL_TRAIN"])
                args = parser.parse_args()
                frame = pd.read_csv(os.path.join(args.train, "train.csv"), header=None)
                model = LogisticRegression(C=args.C, solver=args.solver).fit(frame.iloc[:, 1:], frame.iloc[:, 0])
                print("accuracy", model.score(frame.iloc[:, 1:], frame.iloc[:, 0]))
                joblib.dump(model, os.path.join(args.model_dir, "model.joblib"))
            """.write(to: source.appendingPathComponent("train.py"), atomically: true, encoding: .utf8)
        let result = try server.client(["python", Self.script.path, "sklearn", source.path], extra: ["SAGEMAKER_SUPPRESS_V2_WARNING": "1"])
        #expect(result.status == 0, "\(result.error.suffix(3000))")
        let seen = try SDKEndpointTests.lastJSON(result)
        #expect(seen["status"] as? String == "Completed")
        #expect(seen["image"] as? String == "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3")
        let hyperparameters = seen["hyperparameters"] as? [String: String] ?? [:]
        #expect(hyperparameters["sagemaker_program"] == "\"train.py\"" && hyperparameters["C"] == "0.5", "\(hyperparameters)")
        #expect(result.output.contains("accuracy 0."), "the script's output is in fit()'s log: \(result.output.suffix(1500))")
        #expect(Array(try Self.archive(server.runner, seen["model_data"] as? String ?? "").keys) == ["model.joblib"])
        #expect(seen["off_loopback"] as? [String] == [] && server.offLoopback.isEmpty)
    }

    /// The kit killed mid-script: the script dies with it (no orphan process), a one-shot command
    /// leaves the job alone, and the waiter takes it up and runs it to its end.
    @Test func aKilledKitTakesItsScriptAlongAndAWaiterFinishesTheJob() throws {
        let runner = BinaryRunner()
        try Self.uploadData(runner)
        let code = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-code-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: code, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: code) }
        try """
            import os, subprocess, sys, time
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
            with open(os.path.join(os.environ["SM_OUTPUT_DATA_DIR"], "child"), "w") as out:
                out.write(str(child.pid))
            with open(os.path.join(os.environ["SM_OUTPUT_DATA_DIR"], "pid"), "w") as out:
                out.write(str(os.getpid()))
            time.sleep(3)
            open(os.path.join(os.environ["SM_MODEL_DIR"], "model.txt"), "w").write("trained")
            """.write(to: code.appendingPathComponent("train.py"), atomically: true, encoding: .utf8)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "czf", code.appendingPathComponent("sourcedir.tar.gz").path, "-C", code.path, "train.py"]
        try tar.run()
        tar.waitUntilExit()
        #expect(try runner.run(["aws", "s3", "cp", code.appendingPathComponent("sourcedir.tar.gz").path, "s3://loan-lab/code/sourcedir.tar.gz"]).status == 0)

        let owner = Process()
        owner.executableURL = BinaryRunner.binary
        owner.arguments = ["--workspace", runner.workspace.path]
        owner.environment = ProcessInfo.processInfo.environment.merging(Self.environment) { $1 }
        let input = Pipe()
        owner.standardInput = input
        owner.standardOutput = FileHandle.nullDevice
        owner.standardError = FileHandle.nullDevice
        try owner.run()
        input.fileHandleForWriting.write(Data("""
            aws sagemaker create-training-job --training-job-name killed --role-arn arn:aws:iam::123456789012:role/SageMakerRole --algorithm-specification TrainingImage=sklearn,TrainingInputMode=File --hyper-parameters 'sagemaker_program="train.py",sagemaker_submit_directory="s3://loan-lab/code/sourcedir.tar.gz"' --input-data-config 'ChannelName=train,DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://loan-lab/train/}}' --output-data-config S3OutputPath=s3://loan-lab/out/ --resource-config InstanceType=ml.m5.large,InstanceCount=1
            aws sagemaker wait training-job-completed-or-stopped --training-job-name killed

            """.utf8))
        try input.fileHandleForWriting.close()
        let pidFile = runner.workspace.appendingPathComponent(".inferlab/training/killed/algo-1/opt/ml/output/data/pid")
        let deadline = Date().addingTimeInterval(30)
        while (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap({ Int32($0) }) == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let script = Int32((try? String(contentsOf: pidFile, encoding: .utf8)) ?? "") ?? 0
        let child = Int32((try? String(contentsOf: pidFile.deletingLastPathComponent().appendingPathComponent("child"), encoding: .utf8)) ?? "") ?? 0
        #expect(script > 0 && child > 0, "the script and the process it started run")
        kill(owner.processIdentifier, SIGKILL)
        owner.waitUntilExit()
        for (pid, what) in [(script, "the script"), (child, "the process the script started")] {
            var gone = false
            for _ in 0..<150 where !gone {
                gone = kill(pid, 0) != 0 || Self.isZombie(pid)
                if !gone { Thread.sleep(forTimeInterval: 0.02) }
            }
            #expect(gone, "\(what) (pid \(pid)) died with the kit")
        }

        let described = try runner.run(["aws", "sagemaker", "describe-training-job", "--training-job-name", "killed", "--query", "TrainingJobStatus", "--output", "text"])
        #expect(described.output.trimmingCharacters(in: .whitespacesAndNewlines) == "InProgress", "a one-shot command adopts nothing")
        let waited = try runner.run(["aws", "sagemaker", "wait", "training-job-completed-or-stopped", "--training-job-name", "killed"], environment: Self.environment)
        #expect(waited.status == 0, "\(waited.error)")
        let log = try runner.run(["aws", "logs", "tail", "/aws/sagemaker/TrainingJobs", "--log-stream-name-prefix", "killed"])
        #expect(log.output.contains("Instance lost: the process running this job (pid \(owner.processIdentifier)) ended."), "\(log.output)")
        #expect(try Self.archive(runner, "s3://loan-lab/out/killed/output/model.tar.gz")["model.txt"] == Data("trained".utf8))
    }

    /// A process that has ended but that nobody reaped yet (`Z` in /proc/PID/stat).
    static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
