import Foundation
import InferLabEngine

/// `aws sagemaker wait transform-job-completed-or-stopped`, with a progress bar on a terminal.
enum TransformWaiter {
    static let waitCompletedOrStopped = CommandSpec(
        ["sagemaker", "wait", "transform-job-completed-or-stopped"], family: .sagemaker,
        summary: "Wait until a transform job is Completed or Stopped",
        discussion: """
        Succeeds on Completed or Stopped; fails (exit 255) on Failed or an unknown job, with the AWS CLI's \
        waiter message. AWS polls every 60 s; InferLab polls every 0.1 s and shows a live progress line in \
        the interactive shell: the phase (provisioning, not billed; start-up, billed), then files and records. \
        Ctrl-C stops waiting, not the job. While it waits, this process takes up \
        a job whose own process was killed (within about a second; the job log says so).
        """,
        options: [OptionSpec("transform-job-name", placeholder: "NAME", help: "the job", isRequired: true,
                             completion: TransformCommands.jobNames)],
        examples: ["aws sagemaker wait transform-job-completed-or-stopped --transform-job-name loan-batch-1"]
    ) { invocation in
        let engine = invocation.session.engine
        let name = invocation.value("transform-job-name")!
        let console = invocation.console
        let showBar = invocation.session.isInteractive && console.style.isDecorated
        let deadline = Date().addingTimeInterval(3600)
        while Date() < deadline {
            let job: DescribeTransformJobOutput
            do {
                job = try engine.sagemaker.describeTransformJob(DescribeTransformJobInput(transformJobName: name))
            } catch let error as AWSError {
                throw CLIFailure("Waiter TransformJobCompletedOrStopped failed: Waiter encountered a terminal failure state: An error occurred (\(error.code)): \(error.message)",
                                 hint: error.hint, exitCode: ExitCode.generalError)
            }
            if showBar { console.writeError("\r" + bar(job, style: console.style) + "\u{1B}[K") }
            switch job.transformJobStatus {
            case "Completed", "Stopped":
                if showBar { console.writeError("\r\u{1B}[K") }
                invocation.session.events.acknowledge("Transform job \(name): ")
                return
            case "Failed":
                if showBar { console.writeError("\r\u{1B}[K") }
                throw CLIFailure("Waiter TransformJobCompletedOrStopped failed: Waiter encountered a terminal failure state: For expression \"TransformJobStatus\" we matched expected path: \"Failed\"",
                                 hint: job.failureReason, exitCode: ExitCode.generalError)
            default:
                do { try await Task.sleep(for: .milliseconds(100)) } catch {
                    // Ctrl-C stops the waiting, never the job: say so where the bar was.
                    if showBar { console.writeError("\r\u{1B}[K") }
                    console.printError("Stopped waiting; \(name) is still \(job.transformJobStatus) and goes on in the background (the shell announces its end).")
                    throw error
                }
            }
        }
        throw CLIFailure("Waiter TransformJobCompletedOrStopped failed: Max attempts exceeded", exitCode: ExitCode.generalError)
    }

    /// The live line: the phase while the instances start, then
    /// `[##########··········] 1/2 files · 1,000 records · 3 mini-batches · InProgress · 14 s`.
    static func bar(_ job: DescribeTransformJobOutput, style: Style, now: Date = Date()) -> String {
        let elapsed = String(format: "%.0f s", max(0, now.timeIntervalSince(job.creationTime)))
        guard let progress = job.inferLabProgress, progress.filesTotal > 0 else {
            let phase = job.inferLabProgress?.phase ?? (job.transformStartTime == nil ? TransformPhase.provisioning : TransformPhase.starting)
            return "\(job.transformJobName): \(style.status(job.transformJobStatus)) · \(phase) · \(elapsed)"
        }
        let width = 20
        let done = progress.filesDone + progress.filesFailed
        let filled = min(width, done * width / progress.filesTotal)
        let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled)
        return "[\(bar)] \(done)/\(progress.filesTotal) files · \(progress.records) records · \(progress.miniBatches) mini-batches · \(style.status(job.transformJobStatus)) · \(elapsed)"
    }
}

/// `transform wait-ended`: for scripts and lab solutions that expect a job to fail.
enum TransformEndWaiter {
    static let waitEnded = CommandSpec(
        ["transform", "wait-ended"], family: .kit, summary: "Wait until a transform job has ended, however it ended (not an AWS command)",
        discussion: "Exits 0 when the job is Completed, Failed or Stopped and prints its status. The AWS waiter `aws sagemaker wait transform-job-completed-or-stopped` fails (exit 255) on Failed; use this where a failure is expected.",
        arguments: [ArgumentSpec("NAME", help: "the job", completion: TransformCommands.jobNames)]
    ) { invocation in
        let engine = invocation.session.engine
        while true {
            let job = try SageMakerOperations.DescribeTransformJob.run(DescribeTransformJobInput(transformJobName: invocation.arguments[0]), on: engine)
            if ["Completed", "Failed", "Stopped"].contains(job.transformJobStatus) {
                invocation.console.print("\(job.transformJobName): \(invocation.console.style.status(job.transformJobStatus))")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
