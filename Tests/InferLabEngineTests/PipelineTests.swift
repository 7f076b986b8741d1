import Foundation
import Testing
@testable import InferLabEngine

/// Serial inference pipelines: an SKLearn script preprocessor in front of the sample XGBoost
/// model gives XGBoost's own predictions, in batch, real-time and async; CreateModel's rules.
@Suite(.serialized)
struct PipelineTests {
    /// Drops the first column (an application id), as a learner's featurizer would.
    static let dropIDScript = """
    import numpy as np

    def model_fn(model_dir):
        return None

    def predict_fn(data, model):
        return np.atleast_2d(data)[:, 1:]
    """
    static let features = "25,50000,2\n35,60000,3\n45,45000,1\n"
    static let withIDs = "101,25,50000,2\n102,35,60000,3\n103,45,45000,1\n"

    /// The preprocessor (its default output CSV) and the sample XGBoost model, as `pipe`;
    /// the sample model alone as `loan-xgb`, for its own predictions.
    func pipelineEngine(_ mode: String? = nil) throws -> Engine {
        let engine = try scriptEngine()
        _ = try engine.sagemaker.createModel(xgboostModelInput("loan-xgb"))
        try engine.store.putObject(bucket: "loan-lab", key: "models/prep/model.tar.gz",
                                   data: try ModelArchive.write(files: ["code/inference.py": Data(Self.dropIDScript.utf8)]))
        var model = CreateModelInput(modelName: "pipe")
        model.containers = [
            scriptContainer("prep", environment: ["SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv"], hostname: "prep"),
            ContainerDefinition(containerHostname: "xgb", image: BuiltinAlgorithm.xgboost.exampleImage,
                                modelDataUrl: "s3://loan-lab/models/xgboost/model.tar.gz"),
        ]
        model.inferenceExecutionConfig = mode.map { InferenceExecutionConfig(mode: $0) }
        _ = try engine.sagemaker.createModel(model)
        return engine
    }

    func deployPipeline(_ engine: Engine, _ name: String, async: AsyncInferenceConfig? = nil) throws {
        _ = try engine.sagemaker.createEndpointConfig(CreateEndpointConfigInput(endpointConfigName: "\(name)-config", productionVariants: [
            ProductionVariant(variantName: "AllTraffic", modelName: "pipe", initialInstanceCount: 1, instanceType: "ml.m5.large"),
        ], asyncInferenceConfig: async))
        _ = try engine.sagemaker.createEndpoint(CreateEndpointInput(endpointName: name, endpointConfigName: "\(name)-config"))
        #expect(try eventually(timeout: 60) { try engine.sagemaker.describeEndpoint(DescribeEndpointInput(endpointName: name)).endpointStatus == "InService" })
    }

    @Test func batchTransformThroughThePipelineGivesXGBoostsOwnPredictions() throws {
        let engine = try pipelineEngine()
        try put(engine, "s3://loan-lab/in/apps.csv", Self.withIDs)
        _ = try engine.sagemaker.createTransformJob(transformJob("piped", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/", model: "pipe"))
        let job = try waitForJob(engine, "piped", timeout: 60)
        #expect(job.transformJobStatus == "Completed", "\(job.failureReason ?? "")")
        #expect(try text(engine, "s3://loan-lab/out/apps.csv.out") == (try modelPredictions(engine, Self.features)))
    }

    @Test func realTimeThroughThePipelineTakesTheClientsAcceptAtTheLastContainer() throws {
        let engine = try pipelineEngine()
        try deployPipeline(engine, "rt-pipe")
        let output = try engine.sagemaker.invokeEndpoint(InvokeEndpointInput(endpointName: "rt-pipe", body: Data(Self.withIDs.utf8),
                                                                             contentType: "text/csv", accept: "application/json"))
        let own = try engine.sagemaker.container(forModel: "loan-xgb")
            .invoke(body: Data(Self.features.utf8), contentType: "text/csv", accept: "application/json", mode: .endpoint)
        #expect(output.body == own.body)
        #expect(output.contentType == "application/json")
    }

    @Test func anErrorNamesTheContainerThatFailed() throws {
        let engine = try pipelineEngine()
        try deployPipeline(engine, "err-pipe")
        // Two columns after the preprocessor: XGBoost refuses the feature count.
        #expect { try engine.sagemaker.invokeEndpoint(InvokeEndpointInput(endpointName: "err-pipe", body: Data("1,2,3\n".utf8), contentType: "text/csv")) } throws: {
            ($0 as? AWSError)?.message.hasPrefix("Received client error (400) from xgb with message \"Unable to evaluate payload provided") == true
        }
        #expect { try engine.sagemaker.invokeEndpoint(InvokeEndpointInput(endpointName: "err-pipe", body: Data("a,b\n".utf8), contentType: "text/csv")) } throws: {
            ($0 as? AWSError)?.message.hasPrefix("Received server error (500) from prep with message") == true
        }
    }

    @Test func asyncThroughThePipeline() throws {
        let engine = try pipelineEngine()
        try deployPipeline(engine, "async-pipe", async: AsyncInferenceConfig(outputConfig: AsyncInferenceOutputConfig(s3OutputPath: "s3://loan-lab/async-out/")))
        try put(engine, "s3://loan-lab/async-in/r.csv", Self.withIDs)
        var request = InvokeEndpointAsyncInput(endpointName: "async-pipe", inputLocation: "s3://loan-lab/async-in/r.csv")
        request.contentType = "text/csv"
        let answer = try engine.sagemaker.invokeEndpointAsync(request)
        let location = S3Location(answer.outputLocation)!
        #expect(eventually(timeout: 30) { (try? engine.store.headObject(bucket: location.bucket, key: location.key)) != nil })
        let own = try engine.sagemaker.container(forModel: "loan-xgb")
            .invoke(body: Data(Self.features.utf8), contentType: "text/csv", accept: nil, mode: .endpoint)
        #expect(try engine.store.readObject(bucket: location.bucket, key: location.key) == own.body)
    }

    @Test func describeModelShowsTheContainersAndTheirMode() throws {
        let engine = try pipelineEngine("Serial")
        let described = try engine.sagemaker.describeModel(DescribeModelInput(modelName: "pipe"))
        #expect(described.primaryContainer == nil)
        #expect(described.containers?.map(\.containerHostname) == ["prep", "xgb"])
        #expect(described.inferenceExecutionConfig?.mode == "Serial")
    }

    @Test func createModelRefusesWhatAWSRefuses() throws {
        let engine = try scriptEngine()
        let xgb = ContainerDefinition(image: BuiltinAlgorithm.xgboost.exampleImage, modelDataUrl: "s3://loan-lab/models/xgboost/model.tar.gz")
        func refused(_ change: (inout CreateModelInput) -> Void, _ words: String) {
            var model = CreateModelInput(modelName: "bad")
            change(&model)
            #expect { try engine.sagemaker.createModel(model) } throws: {
                ($0 as? AWSError)?.code == "ValidationException" && ($0 as? AWSError)?.message.contains(words) == true
            }
        }
        refused({ $0.primaryContainer = xgb; $0.containers = [xgb, xgb] }, "not both")
        refused({ _ in }, "Either PrimaryContainer or Containers")
        refused({ $0.containers = Array(repeating: xgb, count: 16) }, "15")
        refused({ $0.containers = [xgb, xgb]; $0.inferenceExecutionConfig = InferenceExecutionConfig(mode: "Parallel") }, "Serial, Direct")
        refused({ $0.containers = [xgb, ContainerDefinition(image: "my-own-image:latest")] }, "my-own-image")
        refused({ $0.containers = [ContainerDefinition(containerHostname: "a", image: xgb.image, modelDataUrl: xgb.modelDataUrl),
                                   ContainerDefinition(containerHostname: "A", image: xgb.image, modelDataUrl: xgb.modelDataUrl)] }, "unique")
    }

    @Test func aDirectModelIsKeptButNotChained() throws {
        let engine = try pipelineEngine("Direct")
        try put(engine, "s3://loan-lab/in/apps.csv", Self.withIDs)
        _ = try engine.sagemaker.createTransformJob(transformJob("direct", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/", model: "pipe"))
        let job = try waitForJob(engine, "direct", timeout: 30)
        #expect(job.transformJobStatus == "Failed")
        #expect(job.failureReason?.contains("TargetContainerHostname") == true)
    }
}
