import Foundation
import InferLabEngine

/// `aws sagemaker create-training-job`, `describe-`, `list-`, `stop-training-job`, and the
/// `training-job-completed-or-stopped` waiter.
enum TrainingJobCommands {
    static var all: [CommandSpec] {
        [createTrainingJob, describeTrainingJob, listTrainingJobs, stopTrainingJob, waitCompletedOrStopped]
    }

    static let jobNames = CompletionSource.dynamic { session, _ in
        (try? session.engine.catalog.allTrainingJobs().map(\.name)) ?? []
    }

    static let createTrainingJob = AWSCommand.make(
        .sagemaker, "create-training-job", operation: "CreateTrainingJob", summary: "Start a training job",
        discussion: """
        The job runs in the background: Starting (instances acquired for INFERLAB_PROVISIONING_SECONDS, not \
        billed), then from TrainingStartTime, billed: Downloading (each channel's objects copied into the \
        instance's /opt/ml/input/data/<channel>, and the image pulled for INFERLAB_STARTUP_SECONDS), Training, \
        Uploading (/opt/ml/model as <S3OutputPath>/<job>/output/model.tar.gz), Completed. TrainingImage \
        chooses what runs: the built-in XGBoost algorithm (sagemaker-xgboost:1.7-1, the real xgboost; \
        hyperparameters num_round, objective, max_depth, eta…; CSV label first or libsvm), the built-in Linear \
        Learner (linear-learner; feature_dim, predictor_type…; CSV label first), or SKLearn script mode \
        (sagemaker-scikit-learn:1.2-1-cpu-py3: the sagemaker_program and sagemaker_submit_directory \
        hyperparameters, as the SDK sends them; the script runs on the course interpreter with the SM_* \
        environment). The instance's folders stay in the workspace, under .inferlab/training/<job>/algo-1/opt/ml. \
        One instance only. Follow it with `aws sagemaker wait training-job-completed-or-stopped`.
        """,
        notes: [
            "TrainingJobName": MemberNote("unique, letters, digits and hyphens"),
            "RoleArn": MemberNote("any IAM role ARN of the account, e.g. arn:aws:iam::123456789012:role/SageMakerRole"),
            "StoppingCondition": MemberNote("MaxRuntimeInSeconds (default 86400): the job is stopped when it runs longer"),
        ],
        examples: [
            "aws sagemaker create-training-job --training-job-name loan-xgb-1 --role-arn arn:aws:iam::123456789012:role/SageMakerRole --algorithm-specification TrainingImage=683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1,TrainingInputMode=File --hyper-parameters num_round=20,objective=binary:logistic,max_depth=3 --input-data-config 'ChannelName=train,DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://loan-lab/train/}},ContentType=text/csv' --output-data-config S3OutputPath=s3://loan-lab/training-output/ --resource-config InstanceType=ml.m5.large,InstanceCount=1,VolumeSizeInGB=10",
        ],
        input: CreateTrainingJobInput.self, output: CreateTrainingJobOutput.self
    ) { input, invocation in
        try SageMakerOperations.CreateTrainingJob.run(input, on: invocation.session.engine)
    }

    static let describeTrainingJob = AWSCommand.make(
        .sagemaker, "describe-training-job", operation: "DescribeTrainingJob", summary: "Show a training job's status, transitions and metrics",
        discussion: "SecondaryStatusTransitions tell what the job did and when; FinalMetricDataList holds the last value of each metric the algorithm printed; TrainingTimeInSeconds and BillableTimeInSeconds (TrainingStartTime to TrainingEndTime) appear once the job has ended.",
        notes: ["TrainingJobName": MemberNote(completion: jobNames)],
        examples: ["aws sagemaker describe-training-job --training-job-name loan-xgb-1"],
        input: DescribeTrainingJobInput.self, output: DescribeTrainingJobOutput.self
    ) { input, invocation in
        try SageMakerOperations.DescribeTrainingJob.run(input, on: invocation.session.engine)
    }

    static let listTrainingJobs = AWSCommand.make(
        .sagemaker, "list-training-jobs", operation: "ListTrainingJobs", summary: "List training jobs, newest first",
        discussion: "Filters apply before pagination. Every page is fetched and merged, as the AWS CLI does; --max-results, --next-token or --no-paginate print one page and its NextToken.",
        notes: ["MaxResults": MemberNote("1–100, default 10 per page")],
        examples: ["aws sagemaker list-training-jobs --status-equals Completed"],
        input: ListTrainingJobsInput.self, output: ListTrainingJobsOutput.self
    ) { input, invocation in
        let engine = invocation.session.engine
        if AWSCommand.onePage(maxResults: input.maxResults, nextToken: input.nextToken, invocation) { return try SageMakerOperations.ListTrainingJobs.run(input, on: engine) }
        var all = try AWSCommand.allPages(input, token: \.nextToken, next: \.nextToken, fetch: { try SageMakerOperations.ListTrainingJobs.run($0, on: engine) }) {
            $0.trainingJobSummaries += $1.trainingJobSummaries
        }
        all.nextToken = nil
        return all
    }

    static let stopTrainingJob = AWSCommand.make(
        .sagemaker, "stop-training-job", operation: "StopTrainingJob", summary: "Stop a running training job",
        discussion: "The job goes Stopping, then Stopped: its container gets SIGTERM, and SIGKILL if it has not ended after a grace period (AWS gives 120 s); what it saved in /opt/ml/model by then is uploaded. A job that is not InProgress is a ValidationException.",
        notes: ["TrainingJobName": MemberNote(completion: jobNames)],
        examples: ["aws sagemaker stop-training-job --training-job-name loan-xgb-1"],
        input: StopTrainingJobInput.self, output: EmptyOutput.self
    ) { input, invocation in
        _ = try SageMakerOperations.StopTrainingJob.run(input, on: invocation.session.engine)
        return nil
    }

    static let waitCompletedOrStopped = CommandSpec(
        ["sagemaker", "wait", "training-job-completed-or-stopped"], family: .sagemaker,
        summary: "Wait until a training job is Completed or Stopped",
        discussion: """
        Succeeds on Completed or Stopped; fails (exit 255) on Failed or an unknown job, with the AWS CLI's \
        waiter message. AWS polls every 120 s; InferLab polls every 0.1 s and shows the secondary status \
        in the interactive shell. Ctrl-C stops waiting, not the job. While it waits, this process takes up a \
        job whose own process was killed.
        """,
        options: [OptionSpec("training-job-name", placeholder: "NAME", help: "the job", isRequired: true, completion: jobNames)],
        examples: ["aws sagemaker wait training-job-completed-or-stopped --training-job-name loan-xgb-1"]
    ) { invocation in
        let engine = invocation.session.engine
        let name = invocation.value("training-job-name")!
        let console = invocation.console
        let showLine = invocation.session.isInteractive && console.style.isDecorated
        let deadline = Date().addingTimeInterval(6 * 3600)
        while Date() < deadline {
            let job: DescribeTrainingJobOutput
            do {
                job = try SageMakerOperations.DescribeTrainingJob.run(DescribeTrainingJobInput(trainingJobName: name), on: engine)
            } catch let error as AWSError {
                throw CLIFailure("Waiter TrainingJobCompletedOrStopped failed: Waiter encountered a terminal failure state: An error occurred (\(error.code)): \(error.message)",
                                 hint: error.hint, exitCode: ExitCode.generalError)
            }
            if showLine {
                let elapsed = String(format: "%.0f s", max(0, Date().timeIntervalSince(job.creationTime)))
                let message = job.secondaryStatusTransitions?.last?.statusMessage ?? ""
                console.writeError("\r\(name): \(console.style.status(job.trainingJobStatus)) · \(job.secondaryStatus) · \(message) · \(elapsed)\u{1B}[K")
            }
            switch job.trainingJobStatus {
            case "Completed", "Stopped":
                if showLine { console.writeError("\r\u{1B}[K") }
                invocation.session.events.acknowledge("Training job \(name): ")
                return
            case "Failed":
                if showLine { console.writeError("\r\u{1B}[K") }
                throw CLIFailure("Waiter TrainingJobCompletedOrStopped failed: Waiter encountered a terminal failure state: For expression \"TrainingJobStatus\" we matched expected path: \"Failed\"",
                                 hint: job.failureReason, exitCode: ExitCode.generalError)
            default:
                do { try await Task.sleep(for: .milliseconds(100)) } catch {
                    if showLine { console.writeError("\r\u{1B}[K") }
                    console.printError("Stopped waiting; \(name) is still \(job.trainingJobStatus) and goes on in the background (the shell announces its end).")
                    throw error
                }
            }
        }
        throw CLIFailure("Waiter TrainingJobCompletedOrStopped failed: Max attempts exceeded", exitCode: ExitCode.generalError)
    }
}
