import Foundation
import Testing
@testable import InferLabEngine

/// Training jobs of the three kinds the kit runs: the built-in XGBoost algorithm (the real
/// xgboost), the built-in Linear Learner (the kit's trainer) and SKLearn script mode (the
/// learner's script on the course interpreter). Each writes a model.tar.gz the kit serves.
@Suite(.serialized)
struct TrainingJobTests {
    static let rows = "30,52000,1\n45,91000,0\n23,24000,4\n61,67000,2\n"

    @Test func theXGBoostAlgorithmTrainsAModelTheKitServesAsXGBoostPredicts() throws {
        let engine = try trainingEngine()
        let created = try engine.sagemaker.createTrainingJob(trainingJob(
            "loan-xgb-1", image: BuiltinAlgorithm.xgboost.exampleImage,
            hyperparameters: ["num_round": "12", "objective": "binary:logistic", "max_depth": "3", "eta": "0.3", "eval_metric": "logloss,auc"]))
        #expect(created.trainingJobArn == "arn:aws:sagemaker:us-east-1:123456789012:training-job/loan-xgb-1")
        let job = try waitForTraining(engine, "loan-xgb-1")
        #expect(job.trainingJobStatus == "Completed", "\(job.failureReason ?? "")")
        #expect(job.secondaryStatus == "Completed")
        #expect(job.secondaryStatusTransitions?.map(\.status) == ["Starting", "Downloading", "Training", "Uploading", "Completed"])
        #expect(job.modelArtifacts.s3ModelArtifacts == "s3://loan-lab/training-output/loan-xgb-1/output/model.tar.gz")
        let metrics = Dictionary(uniqueKeysWithValues: (job.finalMetricDataList ?? []).map { ($0.metricName, $0.value) })
        #expect(Set(metrics.keys) == ["train:logloss", "train:auc", "validation:logloss", "validation:auc"], "\(metrics)")
        #expect((metrics["validation:auc"] ?? 0) > 0.7 && (metrics["train:logloss"] ?? 1) < 0.69)
        #expect(job.trainingTimeInSeconds ?? 0 >= 1 && job.billableTimeInSeconds == job.trainingTimeInSeconds)
        let log = try trainingLog(engine, "loan-xgb-1")
        #expect(log.contains { $0.hasPrefix("[11]#011train-logloss:") }, "\(log)")

        // The kit's own XGBoost container serves it, and predicts what the Python xgboost predicts.
        let files = try archiveFiles(engine, job.modelArtifacts.s3ModelArtifacts)
        #expect(Array(files.keys) == ["xgboost-model"])
        _ = try engine.sagemaker.createModel(xgboostModelInput("trained-xgb", url: job.modelArtifacts.s3ModelArtifacts))
        let served = try engine.sagemaker.container(forModel: "trained-xgb")
            .invoke(body: Data(Self.rows.utf8), contentType: "text/csv", accept: nil, mode: .batchTransform).body
        let kit = String(decoding: served, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { Float($0) }
        let python = try Self.pythonPredictions(model: files["xgboost-model"]!, rows: Self.rows)
        #expect(kit.count == 4 && kit == python, "kit \(kit), xgboost \(python)")
    }

    @Test func theXGBoostAlgorithmRefusesWhatTheContainerRefuses() throws {
        let engine = try trainingEngine()
        _ = try engine.sagemaker.createTrainingJob(trainingJob("no-rounds", image: "xgboost", hyperparameters: ["objective": "binary:logistic"]))
        var job = try waitForTraining(engine, "no-rounds")
        #expect(job.trainingJobStatus == "Failed" && job.failureReason == "ClientError: Missing required hyperparameter: num_round", "\(job.failureReason ?? "")")
        #expect(job.secondaryStatus == "Failed")
        _ = try engine.sagemaker.createTrainingJob(trainingJob("extra-hp", image: "xgboost", hyperparameters: ["num_round": "2", "depth": "3"]))
        job = try waitForTraining(engine, "extra-hp")
        #expect(job.failureReason == "ClientError: Additional hyperparameters are not allowed ('depth' was unexpected)", "\(job.failureReason ?? "")")
        try put(engine, "s3://loan-lab/header/train.csv", "label,age,income,debts\n1,30,50000,1\n")
        var headed = trainingJob("csv-header", image: "xgboost", hyperparameters: ["num_round": "2"], validation: false)
        headed.inputDataConfig = [Channel(channelName: "train", s3Uri: "s3://loan-lab/header/", contentType: "text/csv")]
        _ = try engine.sagemaker.createTrainingJob(headed)
        job = try waitForTraining(engine, "csv-header")
        #expect(job.failureReason?.hasPrefix("ClientError: Failed to load csv data with exception:") == true, "\(job.failureReason ?? "")")
    }

    @Test func linearLearnerTrainsWithAWSsHyperparametersAndReportsItsMetricNames() throws {
        let engine = try trainingEngine()
        _ = try engine.sagemaker.createTrainingJob(trainingJob(
            "loan-ll-1", image: BuiltinAlgorithm.linearLearner.exampleImage,
            hyperparameters: ["feature_dim": "3", "predictor_type": "binary_classifier", "mini_batch_size": "32", "epochs": "10"]))
        let job = try waitForTraining(engine, "loan-ll-1")
        #expect(job.trainingJobStatus == "Completed", "\(job.failureReason ?? "")")
        let names = (job.finalMetricDataList ?? []).map(\.metricName)
        #expect(names == ["train:objective_loss", "validation:objective_loss", "validation:binary_classification_accuracy",
                          "validation:binary_f_beta", "validation:precision", "validation:recall", "validation:roc_auc_score"], "\(names)")
        let accuracy = job.finalMetricDataList?.first { $0.metricName == "validation:binary_classification_accuracy" }?.value ?? 0
        #expect(accuracy > 0.7, "\(accuracy)")
        let files = try archiveFiles(engine, job.modelArtifacts.s3ModelArtifacts)
        #expect(Array(files.keys) == [LinearLearnerModel.artifactFileName])
        _ = try engine.sagemaker.createModel(CreateModelInput(modelName: "trained-ll", primaryContainer: ContainerDefinition(
            image: BuiltinAlgorithm.linearLearner.exampleImage, modelDataUrl: job.modelArtifacts.s3ModelArtifacts)))
        let answer = try engine.sagemaker.container(forModel: "trained-ll")
            .invoke(body: Data(Self.rows.utf8), contentType: "text/csv", accept: "application/jsonlines", mode: .batchTransform).body
        #expect(String(decoding: answer, as: UTF8.self).split(separator: "\n").count == 4)
    }

    @Test func linearLearnerRefusesAWrongFeatureDimAndUnknownHyperparameters() throws {
        let engine = try trainingEngine()
        _ = try engine.sagemaker.createTrainingJob(trainingJob("ll-dim", image: "linear-learner",
                                                               hyperparameters: ["feature_dim": "5", "predictor_type": "binary_classifier"]))
        var job = try waitForTraining(engine, "ll-dim")
        #expect(job.failureReason == "ClientError: feature_dim is 5, but the training data has 3 feature columns after the label", "\(job.failureReason ?? "")")
        _ = try engine.sagemaker.createTrainingJob(trainingJob("ll-type", image: "linear-learner", hyperparameters: ["feature_dim": "3"]))
        job = try waitForTraining(engine, "ll-type")
        #expect(job.failureReason?.hasPrefix("ClientError: Missing required hyperparameter: predictor_type") == true)
        _ = try engine.sagemaker.createTrainingJob(trainingJob("ll-extra", image: "linear-learner",
                                                               hyperparameters: ["predictor_type": "regressor", "num_trees": "3"]))
        job = try waitForTraining(engine, "ll-extra")
        #expect(job.failureReason == "ClientError: Additional hyperparameters are not allowed ('num_trees' was unexpected)")
    }

    /// The toolkit's contract: arguments, SM_* variables, the folders, and what the script saves.
    @Test func anSKLearnScriptGetsTheToolkitsEnvironmentAndItsModelIsUploaded() throws {
        let engine = try trainingEngine()
        let script = """
            import argparse, json, os, sys
            import joblib, pandas as pd
            from sklearn.linear_model import LogisticRegression
            parser = argparse.ArgumentParser()
            parser.add_argument("--max-iter", type=int)
            parser.add_argument("--solver")
            parser.add_argument("-C", type=float)
            args = parser.parse_args()
            train = pd.read_csv(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "train.csv"), header=None)
            model = LogisticRegression(C=args.C, max_iter=args.max_iter, solver=args.solver).fit(train.iloc[:, 1:], train.iloc[:, 0])
            print("train accuracy: %.4f" % model.score(train.iloc[:, 1:], train.iloc[:, 0]))
            joblib.dump(model, os.path.join(os.environ["SM_MODEL_DIR"], "model.joblib"))
            seen = {key: value for key, value in os.environ.items() if key.startswith("SM_") or key in ("TRAINING_JOB_NAME", "AWS_SECRET_ACCESS_KEY", "INFERLAB_PYTHON")}
            seen["argv"] = sys.argv[1:]
            seen["cwd"] = os.getcwd()
            with open(os.path.join(os.environ["SM_OUTPUT_DATA_DIR"], "seen.json"), "w") as out:
                json.dump(seen, out)
            """
        var job = try scriptJob(engine, "sk-env", script: script,
                                hyperparameters: ["max-iter": "200", "solver": "\"lbfgs\"", "C": "0.5"])
        job.algorithmSpecification?.metricDefinitions = [MetricDefinition(name: "train:accuracy", regex: #"train accuracy: (\S+)"#)]
        job.environment = ["MY_SETTING": "on"]
        _ = try engine.sagemaker.createTrainingJob(job)
        let done = try waitForTraining(engine, "sk-env")
        let log = try trainingLog(engine, "sk-env")
        #expect(done.trainingJobStatus == "Completed", "\(done.failureReason ?? "") \(log.suffix(15))")
        #expect(done.finalMetricDataList?.map(\.metricName) == ["train:accuracy"])
        #expect((done.finalMetricDataList?.first?.value ?? 0) > 0.7)
        let model = try archiveFiles(engine, done.modelArtifacts.s3ModelArtifacts)
        #expect(Array(model.keys) == ["model.joblib"])
        let output = try archiveFiles(engine, "s3://loan-lab/training-output/sk-env/output/output.tar.gz")
        let seen = try #require(try JSONSerialization.jsonObject(with: output["seen.json"] ?? Data()) as? [String: Any])
        #expect(seen["argv"] as? [String] == ["-C", "0.5", "--max-iter", "200", "--solver", "lbfgs"])
        #expect(seen["SM_CHANNELS"] as? String == #"["train"]"#)
        #expect(seen["SM_HPS"] as? String == #"{"C":0.5,"max-iter":200,"solver":"lbfgs"}"#)
        #expect(seen["SM_HP_SOLVER"] as? String == "lbfgs" && seen["SM_HP_MAX-ITER"] as? String == "200")
        #expect(seen["SM_CURRENT_HOST"] as? String == "algo-1" && seen["SM_HOSTS"] as? String == #"["algo-1"]"#)
        #expect(seen["SM_USER_ENTRY_POINT"] as? String == "train.py" && seen["TRAINING_JOB_NAME"] as? String == "sk-env")
        #expect(seen["AWS_SECRET_ACCESS_KEY"] == nil && seen["INFERLAB_PYTHON"] == nil, "the kit's own environment stays out")
        let instance = engine.workspace.stateDirectory.appendingPathComponent("training/sk-env/algo-1/opt/ml")
        #expect(seen["SM_MODEL_DIR"] as? String == instance.appendingPathComponent("model").path)
        #expect(seen["SM_CHANNEL_TRAIN"] as? String == instance.appendingPathComponent("input/data/train").path)
        #expect(seen["cwd"] as? String == instance.appendingPathComponent("code").path)
        let training = try #require(try JSONSerialization.jsonObject(with: Data((seen["SM_TRAINING_ENV"] as? String ?? "").utf8)) as? [String: Any])
        #expect(training["module_name"] as? String == "train" && training["job_name"] as? String == "sk-env")
        let hyperparameters = try JSONSerialization.jsonObject(with: Data(contentsOf: instance.appendingPathComponent("input/config/hyperparameters.json"))) as? [String: String]
        #expect(hyperparameters?["sagemaker_program"] == "\"train.py\"")
        let resources = try JSONSerialization.jsonObject(with: Data(contentsOf: instance.appendingPathComponent("input/config/resourceconfig.json"))) as? [String: Any]
        #expect(resources?["current_host"] as? String == "algo-1")
    }

    /// libsvm, the algorithm's default content type: `label index:value …`, indices as columns.
    @Test func theXGBoostAlgorithmReadsLibSVM() throws {
        let engine = try trainingEngine()
        let rows = labelledRows(200, seed: 21).split(separator: "\n").map { line -> String in
            let fields = line.split(separator: ",")
            return "\(fields[0]) " + fields.dropFirst().enumerated().map { "\($0.offset):\($0.element)" }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
        try put(engine, "s3://loan-lab/libsvm/train.libsvm", rows)
        var job = trainingJob("xgb-libsvm", image: "xgboost", hyperparameters: ["num_round": "3", "objective": "binary:logistic"], validation: false)
        job.inputDataConfig = [Channel(channelName: "train", s3Uri: "s3://loan-lab/libsvm/")]
        _ = try engine.sagemaker.createTrainingJob(job)
        let done = try waitForTraining(engine, "xgb-libsvm")
        #expect(done.trainingJobStatus == "Completed", "\(done.failureReason ?? "")")
        #expect(try trainingLog(engine, "xgb-libsvm").contains("Train matrix has 200 rows and 3 columns"))
    }

    /// XGBoost's image runs the learner's own script when `sagemaker_program` is set (framework mode).
    @Test func theXGBoostImageRunsAScriptInFrameworkMode() throws {
        let engine = try trainingEngine()
        var job = try scriptJob(engine, "xgb-script", script: """
            import os
            open(os.path.join(os.environ["SM_MODEL_DIR"], "from-script.txt"), "w").write(os.environ["SM_CURRENT_HOST"])
            """)
        job.algorithmSpecification?.trainingImage = BuiltinAlgorithm.xgboost.exampleImage
        _ = try engine.sagemaker.createTrainingJob(job)
        let done = try waitForTraining(engine, "xgb-script")
        #expect(done.trainingJobStatus == "Completed", "\(done.failureReason ?? "")")
        #expect(try archiveFiles(engine, done.modelArtifacts.s3ModelArtifacts)["from-script.txt"] == Data("algo-1".utf8))
    }

    /// A script that imports the serving toolkit at the top, as the workshop's featurizer does,
    /// trains on the course interpreter: the kit gives it what the SKLearn image's Python carries.
    /// DescribeTrainingJob answers the defaults AWS applied, which the SDK's attach reads.
    @Test func aScriptImportingTheToolkitTrainsAndDescribeShowsTheAppliedDefaults() throws {
        let engine = try trainingEngine()
        let job = try scriptJob(engine, "sk-toolkit", script: """
            import os
            import numpy as np
            from sagemaker_containers.beta.framework import encoders, worker
            text = encoders.encode(np.array([[1.5, 2.0]]), "text/csv")
            open(os.path.join(os.environ["SM_MODEL_DIR"], "encoded.csv"), "w").write(text)
            """)
        _ = try engine.sagemaker.createTrainingJob(job)
        let done = try waitForTraining(engine, "sk-toolkit")
        let log = try trainingLog(engine, "sk-toolkit")
        #expect(done.trainingJobStatus == "Completed", "\(done.failureReason ?? "") \(log.suffix(1500))")
        #expect(try archiveFiles(engine, done.modelArtifacts.s3ModelArtifacts)["encoded.csv"] == Data("1.5,2.0\n".utf8))
        #expect(done.outputDataConfig?.kmsKeyId == "" && done.outputDataConfig?.compressionType == "GZIP")
    }

    /// The real xgboost's predictions for CSV rows from a saved model, as float32.
    static func pythonPredictions(model: Data, rows: String) throws -> [Float] {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try model.write(to: folder.appendingPathComponent("model.json"))
        try Data(rows.utf8).write(to: folder.appendingPathComponent("rows.csv"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: coursePython)
        process.arguments = ["-c", """
            import sys, numpy as np, xgboost as xgb
            booster = xgb.Booster(model_file=sys.argv[1] + "/model.json")
            rows = np.loadtxt(sys.argv[1] + "/rows.csv", delimiter=",", ndmin=2)
            for value in booster.predict(xgb.DMatrix(rows)):
                print(repr(float(value)))
            """, folder.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { Double($0).map(Float.init) }
    }
}
