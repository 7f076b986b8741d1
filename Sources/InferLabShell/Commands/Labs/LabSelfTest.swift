import Foundation
import InferLabEngine
import InferLabLabs

/// Runs a lab in a fresh workspace: every step's checks must fail before its solution runs and
/// pass after it (quizzes are answered by their `lab answer` solve lines).
struct LabSelfTest {
    let lab: LabDefinition
    let registry: CommandRegistry
    let kit: KitConfiguration
    /// How much faster than the lab's own clock the selftest runs.
    static let timeScale = 0.01

    struct Report {
        var problems: [String] = []
        var checks = 0
        var seconds = 0.0
    }

    func run() async -> Report {
        var report = Report()
        let started = Date()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-selftest-\(lab.id)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        // The lab's clock, made a hundred times faster (unless INFERLAB_TIME_SCALE says otherwise):
        // the selftest proves the checks, not the learner's patience.
        var environment = ProcessInfo.processInfo.environment
        if environment["INFERLAB_TIME_SCALE"] == nil { environment["INFERLAB_TIME_SCALE"] = String(Self.timeScale) }
        let configuration = lab.engineConfiguration(environment: environment)
        let engine: Engine
        do { engine = try Engine.open(Workspace(root: root), configuration: configuration) } catch {
            report.problems.append("cannot make a workspace: \(error)")
            return report
        }
        let captured = CapturedOutput()
        let session = Session(engine: engine, console: captured.console(), registry: registry, isInteractive: false, kit: kit)
        session.setLab(ActiveLab(definition: lab, progress: LabProgress(lab: lab)))
        let executor = CommandExecutor(session: session)
        for command in lab.setup where await executor.run(line: command) != 0 {
            report.problems.append("setup `\(command)` failed: \(captured.error.suffix(300))")
            return report
        }
        for step in lab.steps {
            let before = CheckEvaluator(engine: engine, answers: session.lab?.progress.answers ?? [:])
            for check in step.checks where before.evaluate(check).passed {
                report.problems.append("step \(step.id): check \(check.id) passes before the step is done")
            }
            for command in step.solve {
                let status = await executor.run(line: command)
                if status != 0 {
                    report.problems.append("step \(step.id): solve `\(command)` failed (exit \(status)): \(captured.error.suffix(300))")
                    return report
                }
            }
            let after = CheckEvaluator(engine: engine, answers: session.lab?.progress.answers ?? [:])
            for check in step.checks {
                report.checks += 1
                let result = after.evaluate(check)
                if !result.passed { report.problems.append("step \(step.id): check \(check.id) still fails after solve: \(result.detail)") }
            }
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }
}

/// What `lab new` writes: a commented one-step lab.
enum LabTemplate {
    static func yaml(id: String) -> String {
        """
        # A lab for InferLab (format 1). labs/README.md explains every field and check kind.
        format: 1
        id: \(id)                  # must equal the folder name
        title: My first lab
        version: 1                 # raise it when you change checks: bundles record it
        summary: What the learner will do, in a sentence or two.
        minutes: 10
        setup: []                  # commands run silently when the lab starts
        steps:
          - id: make-bucket
            title: Make a bucket
            text: steps/01-make-bucket.md
            practises: [aws s3 mb]
            hints:                 # `lab hint` shows the next one each time
              - Buckets are made with `aws s3 mb`.
              - "Type: aws s3 mb s3://my-first-bucket"
            checks:
              - id: bucket
                description: The bucket my-first-bucket exists
                points: 1
                failure: Make it with `aws s3 mb s3://my-first-bucket`.
                bucket_exists: my-first-bucket
            solve:                 # what `lab solve` and `lab selftest` run
              - aws s3 mb s3://my-first-bucket

        """
    }

    static let step = """
        # Make a bucket

        Everything in this course lives in S3 buckets. Make one:

        ```
        aws s3 mb s3://my-first-bucket
        ```

        The checkpoint passes when the bucket exists.

        """
}
