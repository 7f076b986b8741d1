import Foundation
import Testing
import InferLabEngine
@testable import InferLabLabs

/// A lab's clock, its place in the course, and `watched` checks: a step where watching is the
/// lesson is not done before the learner has looked.
struct LabPacingTests {
    private func lab(_ extra: String, checks: String = "") throws -> LabDefinition {
        let yaml = """
            format: 1
            id: paced
            title: Paced
            version: 1
            \(extra)
            steps:
              - id: one
                title: Watch
                text: steps/01.md
                checks:
                  - id: looked
                    description: You looked
                    \(checks.isEmpty ? "watched: loan-batch-1" : checks)
            """
        return try LabLoader.load(try makeLab("paced", yaml: yaml))
    }

    @Test func aLabSetsItsClockAndTheEnvironmentStillWins() throws {
        let paced = try lab("position: 3\ntime_scale: {provisioning_seconds: 15, startup_seconds: 10}")
        #expect(paced.position == 3)
        #expect(paced.timeScale == LabTimeScale(provisioningSeconds: 15, startupSeconds: 10))
        let plain = paced.engineConfiguration(environment: [:])
        #expect(plain.provisioningDelay == 15 && plain.startupDelay == 10 && plain.timeScale == 1)
        let shortened = paced.engineConfiguration(environment: ["INFERLAB_STARTUP_SECONDS": "0", "INFERLAB_TIME_SCALE": "0.01"])
        #expect(shortened.provisioningDelay == 15 && shortened.startupDelay == 0 && shortened.timeScale == 0.01)
        let defaults = try lab("").engineConfiguration(environment: [:])
        #expect(defaults.provisioningDelay == SageMakerService.Configuration().provisioningDelay)
    }

    @Test func aBadClockOrPositionIsExplained() throws {
        #expect { try lab("time_scale: {provisioning_seconds: 9000}") } throws: { "\($0)".contains("time_scale.provisioning_seconds: must be a number of seconds from 0 to 600") }
        #expect { try lab("time_scale: {provision: 3}") } throws: { "\($0)".contains("unknown field 'provision'") }
        #expect { try lab("position: 0") } throws: { "\($0)".contains("position") }
        #expect { try lab("", checks: "watched: 'two words'") } throws: { "\($0)".contains("must be the name of a transform job or an endpoint") }
    }

    @Test func labsComeInCourseOrder() throws {
        var first = try lab("position: 2"), second = try lab("position: 1"), unplaced = try lab("")
        first.id = "b"; second.id = "z"; unplaced.id = "a"
        #expect(LabDefinition.inCourseOrder([first, unplaced, second]).map(\.id) == ["z", "b", "a"])
    }

    @Test func watchedPassesOnlyOnceTheLearnerLookedAtThatResource() throws {
        let engine = try Engine.inMemory(workspace: Workspace(root: FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")))
        let check = try #require(try lab("").steps.first?.checks.first)
        let evaluator = CheckEvaluator(engine: engine, answers: [:])
        func ran(_ command: String, exit: Int = 0) throws { try engine.catalog.logEvent(kind: "command", subject: command, detail: "exit \(exit)") }
        try ran("aws sagemaker create-transform-job --transform-job-name loan-batch-1 --model-name loan-xgb")
        try ran("aws sagemaker describe-transform-job --transform-job-name loan-batch-2")
        try ran("aws sagemaker describe-transform-job --transform-job-name loan-batch-1", exit: 254)
        let before = evaluator.evaluate(check)
        #expect(!before.passed && before.detail.contains("you have not looked at loan-batch-1 yet"), "\(before.detail)")
        try ran("logs tail /aws/sagemaker/TransformJobs --log-stream-name-prefix loan-batch-1")
        #expect(evaluator.evaluate(check).passed)
        for command in ["aws sagemaker wait transform-job-completed-or-stopped --transform-job-name=loan-batch-1",
                        "sagemaker describe-transform-job --transform-job-name loan-batch-1", "transform wait-ended loan-batch-1"] {
            #expect(WatchCommand.watches(command, resource: "loan-batch-1"), "\(command)")
        }
        #expect(WatchCommand.watches("endpoint metrics loan-async", resource: "loan-async"))
        #expect(WatchCommand.watches("aws logs tail /aws/sagemaker/Endpoints/loan-async", resource: "loan-async"))
        #expect(!WatchCommand.watches("aws sagemaker delete-endpoint --endpoint-name loan-async", resource: "loan-async"))
        #expect(!WatchCommand.watches("aws s3 ls s3://loan-lab/loan-batch-1", resource: "loan-batch-1"))
    }
}
