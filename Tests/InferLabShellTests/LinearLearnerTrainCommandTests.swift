import Foundation
import Testing
import InferLabEngine
@testable import InferLabShell

/// `train linear-learner`, run through the shell: a training job with the built-in Linear Learner.
@Suite struct LinearLearnerTrainCommandTests {
    private func harness() throws -> ShellHarness {
        try ShellHarness()
    }

    /// Rows labelled by a clear rule on two features (no randomness: the label is the rule itself,
    /// with every seventh row flipped).
    private func csv(rows: Int, offset: Int) -> Data {
        var text = ""
        for index in 0..<rows {
            let a = (index * 37 + offset) % 101
            let b = (index * 53 + offset * 3) % 89
            var label = 2 * a - b > 60 ? 1 : 0
            if index % 7 == 3 { label = 1 - label }
            text += "\(label),\(a),\(b)\n"
        }
        return Data(text.utf8)
    }

    @Test func trainsAndWritesModelTarGz() async throws {
        let shell = try harness()
        let store = shell.session.engine.store
        try store.createBucket("loan-lab")
        try store.putObject(bucket: "loan-lab", key: "train/train.csv", data: csv(rows: 600, offset: 1))
        try store.putObject(bucket: "loan-lab", key: "validation/validation.csv", data: csv(rows: 200, offset: 5))

        let status = await shell.run("train linear-learner --train s3://loan-lab/train/train.csv --validation s3://loan-lab/validation/ --output s3://loan-lab/models/")
        #expect(status == 0, "\(shell.output.error)")
        let output = shell.output.output
        #expect(output.contains("Trained binary_classifier on 600 rows × 2 features"))
        #expect(output.contains("Training job linear-learner: Completed (TrainingTimeInSeconds "))
        #expect(output.contains("Model artifact: s3://loan-lab/models/linear-learner/output/model.tar.gz"))
        #expect(output.range(of: #"\nMETRIC +VALUE\ntrain:objective_loss +0\.\d{4}\n"#, options: .regularExpression) != nil, "\(output)")
        for metric in ["binary_classification_accuracy", "roc_auc_score", "objective_loss", "precision", "recall"] {
            #expect(output.contains("\nvalidation:\(metric) "), "\(metric)")
        }
        let job = try shell.session.engine.sagemaker.describeTrainingJob(DescribeTrainingJobInput(trainingJobName: "linear-learner"))
        #expect(job.trainingJobStatus == "Completed" && job.algorithmSpecification?.trainingImage == BuiltinAlgorithm.linearLearner.exampleImage)

        let archive = try store.readObject(bucket: "loan-lab", key: "models/linear-learner/output/model.tar.gz")
        let container = try LinearLearnerContainer(archive: archive)
        #expect(container.model.featureCount == 2)
        #expect(container.model.training?["validation_rows"]?.number == 200)
        let auc = try #require(container.model.training?["validation_metrics"]?["auc"]?.number)
        #expect(auc > 0.8)

        // The same data gives the same bytes; --model-name picks the folder; regressor works too.
        #expect(await shell.run("train linear-learner --train s3://loan-lab/train/ --validation s3://loan-lab/validation/validation.csv --output s3://loan-lab/models --model-name again") == 0)
        #expect(try store.readObject(bucket: "loan-lab", key: "models/again/output/model.tar.gz") == archive)
        #expect(await shell.run("train linear-learner --train s3://loan-lab/train/ --output s3://loan-lab/models/ --predictor-type regressor --model-name reg") == 0)
        let regressor = try LinearLearnerContainer(archive: try store.readObject(bucket: "loan-lab", key: "models/reg/output/model.tar.gz"))
        #expect(regressor.model.predictorType == .regressor)
        #expect(shell.output.output.contains("train:objective_loss"))
        // A job name is used once, as on AWS.
        #expect(await shell.run("train linear-learner --train s3://loan-lab/train/ --output s3://loan-lab/models/ --model-name reg") == ExitCode.serviceError)
        #expect(shell.output.error.contains("ResourceInUse"))
    }

    @Test func reportsBadDataAndBadOptions() async throws {
        let shell = try harness()
        let store = shell.session.engine.store
        try store.createBucket("loan-lab")
        try store.putObject(bucket: "loan-lab", key: "bad.csv", data: Data("1,2,3\n0,4,5\n1,x,6\n".utf8))

        #expect(await shell.run("train linear-learner --train s3://loan-lab/bad.csv --output s3://loan-lab/models/") == ExitCode.failure)
        #expect(shell.output.error.contains("train failed: ClientError: train/bad.csv line 3, column 2: 'x' is not a number"), "\(shell.output.error)")

        #expect(await shell.run("train linear-learner --train s3://loan-lab/missing/ --output s3://loan-lab/models/ --model-name missing") == ExitCode.failure)
        #expect(shell.output.error.contains("train failed: ClientError: Data download failed:No S3 objects found under S3 URL \"s3://loan-lab/missing/\""), "\(shell.output.error)")

        #expect(await shell.run("train linear-learner --train s3://loan-lab/bad.csv --output s3://no-such-bucket/") == ExitCode.serviceError)
        #expect(shell.output.error.contains("NoSuchBucket"))

        #expect(await shell.run("train linear-learner --train s3://loan-lab/bad.csv --output s3://loan-lab/ --predictor-type multiclass_classifier") == ExitCode.usage)
        #expect(shell.output.error.contains("does not implement multiclass_classifier"))
        #expect(await shell.run("train linear-learner --train s3://loan-lab/bad.csv --output s3://loan-lab/ --model-name bad_name") == ExitCode.usage)
        #expect(await shell.run("train linear-learner --train loan-lab/bad.csv --output s3://loan-lab/") == ExitCode.usage)
        #expect(try store.listAllObjects(bucket: "loan-lab").map(\.key) == ["bad.csv"], "a failed job uploads no model")
    }
}
