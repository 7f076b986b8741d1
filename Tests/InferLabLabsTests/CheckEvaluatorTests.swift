import Foundation
import Testing
import InferLabEngine
@testable import InferLabLabs

struct CheckEvaluatorTests {
    private func engine() throws -> Engine {
        try Engine.inMemory(workspace: Workspace(root: FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID().uuidString)")))
    }

    private func check(_ kind: CheckKind) -> LabCheck { LabCheck(id: "c", description: "d", points: 3, failure: "f", kind: kind) }

    @Test func storeChecksInspectRealState() throws {
        let engine = try engine()
        let evaluator = CheckEvaluator(engine: engine, answers: [:])
        #expect(!evaluator.evaluate(check(.bucketExists("lab-bucket"))).passed)
        try engine.store.createBucket("lab-bucket")
        try engine.store.putObject(bucket: "lab-bucket", key: "out/a.csv.out", data: Data("1\n2\n".utf8))
        try engine.store.putObject(bucket: "lab-bucket", key: "out/b.csv", data: Data())
        #expect(evaluator.evaluate(check(.bucketExists("lab-bucket"))) == CheckResult(checkId: "c", passed: true, points: 3, detail: ""))
        #expect(evaluator.evaluate(check(.objects(prefix: "s3://lab-bucket/out/", count: 1, minCount: nil, suffix: ".out"))).passed)
        let tooFew = evaluator.evaluate(check(.objects(prefix: "s3://lab-bucket/out/", count: nil, minCount: 3, suffix: nil)))
        #expect(!tooFew.passed && tooFew.points == 0 && tooFew.detail == "found 2 object(s) under s3://lab-bucket/out/, expected at least 3")
        #expect(evaluator.evaluate(check(.objectLines(uri: "s3://lab-bucket/out/a.csv.out", lines: 2))).passed)
        #expect(!evaluator.evaluate(check(.objectExists("s3://lab-bucket/missing"))).passed)
    }

    /// "You did it with boto3": the endpoint's request log, successful calls only.
    @Test func apiCalledMatchesSuccessfulEndpointCalls() throws {
        let engine = try engine()
        let evaluator = CheckEvaluator(engine: engine, answers: [:])
        let boto3 = check(.apiCalled(pattern: "^sagemaker-runtime\\.InvokeEndpointAsync Boto3/"))
        #expect(!evaluator.evaluate(boto3).passed)
        func call(_ status: Int, agent: String) {
            engine.requests.record(APIRequestRecord(time: Date(), client: APIRequestRecord.client(fromUserAgent: agent), service: "sagemaker-runtime",
                                                    operation: "InvokeEndpointAsync", status: status, durationMilliseconds: 1, errorCode: nil, resource: "/endpoints/e"))
        }
        call(400, agent: "Boto3/1.43.11 md/Botocore#1.43.11")
        call(202, agent: "aws-cli/1.45.11 md/Botocore#1.43.11")
        let result = evaluator.evaluate(boto3)
        #expect(!result.passed && result.detail.contains("requests"), "a failed boto3 call and a CLI call do not count")
        call(202, agent: "Boto3/1.43.11 md/Botocore#1.43.11")
        #expect(evaluator.evaluate(boto3).passed)
    }

    @Test func quizzesUseTheLearnersAnswer() throws {
        let quiz = check(.quiz(question: "q", choices: ["a", "b"], answer: 2))
        #expect(!CheckEvaluator(engine: try engine(), answers: [:]).evaluate(quiz).passed)
        #expect(!CheckEvaluator(engine: try engine(), answers: ["c": 1]).evaluate(quiz).passed)
        #expect(CheckEvaluator(engine: try engine(), answers: ["c": 2]).evaluate(quiz).passed)
    }

    @Test func commandRanReadsTheEventLog() throws {
        let engine = try engine()
        let evaluator = CheckEvaluator(engine: engine, answers: [:])
        let ran = check(.commandRan(pattern: "^aws logs tail"))
        #expect(!evaluator.evaluate(ran).passed)
        try engine.catalog.logEvent(kind: "command", subject: "aws logs tail /aws/sagemaker/TransformJobs", detail: "exit 1")
        #expect(!evaluator.evaluate(ran).passed, "a failed command does not count")
        try engine.catalog.logEvent(kind: "command", subject: "aws logs tail /aws/sagemaker/TransformJobs", detail: "exit 0")
        #expect(evaluator.evaluate(ran).passed)
    }
}
