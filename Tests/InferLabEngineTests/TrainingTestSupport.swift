#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import InferLabEngine

// `coursePython` and `isRunning` are ScriptTestSupport's: training jobs run on the same interpreter.

/// An engine in memory with no delays, on a temporary workspace (the instances' folders go
/// there), that runs Python with the course venv; the bucket `loan-lab` holds 300 labelled rows
/// of the loan data at `train/train.csv` and 100 at `validation/validation.csv`.
func trainingEngine(stopGrace: Double? = nil) throws -> Engine {
    var configuration = SageMakerService.Configuration()
    configuration.provisioningDelay = 0
    configuration.startupDelay = 0
    configuration.python = coursePython
    let workspace = Workspace(root: temporaryFolder())
    let engine = Engine(workspace: workspace, store: InMemoryObjectStore(), catalog: try Catalog(), configuration: configuration)
    try engine.store.createBucket("loan-lab")
    try put(engine, "s3://loan-lab/train/train.csv", labelledRows(300, seed: 11))
    try put(engine, "s3://loan-lab/validation/validation.csv", labelledRows(100, seed: 12))
    return engine
}

/// Labelled loan rows, label first, no header: the approval depends on income and debt.
func labelledRows(_ count: Int, seed: UInt64) -> String {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    var lines: [String] = []
    for _ in 0..<count {
        let age = 20 + Int(next() * 50), income = 20_000 + Int(next() * 80_000), debt = Int(next() * 5)
        let noise = next() - 0.5
        let label = Double(income) / 100_000 - Double(debt) * 0.12 + noise * 0.4 > 0.3 ? 1 : 0
        lines.append("\(label),\(age),\(income),\(debt)")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// A CreateTrainingJob request on the loan rows, to adjust per test.
func trainingJob(_ name: String, image: String, hyperparameters: [String: String], validation: Bool = true,
                 output: String = "s3://loan-lab/training-output/") -> CreateTrainingJobInput {
    var channels = [Channel(channelName: "train", s3Uri: "s3://loan-lab/train/", contentType: "text/csv")]
    if validation { channels.append(Channel(channelName: "validation", s3Uri: "s3://loan-lab/validation/", contentType: "text/csv")) }
    return CreateTrainingJobInput(trainingJobName: name, image: image, channels: channels, outputPath: output, hyperParameters: hyperparameters)
}

/// A script-mode job: `script` as train.py in a sourcedir.tar.gz the way the SDK uploads it.
func scriptJob(_ engine: Engine, _ name: String, script: String, hyperparameters: [String: String] = [:]) throws -> CreateTrainingJobInput {
    let archive = try ModelArchive.write(files: ["train.py": Data(script.utf8)])
    _ = try engine.store.putObject(bucket: "loan-lab", key: "code/\(name)/sourcedir.tar.gz", data: archive)
    var parameters = hyperparameters
    parameters["sagemaker_program"] = "\"train.py\""
    parameters["sagemaker_submit_directory"] = "\"s3://loan-lab/code/\(name)/sourcedir.tar.gz\""
    parameters["sagemaker_container_log_level"] = "20"
    parameters["sagemaker_region"] = "\"us-east-1\""
    return trainingJob(name, image: TrainingImage.scikitLearnExample, hyperparameters: parameters, validation: false)
}

/// Waits until a training job is Completed, Failed or Stopped (or `timeout` passes).
func waitForTraining(_ engine: Engine, _ name: String, timeout: TimeInterval = 60) throws -> DescribeTrainingJobOutput {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        let job = try engine.sagemaker.describeTrainingJob(DescribeTrainingJobInput(trainingJobName: name))
        if ["Completed", "Failed", "Stopped"].contains(job.trainingJobStatus) || Date() > deadline { return job }
        Thread.sleep(forTimeInterval: 0.02)
    }
}

/// The files of a model.tar.gz (or output.tar.gz) in the store.
func archiveFiles(_ engine: Engine, _ uri: String) throws -> [String: Data] {
    let location = S3Location(uri)!
    return try ModelArchive.read(try engine.store.readObject(bucket: location.bucket, key: location.key))
}

/// The job's log, one message per event.
func trainingLog(_ engine: Engine, _ name: String) throws -> [String] {
    try engine.catalog.logEvents(group: "/aws/sagemaker/TrainingJobs", streamPrefix: name + "/").map(\.message)
}

