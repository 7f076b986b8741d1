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
