import Foundation
@testable import InferLabEngine

/// The checkout's course interpreter (`.venv/bin/python`, which `make test` prepares).
let coursePython = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".venv/bin/python").path

let sklearnImage = FrameworkImage.sklearn.exampleImage

/// An engine whose framework containers run the course interpreter, with the sample XGBoost
/// model uploaded; timeouts are scaled by `timeoutScale` (60 s real-time → 3 s at 0.05).
func scriptEngine(timeoutScale: Double = 0.05) throws -> Engine {
    let workspace = Workspace(root: temporaryFolder())
    try workspace.prepare()
    var configuration = SageMakerService.Configuration()
    configuration.provisioningDelay = 0
    configuration.startupDelay = 0
    configuration.python = coursePython
    configuration.invocationTimeoutScale = timeoutScale
    let engine = Engine(workspace: workspace, store: InMemoryObjectStore(), catalog: try Catalog(), configuration: configuration)
    try engine.store.createBucket("loan-lab")
    try engine.store.putObject(bucket: "loan-lab", key: "models/xgboost/model.tar.gz", data: Data(contentsOf: sampleXGBoostArtifact))
    return engine
}

/// Uploads a model.tar.gz holding `code/inference.py` (as the SDK repacks an SKLearnModel) and
/// other files, and registers an SKLearn-image model on it with the SDK's variables.
@discardableResult
func createScriptModel(_ engine: Engine, _ name: String, script: String, files: [String: String] = [:],
                       environment: [String: String] = [:], image: String = sklearnImage) throws -> CreateModelInput {
    var archive = files.mapValues { Data($0.utf8) }
    archive["code/inference.py"] = Data(script.utf8)
    try engine.store.putObject(bucket: "loan-lab", key: "models/\(name)/model.tar.gz", data: try ModelArchive.write(files: archive))
    let model = CreateModelInput(modelName: name, primaryContainer: scriptContainer(name, environment: environment, image: image))
    _ = try engine.sagemaker.createModel(model)
    return model
}

func scriptContainer(_ name: String, environment: [String: String] = [:], image: String = sklearnImage, hostname: String? = nil) -> ContainerDefinition {
    ContainerDefinition(containerHostname: hostname, image: image, modelDataUrl: "s3://loan-lab/models/\(name)/model.tar.gz",
                        environment: ["SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
                                      "SAGEMAKER_CONTAINER_LOG_LEVEL": "20", "SAGEMAKER_REGION": "us-east-1"].merging(environment) { $1 })
}

/// A script whose model is nothing and whose predictions are each row's sum; its handlers are
/// the toolkit's defaults otherwise.
let summingScript = """
import numpy as np

def model_fn(model_dir):
    return "sum"

def predict_fn(data, model):
    return np.atleast_2d(data).sum(axis=1)
"""

/// Log lines of a job's or endpoint's streams, oldest first.
func logLines(_ engine: Engine, group: String) throws -> [String] {
    try engine.catalog.logEvents(group: group, streamPrefix: "").map(\.message)
}

/// Whether a process runs.
func isRunning(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }
