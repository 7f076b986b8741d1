import Foundation
import Testing
@testable import InferLabEngine

/// AWS's billing, counted once: a transform job from TransformStartTime to TransformEndTime (its
/// provisioning before is free, its start-up after is not), shown as money.
@Suite(.serialized)
struct BillingTests {
    /// An engine on a clock of its own: provisioning and start-up long enough to see each phase.
    private func pacedEngine(provisioning: Double, startup: Double, timeScale: Double = 1) throws -> Engine {
        var configuration = SageMakerService.Configuration()
        configuration.provisioningDelay = provisioning
        configuration.startupDelay = startup
        configuration.timeScale = timeScale
        let engine = Engine(workspace: Workspace(root: temporaryFolder()), store: InMemoryObjectStore(), catalog: try Catalog(),
                            configuration: configuration)
        try engine.store.createBucket("loan-lab")
        try engine.store.putObject(bucket: "loan-lab", key: "models/xgboost/model.tar.gz", data: Data(contentsOf: sampleXGBoostArtifact))
        _ = try engine.sagemaker.createModel(xgboostModelInput("loan-xgb"))
        try put(engine, "s3://loan-lab/in/data.csv", TransformJobTests.lesson)
        return engine
    }

    private func describe(_ engine: Engine, _ name: String) throws -> DescribeTransformJobOutput {
        try engine.sagemaker.describeTransformJob(DescribeTransformJobInput(transformJobName: name))
    }

    @Test func provisioningIsNotBilledStartUpIsAndTheBillIsInstancesTimesStartToEnd() throws {
        let engine = try pacedEngine(provisioning: 0.4, startup: 0.4)
        _ = try engine.sagemaker.createTransformJob(transformJob("paced", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/", instances: 2))
        let early = try describe(engine, "paced")
        #expect(early.transformJobStatus == "InProgress")
        #expect(early.transformStartTime == nil)
        #expect(early.inferLabProgress?.phase == TransformPhase.provisioning)
        #expect(early.inferLabProgress?.billableInstanceSeconds == 0)
        #expect(early.inferLabProgress?.estimatedCostUSD == "$0.00")

        Thread.sleep(forTimeInterval: 0.6)
        let starting = try describe(engine, "paced")
        #expect(starting.transformStartTime != nil)
        #expect(starting.inferLabProgress?.phase == TransformPhase.starting)
        #expect((starting.inferLabProgress?.billableInstanceSeconds ?? 0) > 0, "start-up is billed")

        let job = try waitForJob(engine, "paced")
        #expect(job.transformJobStatus == "Completed")
        let progress = try #require(job.inferLabProgress)
        #expect(progress.phase == nil)
        let start = try #require(job.transformStartTime), end = try #require(job.transformEndTime)
        #expect(abs(progress.billableInstanceSeconds - 2 * end.timeIntervalSince(start)) < 0.01,
                "\(progress.billableInstanceSeconds) vs 2 × \(end.timeIntervalSince(start))")
        #expect((progress.provisioningSeconds ?? 0) >= 0.39, "\(progress.provisioningSeconds ?? -1)")
        #expect(abs(start.timeIntervalSince(job.creationTime) - (progress.provisioningSeconds ?? 0)) < 0.01)
        #expect((progress.startupSeconds ?? 0) >= 0.39, "\(progress.startupSeconds ?? -1)")
        let parts = 2 * ((progress.startupSeconds ?? 0) + (progress.transformingSeconds ?? 0))
        #expect(abs(parts - progress.billableInstanceSeconds) < 0.01, "start-up + transforming make the bill")
        let expected = Billing.money(progress.billableInstanceSeconds / 3600 * 0.115)
        #expect(progress.estimatedCostUSD == expected)
        let logs = try engine.catalog.logEvents(group: TransformJobRunner.logGroup, streamPrefix: "paced/")
        #expect(logs.contains { $0.message.contains("loading the model of loan-xgb") && $0.message.contains("billed from now") })
    }

    @Test func aTimeScaleOfZeroMakesTheClockInstant() throws {
        let engine = try pacedEngine(provisioning: 30, startup: 30, timeScale: 0)
        _ = try engine.sagemaker.createTransformJob(transformJob("instant", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/"))
        let started = Date()
        #expect(try waitForJob(engine, "instant", timeout: 10).transformJobStatus == "Completed")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func moneyReadsAsMoney() {
        #expect(Billing.money(9.2e-05) == "$0.000092")
        #expect(Billing.money(0.0123) == "$0.0123")
        #expect(Billing.money(84) == "$84.00")
        #expect(Billing.money(0) == "$0.00")
        #expect(Billing.transformInstanceSeconds(instances: 4, start: Date(timeIntervalSince1970: 100), end: Date(timeIntervalSince1970: 110),
                                                 now: Date(), unbilled: 2) == 32)
        #expect(Billing.transformInstanceSeconds(instances: 4, start: nil, end: nil, now: Date()) == 0, "nothing before it starts")
        #expect(Billing.cost(instanceType: "ml.m5.large", instanceSeconds: 3600) == 0.115)
        #expect(Billing.cost(instanceType: "ml.nothing", instanceSeconds: 3600) == nil)
    }

    /// A catalog written by an older kit kept the cost as a bare number: it still reads, as money.
    @Test func anOlderStoredProgressReadsItsCostAsMoney() throws {
        let stored = #"{"FilesTotal":1,"FilesDone":1,"FilesFailed":0,"Records":3,"MiniBatches":1,"Instances":[],"BillableInstanceSeconds":2.9,"EstimatedCostUSD":9.2e-05}"#
        let progress = try AWSCoding.decoder().decode(InferLabTransformProgress.self, from: Data(stored.utf8))
        #expect(progress.estimatedCostUSD == "$0.000092")
        #expect(progress.phase == nil && progress.startupSeconds == nil)
        let encoded = String(decoding: try AWSCoding.encoder().encode(progress), as: UTF8.self)
        #expect(encoded.contains(#""EstimatedCostUSD":"$0.000092""#) || encoded.contains(#""EstimatedCostUSD" : "$0.000092""#), "\(encoded)")
    }

    @Test func instanceIdsAlwaysHaveSeventeenHexDigits() {
        var names = (0..<2000).map { "job-\($0)" }
        names += ["loan-batch-1", "a", String(repeating: "x", count: 63)]
        for name in names {
            for id in TransformJobExecution.instanceIDs(job: name, count: 4) {
                #expect(id.range(of: "^i-0[0-9a-f]{16}$", options: .regularExpression) != nil, "\(id) for \(name)")
            }
        }
    }
}
