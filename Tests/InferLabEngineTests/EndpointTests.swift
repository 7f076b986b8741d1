import Foundation
import Testing
@testable import InferLabEngine

/// Waits until `condition` holds or `timeout` passes; returns whether it held.
func eventually(timeout: TimeInterval = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return try condition()
}

func endpointEngine(latency: Int? = nil) throws -> Engine {
    let engine = try engineWithSampleModel()
    var model = xgboostModelInput("loan-xgb")
    if let latency { model.primaryContainer?.environment = ["INFERLAB_MODEL_LATENCY_MS": String(latency)] }
    _ = try engine.sagemaker.createModel(model)
    return engine
}

func deploy(_ engine: Engine, _ name: String, async: Bool, perInstance: Int? = nil) throws {
    var config = CreateEndpointConfigInput(endpointConfigName: "\(name)-config", productionVariants: [
        ProductionVariant(variantName: "AllTraffic", modelName: "loan-xgb", initialInstanceCount: 1, instanceType: "ml.m5.large"),
    ])
    if async {
        config.asyncInferenceConfig = AsyncInferenceConfig(
            clientConfig: AsyncInferenceClientConfig(maxConcurrentInvocationsPerInstance: perInstance),
            outputConfig: AsyncInferenceOutputConfig(s3OutputPath: "s3://loan-lab/async-output/",
                                                     notificationConfig: AsyncInferenceNotificationConfig(successTopic: "arn:aws:sns:us-east-1:123456789012:ok",
                                                                                                          errorTopic: "arn:aws:sns:us-east-1:123456789012:err"),
                                                     s3FailurePath: "s3://loan-lab/async-failures/"))
    }
    _ = try engine.sagemaker.createEndpointConfig(config)
    _ = try engine.sagemaker.createEndpoint(CreateEndpointInput(endpointName: name, endpointConfigName: "\(name)-config"))
    #expect(try eventually { try engine.sagemaker.describeEndpoint(DescribeEndpointInput(endpointName: name)).endpointStatus == "InService" })
}

@Suite(.serialized)
struct EndpointTests {
    static let lesson = "25,50000,2\n35,60000,3\n45,45000,1\n"

    @Test func realTimeInvokeReturnsTheModelsScores() throws {
        let engine = try endpointEngine()
        try deploy(engine, "rt", async: false)
        let output = try engine.sagemaker.invokeEndpoint(InvokeEndpointInput(endpointName: "rt", body: Data(Self.lesson.utf8), contentType: "text/csv"))
        #expect(String(decoding: output.body, as: UTF8.self) == (try modelPredictions(engine, Self.lesson)))
        #expect(output.invokedProductionVariant == "AllTraffic")
        #expect(output.contentType == "text/csv")
    }

    @Test func realTimeErrorsAreAWSs() throws {
        let engine = try endpointEngine()
        try deploy(engine, "rt", async: false)
        #expect { try engine.sagemaker.invokeEndpoint(InvokeEndpointInput(endpointName: "rt", body: Data("1,2\n".utf8), contentType: "text/csv")) } throws: {
            let error = $0 as? AWSError
            return error?.code == "ModelError" && error?.httpStatus == 424
                && error?.message.hasPrefix("Received client error (400) from primary with message \"Unable to evaluate payload provided") == true
        }
        #expect { try engine.sagemaker.invokeEndpoint(InvokeEndpointInput(endpointName: "rt", body: Data(count: 6_291_457), contentType: "text/csv")) } throws: {
            ($0 as? AWSError)?.message == "HTTP content length exceeded 6291456 bytes."
        }
        #expect { try engine.sagemaker.invokeEndpoint(InvokeEndpointInput(endpointName: "nope", body: Data(), contentType: "text/csv")) } throws: {
            ($0 as? AWSError)?.message == "Endpoint nope of account 123456789012 not found."
        }
        try deploy(engine, "as", async: true)
        #expect { try engine.sagemaker.invokeEndpoint(InvokeEndpointInput(endpointName: "as", body: Data(Self.lesson.utf8), contentType: "text/csv")) } throws: {
            ($0 as? AWSError)?.code == "ValidationError"
        }
    }

    @Test func controlPlaneLifecycleAndErrors() throws {
        // A provisioning delay long enough to see Updating (with none, it may be over at once).
        var configuration = SageMakerService.Configuration()
        configuration.provisioningDelay = 0.6
        let base = try endpointEngine()
        let engine = Engine(workspace: base.workspace, store: base.store, catalog: base.catalog, configuration: configuration)
        let service = engine.sagemaker
        try deploy(engine, "life", async: false)
        #expect { try service.createEndpoint(CreateEndpointInput(endpointName: "life", endpointConfigName: "life-config")) } throws: {
            ($0 as? AWSError)?.message == "Cannot create already existing endpoint \"arn:aws:sagemaker:us-east-1:123456789012:endpoint/life\"."
        }
        #expect { try service.createEndpoint(CreateEndpointInput(endpointName: "x", endpointConfigName: "ghost")) } throws: {
            ($0 as? AWSError)?.message == "Could not find endpoint configuration \"arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/ghost\"."
        }
        #expect { try service.createEndpointConfig(CreateEndpointConfigInput(endpointConfigName: "life-config", productionVariants: [
            ProductionVariant(variantName: "AllTraffic", modelName: "loan-xgb", initialInstanceCount: 1, instanceType: "ml.m5.large")])) } throws: {
            ($0 as? AWSError)?.message.hasPrefix("Cannot create already existing endpoint configuration") == true
        }
        #expect { try service.createEndpointConfig(CreateEndpointConfigInput(endpointConfigName: "bad", productionVariants: [
            ProductionVariant(variantName: "AllTraffic", modelName: "ghost", initialInstanceCount: 1, instanceType: "ml.m5.large")])) } throws: {
            ($0 as? AWSError)?.message == "Could not find model \"arn:aws:sagemaker:us-east-1:123456789012:model/ghost\"."
        }
        _ = try service.updateEndpoint(UpdateEndpointInput(endpointName: "life", endpointConfigName: "life-config"))
        #expect(try service.describeEndpoint(DescribeEndpointInput(endpointName: "life")).endpointStatus == "Updating")
        #expect(try eventually { try service.describeEndpoint(DescribeEndpointInput(endpointName: "life")).endpointStatus == "InService" })
        try service.deleteEndpoint(DeleteEndpointInput(endpointName: "life"))
        #expect(eventually { (try? service.describeEndpoint(DescribeEndpointInput(endpointName: "life"))) == nil })
        #expect { try service.describeEndpoint(DescribeEndpointInput(endpointName: "life")) } throws: {
            ($0 as? AWSError)?.message == "Could not find endpoint \"arn:aws:sagemaker:us-east-1:123456789012:endpoint/life\"."
        }
        // Deleting a config an endpoint no longer needs, then listing.
        try service.deleteEndpointConfig(DeleteEndpointConfigInput(endpointConfigName: "life-config"))
        #expect(try service.listEndpointConfigs(ListEndpointConfigsInput()).endpointConfigs.isEmpty)
    }

    @Test func anEndpointWithABrokenModelFails() throws {
        let engine = try endpointEngine()
        try engine.store.putObject(bucket: "loan-lab", key: "models/broken/model.tar.gz", data: Data("not an archive".utf8))
        _ = try engine.sagemaker.createModel(xgboostModelInput("broken", url: "s3://loan-lab/models/broken/model.tar.gz"))
        _ = try engine.sagemaker.createEndpointConfig(CreateEndpointConfigInput(endpointConfigName: "broken-config", productionVariants: [
            ProductionVariant(variantName: "AllTraffic", modelName: "broken", initialInstanceCount: 1, instanceType: "ml.m5.large")]))
        _ = try engine.sagemaker.createEndpoint(CreateEndpointInput(endpointName: "broken", endpointConfigName: "broken-config"))
        #expect(try eventually { try engine.sagemaker.describeEndpoint(DescribeEndpointInput(endpointName: "broken")).endpointStatus == "Failed" })
        #expect(try engine.sagemaker.describeEndpoint(DescribeEndpointInput(endpointName: "broken")).failureReason?
            .contains("s3://loan-lab/models/broken/model.tar.gz") == true)
    }

    @Test func asyncRequestsProduceOutputsErrorsAndNotifications() throws {
        let engine = try endpointEngine()
        try deploy(engine, "as", async: true)
        try put(engine, "s3://loan-lab/in/good.csv", Self.lesson)
        try put(engine, "s3://loan-lab/in/bad.csv", "25,x,2\n")
        var good = InvokeEndpointAsyncInput(endpointName: "as", inputLocation: "s3://loan-lab/in/good.csv")
        good.contentType = "text/csv"
        good.inferenceId = "my-id-1"
        let ok = try engine.sagemaker.invokeEndpointAsync(good)
        #expect(ok.inferenceId == "my-id-1")
        #expect(ok.outputLocation.hasPrefix("s3://loan-lab/async-output/") && ok.outputLocation.hasSuffix(".out"))
        #expect(!ok.outputLocation.contains("my-id-1"), "the file name is a fresh UUID, not the inference id")
        var bad = InvokeEndpointAsyncInput(endpointName: "as", inputLocation: "s3://loan-lab/in/bad.csv")
        bad.contentType = "text/csv"
        let failed = try engine.sagemaker.invokeEndpointAsync(bad)
        let missing = try engine.sagemaker.invokeEndpointAsync(InvokeEndpointAsyncInput(endpointName: "as", inputLocation: "s3://loan-lab/in/none.csv"))
        #expect(try eventually { try engine.sagemaker.asyncMetrics(endpointName: "as").approximateBacklogSize == 0 })
        #expect(try text(engine, ok.outputLocation) == (try modelPredictions(engine, Self.lesson)))
        #expect(try text(engine, failed.failureLocation!).contains("'x' is not a number"))
        #expect(try text(engine, missing.failureLocation!).contains("Failed to download"))
        let notes = try engine.catalog.notifications(endpoint: "as")
        #expect(notes.filter { $0.topic.hasSuffix(":ok") }.count == 1)
        #expect(notes.filter { $0.topic.hasSuffix(":err") }.count == 2)
        let success = try JSONValue.parse(try #require(notes.first { $0.topic.hasSuffix(":ok") }).message)
        #expect(success["invocationStatus"] == .string("Completed"))
        #expect(success["inferenceId"] == .string("my-id-1"))
        #expect(success["responseParameters"]?["outputLocation"] == .string(ok.outputLocation))
    }

    @Test func theBacklogShowsInTheMetricsWhileASlowModelWorks() throws {
        let engine = try endpointEngine(latency: 100)
        try deploy(engine, "slow", async: true, perInstance: 1)
        try put(engine, "s3://loan-lab/in/a.csv", Self.lesson)
        for _ in 0..<6 { _ = try engine.sagemaker.invokeEndpointAsync(InvokeEndpointAsyncInput(endpointName: "slow", inputLocation: "s3://loan-lab/in/a.csv")) }
        let early = try engine.sagemaker.asyncMetrics(endpointName: "slow")
        #expect(early.approximateBacklogSize >= 4)
        #expect(early.hasBacklogWithoutCapacity == 0)
        #expect(try eventually { try engine.sagemaker.asyncMetrics(endpointName: "slow").approximateBacklogSize == 0 })
        #expect(try engine.sagemaker.asyncMetrics(endpointName: "slow").invocationsProcessed == 6)
    }

    @Test func timeoutAndTTLEndRequestsAsFailures() throws {
        let engine = try endpointEngine(latency: 2_000)
        try deploy(engine, "slowest", async: true)
        try put(engine, "s3://loan-lab/in/a.csv", Self.lesson)
        var request = InvokeEndpointAsyncInput(endpointName: "slowest", inputLocation: "s3://loan-lab/in/a.csv")
        request.invocationTimeoutSeconds = 1
        let timedOut = try engine.sagemaker.invokeEndpointAsync(request)
        #expect(eventually(timeout: 5) { (try? text(engine, timedOut.failureLocation!))?.contains("timed out") == true })
        #expect { try engine.sagemaker.invokeEndpointAsync({ var r = request; r.requestTTLSeconds = 10; return r }()) } throws: {
            ($0 as? AWSError)?.message.contains("Member must have value greater than or equal to 60") == true
        }
    }

    @Test func scaleToZeroAndBack() throws {
        var configuration = SageMakerService.Configuration()
        configuration.provisioningDelay = 0.05
        configuration.scaleInSeconds = 0.2
        let base = try endpointEngine()
        let engine = Engine(workspace: base.workspace, store: base.store, catalog: base.catalog, configuration: configuration)
        try deploy(engine, "elastic", async: true)
        try engine.sagemaker.registerScalableTarget(ScalableTarget(serviceNamespace: "sagemaker", resourceId: "endpoint/elastic/variant/AllTraffic",
                                                                   scalableDimension: "sagemaker:variant:DesiredInstanceCount", minCapacity: 0, maxCapacity: 2))
        #expect(try eventually { try engine.sagemaker.asyncMetrics(endpointName: "elastic").currentInstanceCount == 0 }, "idle: scaled to zero")
        try put(engine, "s3://loan-lab/in/a.csv", Self.lesson)
        let request = try engine.sagemaker.invokeEndpointAsync(InvokeEndpointAsyncInput(endpointName: "elastic", inputLocation: "s3://loan-lab/in/a.csv"))
        #expect(eventually { (try? text(engine, request.outputLocation)) != nil }, "a backlog brings an instance back")
        #expect(try eventually { try engine.sagemaker.asyncMetrics(endpointName: "elastic").currentInstanceCount == 0 }, "and idle again, zero")
    }

    @Test func aRunningEndpointKeepsTheModelItLoaded() throws {
        let engine = try endpointEngine()
        let expected = try modelPredictions(engine, Self.lesson)
        try deploy(engine, "rt", async: false)
        // On AWS the instances hold the model they loaded when the endpoint came into service: a
        // later change to the artifact in S3 does not reach a running endpoint.
        try put(engine, "s3://loan-lab/models/xgboost/model.tar.gz", "not a model any more")
        let request = InvokeEndpointInput(endpointName: "rt", body: Data(Self.lesson.utf8), contentType: "text/csv")
        #expect(String(decoding: try engine.sagemaker.invokeEndpoint(request).body, as: UTF8.self) == expected)
        // A new deployment loads the artifact as it is now, and fails on it.
        try engine.sagemaker.deleteEndpoint(DeleteEndpointInput(endpointName: "rt"))
        #expect(eventually { (try? engine.sagemaker.describeEndpoint(DescribeEndpointInput(endpointName: "rt"))) == nil })
        _ = try engine.sagemaker.createEndpoint(CreateEndpointInput(endpointName: "rt", endpointConfigName: "rt-config"))
        #expect(try eventually { try engine.sagemaker.describeEndpoint(DescribeEndpointInput(endpointName: "rt")).endpointStatus == "Failed" })
    }

    @Test func aRequestAnsweredBeforeACrashIsFinishedAndNotifiedOnce() throws {
        let engine = try endpointEngine()
        let output = "s3://loan-lab/async-output/answered.out"
        try engine.catalog.enqueue(AsyncRequestRecord(
            id: 0, inferenceId: "answered", endpoint: "ghost", inputLocation: "s3://loan-lab/in/none.csv", contentType: "text/csv",
            accept: nil, outputLocation: output, failureLocation: "s3://loan-lab/async-failures/answered-error.out",
            enqueued: Date(), ttlSeconds: 60, timeoutSeconds: 60, state: "queued"))
        // The process had written the answer, then died before recording it.
        _ = try engine.store.putObject(bucket: "loan-lab", key: "async-output/answered.out", data: Data("0.5\n".utf8), contentType: "text/csv")
        let request = try #require(try engine.catalog.claimNextRequest(endpoint: "ghost", pid: getpid()))
        let processor = AsyncRequestProcessor(catalog: engine.catalog, store: engine.store, now: { Date() }, region: "us-east-1")
        let topics = AsyncInferenceNotificationConfig(successTopic: "arn:aws:sns:us-east-1:123456789012:ok", errorTopic: "arn:aws:sns:us-east-1:123456789012:err")
        processor.process(request, container: try engine.sagemaker.container(forModel: "loan-xgb"),
                          config: AsyncInferenceConfig(outputConfig: AsyncInferenceOutputConfig(s3OutputPath: "s3://loan-lab/async-output/",
                                                                                                notificationConfig: topics)))
        #expect(try text(engine, output) == "0.5\n", "the answer is kept, not recomputed (the input is gone)")
        #expect(try engine.catalog.queueStatistics(endpoint: "ghost") == QueueStatistics(queued: 0, inflight: 0, succeeded: 1, failed: 0, oldestWaiting: nil))
        let notes = try engine.catalog.notifications(endpoint: "ghost")
        #expect(notes.map(\.topic) == ["arn:aws:sns:us-east-1:123456789012:ok"])
        let message = try JSONValue.parse(try #require(notes.first).message)
        #expect(message["responseParameters"]?["contentType"] == .string("text/csv"))
    }
}
