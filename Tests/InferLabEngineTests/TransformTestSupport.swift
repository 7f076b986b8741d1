import Foundation
@testable import InferLabEngine

/// Builds a CreateTransformJob request with the lesson's defaults, to be adjusted per test.
func transformJob(_ name: String, input: String, output: String, model: String = "loan-xgb", instances: Int = 1,
                  split: String? = "Line", assemble: String? = "Line", accept: String? = nil) -> CreateTransformJobInput {
    var job = CreateTransformJobInput(
        transformJobName: name, modelName: model,
        transformInput: TransformInput(dataSource: TransformDataSource(s3DataSource: TransformS3DataSource(s3DataType: "S3Prefix", s3Uri: input)),
                                       contentType: "text/csv", splitType: split),
        transformOutput: TransformOutput(s3OutputPath: output, accept: accept, assembleWith: assemble),
        transformResources: TransformResources(instanceType: "ml.m5.large", instanceCount: instances))
    job.maxPayloadInMB = nil
    return job
}

/// Waits until a job reaches Completed, Failed or Stopped.
func waitForJob(_ engine: Engine, _ name: String, timeout: TimeInterval = 20) throws -> DescribeTransformJobOutput {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        let job = try engine.sagemaker.describeTransformJob(DescribeTransformJobInput(transformJobName: name))
        if ["Completed", "Failed", "Stopped"].contains(job.transformJobStatus) || Date() > deadline { return job }
        Thread.sleep(forTimeInterval: 0.01)
    }
}

func text(_ engine: Engine, _ uri: String) throws -> String {
    let location = S3Location(uri)!
    return String(decoding: try engine.store.readObject(bucket: location.bucket, key: location.key), as: UTF8.self)
}

func put(_ engine: Engine, _ uri: String, _ body: String) throws {
    let location = S3Location(uri)!
    try engine.store.putObject(bucket: location.bucket, key: location.key, data: Data(body.utf8))
}

/// An engine with the sample model registered as `loan-xgb`.
func transformEngine() throws -> Engine {
    let engine = try engineWithSampleModel()
    _ = try engine.sagemaker.createModel(xgboostModelInput("loan-xgb"))
    return engine
}

/// The model's own predictions for CSV rows, one per line.
func modelPredictions(_ engine: Engine, _ csv: String) throws -> String {
    String(decoding: try engine.sagemaker.container(forModel: "loan-xgb")
        .invoke(body: Data(csv.utf8), contentType: "text/csv", accept: nil, mode: .batchTransform).body, as: UTF8.self)
}
