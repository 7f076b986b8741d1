import Foundation
import Testing
@testable import InferLabEngine

@Suite(.serialized)
struct TransformJobTests {
    static let lesson = "25,50000,2\n35,60000,3\n45,45000,1\n"

    @Test func theLessonJobWritesDataCsvOutWithTheModelsPredictions() throws {
        let engine = try transformEngine()
        try put(engine, "s3://loan-lab/batch-input/data.csv", Self.lesson)
        _ = try engine.sagemaker.createTransformJob(transformJob("lesson", input: "s3://loan-lab/batch-input/", output: "s3://loan-lab/batch-output/"))
        let job = try waitForJob(engine, "lesson")
        #expect(job.transformJobStatus == "Completed")
        #expect(job.transformStartTime != nil && job.transformEndTime != nil)
        let output = try text(engine, "s3://loan-lab/batch-output/data.csv.out")
        #expect(output == (try modelPredictions(engine, Self.lesson)))
        #expect(output.split(separator: "\n").count == 3)
        #expect(job.inferLabProgress?.records == 3)
        #expect((job.inferLabProgress?.billableInstanceSeconds ?? -1) >= 0)
    }

    @Test func twoFilesKeepTwoInstancesBusyAndOneFileLeavesOneIdle() throws {
        let engine = try transformEngine()
        try put(engine, "s3://loan-lab/two/part-0.csv", Self.lesson)
        try put(engine, "s3://loan-lab/two/part-1.csv", Self.lesson)
        try put(engine, "s3://loan-lab/one/all.csv", Self.lesson)
        _ = try engine.sagemaker.createTransformJob(transformJob("two-files", input: "s3://loan-lab/two/", output: "s3://loan-lab/out2/", instances: 2))
        _ = try engine.sagemaker.createTransformJob(transformJob("one-file", input: "s3://loan-lab/one/", output: "s3://loan-lab/out1/", instances: 2))
        let busy = try waitForJob(engine, "two-files").inferLabProgress?.instances.map(\.files.count)
        #expect(busy == [1, 1])
        let idle = try waitForJob(engine, "one-file").inferLabProgress?.instances.map(\.files.count)
        #expect(idle == [1, 0])
        let logs = try engine.catalog.logEvents(group: TransformJobRunner.logGroup, streamPrefix: "one-file/")
        #expect(logs.contains { $0.message.contains("This instance received no input") })
        #expect(Set(logs.map(\.stream)).count == 2, "one log stream per instance")
    }

    @Test func aBadRecordFailsItsFileOnlyAndTheReasonNamesFileAndLine() throws {
        let engine = try transformEngine()
        try put(engine, "s3://loan-lab/mixed/a-good.csv", Self.lesson)
        try put(engine, "s3://loan-lab/mixed/b-bad.csv", "25,50000,2\n35,sixty thousand,1\n45,45000,1\n")
        _ = try engine.sagemaker.createTransformJob(transformJob("mixed", input: "s3://loan-lab/mixed/", output: "s3://loan-lab/mixed-out/"))
        let job = try waitForJob(engine, "mixed")
        #expect(job.transformJobStatus == "Failed")
        #expect(job.failureReason?.contains("s3://loan-lab/mixed/b-bad.csv, line 2") == true, "\(job.failureReason ?? "")")
        #expect(job.failureReason?.contains("'sixty thousand' is not a number") == true)
        #expect(try text(engine, "s3://loan-lab/mixed-out/a-good.csv.out").split(separator: "\n").count == 3)
        #expect(throws: AWSError.self) { try text(engine, "s3://loan-lab/mixed-out/b-bad.csv.out") }
    }

    @Test func filtersAndJoinKeepTheIdWithItsScore() throws {
        let engine = try transformEngine()
        try put(engine, "s3://loan-lab/ids/apps.csv", "APP-1,25,50000,2\nAPP-2,35,60000,3\n")
        var job = transformJob("ids", input: "s3://loan-lab/ids/", output: "s3://loan-lab/ids-out/", accept: "text/csv")
        job.dataProcessing = DataProcessing(inputFilter: "$[1:]", outputFilter: "$[0,-1]", joinSource: "Input")
        _ = try engine.sagemaker.createTransformJob(job)
        #expect(try waitForJob(engine, "ids").transformJobStatus == "Completed")
        let scores = try modelPredictions(engine, "25,50000,2\n35,60000,3\n").split(separator: "\n")
        #expect(try text(engine, "s3://loan-lab/ids-out/apps.csv.out") == "APP-1,\(scores[0])\nAPP-2,\(scores[1])\n")
    }

    @Test func joinWithoutFiltersAppendsThePrediction() throws {
        let engine = try transformEngine()
        try put(engine, "s3://loan-lab/join/data.csv", "25,50000,2\n")
        var job = transformJob("join", input: "s3://loan-lab/join/", output: "s3://loan-lab/join-out/", accept: "text/csv")
        job.dataProcessing = DataProcessing(joinSource: "Input")
        _ = try engine.sagemaker.createTransformJob(job)
        #expect(try waitForJob(engine, "join").transformJobStatus == "Completed")
        let score = try modelPredictions(engine, "25,50000,2\n").trimmingCharacters(in: .newlines)
        #expect(try text(engine, "s3://loan-lab/join-out/data.csv.out") == "25,50000,2,\(score)\n")
    }

    @Test func theInputPrefixIsARawStringPrefix() throws {
        let engine = try transformEngine()
        try put(engine, "s3://loan-lab/test/a.csv", Self.lesson)
        try put(engine, "s3://loan-lab/test_output/b.csv", Self.lesson)
        _ = try engine.sagemaker.createTransformJob(transformJob("prefix", input: "s3://loan-lab/test", output: "s3://loan-lab/res"))
        #expect(try waitForJob(engine, "prefix").inferLabProgress?.filesTotal == 2)
        // Output keys keep the path relative to the input root (the prefix up to its last '/').
        #expect(try engine.store.listAllObjects(bucket: "loan-lab", prefix: "res/").map(\.key) == ["res/test/a.csv.out", "res/test_output/b.csv.out"])
    }

    @Test func miniBatchesRespectMaxPayloadAndSingleRecord() throws {
        let engine = try transformEngine()
        let row = "35,60000,3\n"
        let rows = String(repeating: row, count: 200_000)  // 2.2 MB
        try put(engine, "s3://loan-lab/big/rows.csv", rows)
        var multi = transformJob("multi", input: "s3://loan-lab/big/", output: "s3://loan-lab/big-multi/")
        multi.maxPayloadInMB = 1
        _ = try engine.sagemaker.createTransformJob(multi)
        let packed = try waitForJob(engine, "multi")
        #expect(packed.inferLabProgress?.miniBatches == 3, "2.2 MB in payloads of at most 1 MB")
        #expect(packed.inferLabProgress?.records == 200_000)
        try put(engine, "s3://loan-lab/few/rows.csv", String(repeating: row, count: 5))
        var single = transformJob("single", input: "s3://loan-lab/few/", output: "s3://loan-lab/few-out/")
        single.batchStrategy = "SingleRecord"
        _ = try engine.sagemaker.createTransformJob(single)
        #expect(try waitForJob(engine, "single").inferLabProgress?.miniBatches == 5)
    }

    @Test func aRecordOverTheLimitFailsTheFile() throws {
        let engine = try transformEngine()
        let huge = String(repeating: "1", count: 1_100_000) + ",2,3\n"
        try put(engine, "s3://loan-lab/huge/x.csv", huge)
        var job = transformJob("huge", input: "s3://loan-lab/huge/", output: "s3://loan-lab/huge-out/")
        job.maxPayloadInMB = 1
        _ = try engine.sagemaker.createTransformJob(job)
        let result = try waitForJob(engine, "huge")
        #expect(result.transformJobStatus == "Failed")
        #expect(result.failureReason?.contains("Record is larger than 1MB") == true)
    }

    @Test func gzipSplitNoneAndAssembleNone() throws {
        let engine = try transformEngine()
        try engine.store.putObject(bucket: "loan-lab", key: "gz/data.csv.gz", data: try Gzip.compress(Data(Self.lesson.utf8)))
        var gz = transformJob("gz", input: "s3://loan-lab/gz/", output: "s3://loan-lab/gz-out/")
        gz.transformInput.compressionType = "Gzip"
        _ = try engine.sagemaker.createTransformJob(gz)
        #expect(try waitForJob(engine, "gz").transformJobStatus == "Completed")
        #expect(try text(engine, "s3://loan-lab/gz-out/data.csv.gz.out") == (try modelPredictions(engine, Self.lesson)))

        try put(engine, "s3://loan-lab/whole/a.csv", Self.lesson)
        _ = try engine.sagemaker.createTransformJob(transformJob("whole", input: "s3://loan-lab/whole/", output: "s3://loan-lab/whole-out/",
                                                                  split: nil, assemble: nil))
        let whole = try waitForJob(engine, "whole")
        #expect(whole.inferLabProgress?.miniBatches == 1)
        #expect(try text(engine, "s3://loan-lab/whole-out/a.csv.out") == (try modelPredictions(engine, Self.lesson)))
    }

    @Test func manifestFileListsTheInputs() throws {
        let engine = try transformEngine()
        try put(engine, "s3://loan-lab/m/x/one.csv", Self.lesson)
        try put(engine, "s3://loan-lab/m/y/two.csv", Self.lesson)
        try put(engine, "s3://loan-lab/m/ignored.csv", Self.lesson)
        try put(engine, "s3://loan-lab/manifest.json", #"[{"prefix": "s3://loan-lab/m/"}, "x/one.csv", "y/two.csv"]"#)
        var job = transformJob("manifest", input: "s3://loan-lab/manifest.json", output: "s3://loan-lab/m-out/")
        job.transformInput.dataSource.s3DataSource.s3DataType = "ManifestFile"
        _ = try engine.sagemaker.createTransformJob(job)
        #expect(try waitForJob(engine, "manifest").transformJobStatus == "Completed")
        #expect(try engine.store.listAllObjects(bucket: "loan-lab", prefix: "m-out/").map(\.key) == ["m-out/x/one.csv.out", "m-out/y/two.csv.out"])
    }

    @Test func controlPlaneErrorsAreAWSs() throws {
        let engine = try transformEngine()
        try put(engine, "s3://loan-lab/in/a.csv", Self.lesson)
        let service = engine.sagemaker
        _ = try service.createTransformJob(transformJob("taken", input: "s3://loan-lab/in/", output: "s3://loan-lab/o/"))
        #expect { try service.createTransformJob(transformJob("taken", input: "s3://loan-lab/in/", output: "s3://loan-lab/o2/")) } throws: {
            ($0 as? AWSError)?.code == "ResourceInUse"
        }
        #expect { try service.createTransformJob(transformJob("no-model", input: "s3://loan-lab/in/", output: "s3://loan-lab/o/", model: "ghost")) } throws: {
            ($0 as? AWSError)?.message == "Could not find model \"arn:aws:sagemaker:us-east-1:123456789012:model/ghost\"."
        }
        var badType = transformJob("bad-type", input: "s3://loan-lab/in/", output: "s3://loan-lab/o/")
        badType.transformResources.instanceType = "ml.t2.medium"
        #expect { try service.createTransformJob(badType) } throws: {
            ($0 as? AWSError)?.message.contains("Value 'ml.t2.medium' at 'transformResources.instanceType' failed to satisfy constraint") == true
        }
        var tooMuch = transformJob("too-much", input: "s3://loan-lab/in/", output: "s3://loan-lab/o/")
        tooMuch.maxConcurrentTransforms = 20
        tooMuch.maxPayloadInMB = 6
        #expect { try service.createTransformJob(tooMuch) } throws: { ($0 as? AWSError)?.message.contains("must not exceed 100 MB") == true }
        var underscore = transformJob("underscore", input: "s3://loan-lab/in/", output: "s3://loan-lab/o/", accept: "application/jsonlines")
        underscore.transformInput.contentType = "application/jsonlines"
        underscore.dataProcessing = DataProcessing(outputFilter: "$['account_id','SageMakerOutput']")
        #expect { try service.createTransformJob(underscore) } throws: { ($0 as? AWSError)?.message.contains("Unexpected \"_\" in JsonPath") == true }
        var ranges = transformJob("ranges", input: "s3://loan-lab/in/", output: "s3://loan-lab/o/", accept: "text/csv")
        ranges.dataProcessing = DataProcessing(inputFilter: "$[0:2,246:]")
        #expect { try service.createTransformJob(ranges) } throws: {
            ($0 as? AWSError)?.message.contains("only single range filters of format (eg: [1:5]) are supported") == true
        }
        #expect { try service.describeTransformJob(DescribeTransformJobInput(transformJobName: "ghost")) } throws: {
            ($0 as? AWSError)?.code == "ValidationException"
        }
    }

    @Test func listFiltersBeforePaginating() throws {
        let engine = try transformEngine()
        try put(engine, "s3://loan-lab/in/a.csv", Self.lesson)
        for index in 0..<4 {
            _ = try engine.sagemaker.createTransformJob(transformJob("keep-\(index)", input: "s3://loan-lab/in/", output: "s3://loan-lab/o\(index)/"))
            _ = try engine.sagemaker.createTransformJob(transformJob("other-\(index)", input: "s3://loan-lab/in/", output: "s3://loan-lab/p\(index)/"))
        }
        var request = ListTransformJobsInput()
        request.nameContains = "keep"
        request.maxResults = 3
        let first = try engine.sagemaker.listTransformJobs(request)
        #expect(first.transformJobSummaries.count == 3)
        #expect(first.transformJobSummaries.allSatisfy { $0.transformJobName.hasPrefix("keep") })
        request.nextToken = first.nextToken
        #expect(try engine.sagemaker.listTransformJobs(request).transformJobSummaries.map(\.transformJobName) == ["keep-0"])
    }

    @Test func stopEndsTheJobWithoutOutput() throws {
        let engine = try engineWithSampleModel()
        _ = try engine.sagemaker.createModel(xgboostModelInput("loan-xgb"))
        try put(engine, "s3://loan-lab/stop/a.csv", String(repeating: "35,60000,3\n", count: 100_000))
        var job = transformJob("stop-me", input: "s3://loan-lab/stop/", output: "s3://loan-lab/stop-out/")
        job.batchStrategy = "SingleRecord"  // 100,000 requests: slow enough to stop midway
        _ = try engine.sagemaker.createTransformJob(job)
        Thread.sleep(forTimeInterval: 0.05)
        try engine.sagemaker.stopTransformJob(StopTransformJobInput(transformJobName: "stop-me"))
        let stopped = try waitForJob(engine, "stop-me")
        #expect(stopped.transformJobStatus == "Stopped")
        #expect(try engine.store.listAllObjects(bucket: "loan-lab", prefix: "stop-out/").isEmpty)
        #expect { try engine.sagemaker.stopTransformJob(StopTransformJobInput(transformJobName: "stop-me")) } throws: {
            ($0 as? AWSError)?.message.contains("only an InProgress job can be stopped") == true
        }
    }
}

@Suite(.serialized)
struct TransformJobMoreTests {
    @Test func jsonLinesFiltersAndJoinWithLinearLearner() throws {
        let engine = try engineWithSampleModel()
        let artifact = sampleXGBoostArtifact.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("linear-learner/model.tar.gz")
        try engine.store.putObject(bucket: "loan-lab", key: "models/ll/model.tar.gz", data: Data(contentsOf: artifact))
        _ = try engine.sagemaker.createModel(CreateModelInput(modelName: "loan-ll", primaryContainer: ContainerDefinition(
            image: BuiltinAlgorithm.linearLearner.exampleImage, modelDataUrl: "s3://loan-lab/models/ll/model.tar.gz")))
        try put(engine, "s3://loan-lab/jl/apps.jsonl", "{\"id\":\"a1\",\"features\":[25,50000,2]}\n{\"id\":\"a2\",\"features\":[45,45000,1]}\n")
        var job = transformJob("jsonl", input: "s3://loan-lab/jl/", output: "s3://loan-lab/jl-out/", model: "loan-ll", accept: "application/jsonlines")
        job.transformInput.contentType = "application/jsonlines"
        job.dataProcessing = DataProcessing(inputFilter: "$.features", outputFilter: "$['id','SageMakerOutput']", joinSource: "Input")
        _ = try engine.sagemaker.createTransformJob(job)
        let result = try waitForJob(engine, "jsonl")
        #expect(result.transformJobStatus == "Completed", "\(result.failureReason ?? "")")
        let lines = try text(engine, "s3://loan-lab/jl-out/apps.jsonl.out").split(separator: "\n").map { try JSONValue.parse(String($0)) }
        #expect(lines.count == 2)
        #expect(lines.first?["id"] == .string("a1"))
        #expect(lines.first?["SageMakerOutput"]?["predicted_label"] != nil)
        #expect(lines.first?["SageMakerOutput"]?["score"] != nil)
    }

    @Test func linearLearnerRefusesCSVOutputAsTheRealContainerDoes() throws {
        let engine = try engineWithSampleModel()
        let artifact = sampleXGBoostArtifact.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("linear-learner/model.tar.gz")
        try engine.store.putObject(bucket: "loan-lab", key: "models/ll/model.tar.gz", data: Data(contentsOf: artifact))
        _ = try engine.sagemaker.createModel(CreateModelInput(modelName: "loan-ll", primaryContainer: ContainerDefinition(
            image: "linear-learner", modelDataUrl: "s3://loan-lab/models/ll/model.tar.gz")))
        try put(engine, "s3://loan-lab/in/data.csv", "25,50000,2\n")
        _ = try engine.sagemaker.createTransformJob(transformJob("ll-csv", input: "s3://loan-lab/in/", output: "s3://loan-lab/o/",
                                                                  model: "loan-ll", accept: "text/csv"))
        let job = try waitForJob(engine, "ll-csv")
        #expect(job.transformJobStatus == "Failed")
        #expect(job.failureReason?.contains("406") == true || job.failureReason?.lowercased().contains("csv") == true, "\(job.failureReason ?? "")")
    }

    /// The job hands MaxConcurrentTransforms to its transformer (TransformConcurrencyTests sees the
    /// requests overlap there): eight 250 ms requests take at least 2 s one at a time, about 0.5 s
    /// four at a time. The two jobs run one right after the other, so load slows both alike.
    @Test func maxConcurrentTransformsKeepsSeveralRequestsInFlight() throws {
        let engine = try engineWithSampleModel()
        var model = xgboostModelInput("slow")
        model.primaryContainer?.environment = ["INFERLAB_MODEL_LATENCY_MS": "250"]
        _ = try engine.sagemaker.createModel(model)
        try put(engine, "s3://loan-lab/slow/a.csv", String(repeating: "35,60000,3\n", count: 8))
        func run(_ concurrency: Int) throws -> TimeInterval {
            var job = transformJob("slow-\(concurrency)", input: "s3://loan-lab/slow/", output: "s3://loan-lab/slow-\(concurrency)/", model: "slow")
            job.batchStrategy = "SingleRecord"
            job.maxConcurrentTransforms = concurrency
            let started = Date()
            _ = try engine.sagemaker.createTransformJob(job)
            #expect(try waitForJob(engine, "slow-\(concurrency)").transformJobStatus == "Completed")
            #expect(try text(engine, "s3://loan-lab/slow-\(concurrency)/a.csv.out").split(separator: "\n").count == 8)
            return Date().timeIntervalSince(started)
        }
        let oneAtATime = try run(1)
        let fourAtATime = try run(4)
        #expect(oneAtATime >= 2.0)
        #expect(oneAtATime - fourAtATime > 0.75, "one at a time \(oneAtATime) s, four at a time \(fourAtATime) s")
    }

    @Test func anInvocationSlowerThanTheTimeoutIsRetriedThenFailsTheFile() throws {
        let engine = try engineWithSampleModel()
        var model = xgboostModelInput("too-slow")
        model.primaryContainer?.environment = ["INFERLAB_MODEL_LATENCY_MS": "5000"]
        _ = try engine.sagemaker.createModel(model)
        try put(engine, "s3://loan-lab/timeout/a.csv", "35,60000,3\n")
        var job = transformJob("timeout", input: "s3://loan-lab/timeout/", output: "s3://loan-lab/timeout-out/", model: "too-slow")
        job.modelClientConfig = ModelClientConfig(invocationsTimeoutInSeconds: 1, invocationsMaxRetries: 1)
        let started = Date()
        _ = try engine.sagemaker.createTransformJob(job)
        let described = try waitForJob(engine, "timeout")
        let elapsed = Date().timeIntervalSince(started)
        #expect(described.transformJobStatus == "Failed")
        #expect(described.failureReason?.contains("InvocationsTimeoutInSeconds (1 s)") == true, "\(described.failureReason ?? "")")
        #expect(described.failureReason?.contains("s3://loan-lab/timeout/a.csv") == true)
        // Two attempts cut off at 1 s each; had the model been waited for, they would take 10 s.
        #expect(elapsed >= 2 && elapsed < 6, "took \(elapsed) s")
        let logs = try engine.catalog.logEvents(group: TransformJobRunner.logGroup, streamPrefix: "timeout/")
        #expect(logs.contains { $0.message.contains("Retrying a request that timed out after 1 s (attempt 2 of 2)") })
        #expect(throws: (any Error).self) { try text(engine, "s3://loan-lab/timeout-out/a.csv.out") }
    }
}
