#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import InferLabEngine

/// A training job's life outside the happy path: AWS's validation and errors, a failing script,
/// MaxRuntimeInSeconds, StopTrainingJob, listing, tags, and a job a dead process left.
@Suite(.serialized)
struct TrainingJobLifecycleTests {
    /// A script that writes its pid where the test finds it, then hangs.
    static let hangingScript = """
        import os, time
        with open(os.path.join(os.environ["SM_OUTPUT_DATA_DIR"], "pid"), "w") as out:
            out.write(str(os.getpid()))
        print("waiting forever", flush=True)
        time.sleep(600)
        """

    @Test func requestsAreCheckedAsAWSChecksThem() throws {
        let engine = try trainingEngine()
        var job = trainingJob("bad_name", image: "xgboost", hyperparameters: ["num_round": "1"])
        job.roleArn = "SageMakerRole"
        job.resourceConfig?.instanceType = "ml.m5.huge"
        #expect {
            try engine.sagemaker.createTrainingJob(job)
        } throws: { error in
            let message = (error as? AWSError)?.message ?? ""
            return (error as? AWSError)?.code == "ValidationException" && message.hasPrefix("4 validation errors detected: ")
                && message.contains("Value 'bad_name' at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
                && message.contains("Value 'SageMakerRole' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20")
                && message.contains("Value 'ml.m5.huge' at 'resourceConfig.instanceType' failed to satisfy constraint: Member must satisfy enum value set:")
        }
        var bare = trainingJob("no-algorithm", image: "xgboost", hyperparameters: [:])
        bare.algorithmSpecification = nil
        #expect(throws: AWSError.validation("1 validation error detected: Value null at 'algorithmSpecification' failed to satisfy constraint: Member must not be null", operation: "CreateTrainingJob")) {
            try engine.sagemaker.createTrainingJob(bare)
        }
        #expect { try engine.sagemaker.createTrainingJob(trainingJob("unknown-image", image: "123.dkr.ecr.us-east-1.amazonaws.com/mine:1", hyperparameters: [:])) }
            throws: { ($0 as? AWSError)?.message.hasPrefix("Requested training image 123.dkr.ecr.us-east-1.amazonaws.com/mine:1 is not one InferLab can run.") == true }
        var metrics = trainingJob("builtin-metrics", image: "xgboost", hyperparameters: ["num_round": "1"])
        metrics.algorithmSpecification?.metricDefinitions = [MetricDefinition(name: "m", regex: "m=(\\S+)")]
        #expect { try engine.sagemaker.createTrainingJob(metrics) }
            throws: { ($0 as? AWSError)?.message.hasPrefix("You can't override the metric definitions for Amazon SageMaker algorithms.") == true }
        var two = trainingJob("two-instances", image: "xgboost", hyperparameters: ["num_round": "1"])
        two.resourceConfig?.instanceCount = 2
        #expect { try engine.sagemaker.createTrainingJob(two) } throws: { ($0 as? AWSError)?.message.contains("InferLab trains on one instance") == true }
        var dotted = trainingJob("dotted", image: "xgboost", hyperparameters: ["num_round": "1"])
        dotted.inputDataConfig?[0].channelName = ".."
        #expect { try engine.sagemaker.createTrainingJob(dotted) } throws: { ($0 as? AWSError)?.message.contains("outside /opt/ml/input/data") == true }
        #expect(try engine.catalog.allTrainingJobs().isEmpty, "nothing refused was stored")
    }

    /// A link where the instance's folder goes is refused, not followed.
    @Test func aLinkInTheTrainingFolderIsNotFollowed() throws {
        let engine = try trainingEngine()
        let outside = temporaryFolder()
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let jobs = engine.workspace.stateDirectory.appendingPathComponent("training")
        try FileManager.default.createDirectory(at: jobs, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: jobs.appendingPathComponent("linked"), withDestinationURL: outside)
        _ = try engine.sagemaker.createTrainingJob(trainingJob("linked", image: "linear-learner", hyperparameters: ["predictor_type": "binary_classifier"]))
        let job = try waitForTraining(engine, "linked")
        #expect(job.trainingJobStatus == "Failed" && job.failureReason?.contains("is a symbolic link") == true, "\(job.failureReason ?? "")")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing was written through the link")
    }

    @Test func namesAreUniqueAndUnknownNamesAreNotFound() throws {
        let engine = try trainingEngine()
        let job = trainingJob("loan-ll", image: "linear-learner", hyperparameters: ["predictor_type": "binary_classifier"])
        _ = try engine.sagemaker.createTrainingJob(job)
        var again = job
        again.trainingJobName = "LOAN-LL"
        #expect(throws: AWSError.resourceInUse("Training job names must be unique within an AWS account and region, and a training job with this name already exists (arn:aws:sagemaker:us-east-1:123456789012:training-job/loan-ll)", operation: "CreateTrainingJob")) {
            try engine.sagemaker.createTrainingJob(again)
        }
        func notFound(_ error: any Error) -> Bool {
            (error as? AWSError).map { $0.code == "ValidationException" && $0.message == "Requested resource not found." } ?? false
        }
        #expect { try engine.sagemaker.describeTrainingJob(DescribeTrainingJobInput(trainingJobName: "nope")) } throws: { notFound($0) }
        #expect { try engine.sagemaker.stopTrainingJob(StopTrainingJobInput(trainingJobName: "nope")) } throws: { notFound($0) }
        _ = try waitForTraining(engine, "loan-ll")
        #expect(throws: AWSError.validation("The request was rejected because the training job is in status Completed.", operation: "StopTrainingJob")) {
            try engine.sagemaker.stopTrainingJob(StopTrainingJobInput(trainingJobName: "loan-ll"))
        }
    }

    @Test func listingFiltersSortsAndPages() throws {
        let engine = try trainingEngine()
        for name in ["ll-a", "ll-b", "other-c"] {
            _ = try engine.sagemaker.createTrainingJob(trainingJob(name, image: "linear-learner", hyperparameters: ["predictor_type": "binary_classifier"]))
            _ = try waitForTraining(engine, name)
        }
        _ = try engine.sagemaker.createTrainingJob(trainingJob("ll-failed", image: "linear-learner", hyperparameters: [:]))
        _ = try waitForTraining(engine, "ll-failed")
        let newestFirst = try engine.sagemaker.listTrainingJobs(ListTrainingJobsInput()).trainingJobSummaries.map(\.trainingJobName)
        #expect(newestFirst == ["ll-failed", "other-c", "ll-b", "ll-a"])
        var query = ListTrainingJobsInput()
        query.nameContains = "ll-"
        query.statusEquals = "Completed"
        query.sortBy = "Name"
        query.sortOrder = "Ascending"
        query.maxResults = 1
        let first = try engine.sagemaker.listTrainingJobs(query)
        #expect(first.trainingJobSummaries.map(\.trainingJobName) == ["ll-a"] && first.nextToken != nil)
        query.nextToken = first.nextToken
        let second = try engine.sagemaker.listTrainingJobs(query)
        #expect(second.trainingJobSummaries.map(\.trainingJobName) == ["ll-b"] && second.nextToken == nil)
        #expect(second.trainingJobSummaries.first?.secondaryStatus == "Completed")
    }

    @Test func tagsAreKeptByTheJobsArn() throws {
        let engine = try trainingEngine()
        var job = trainingJob("tagged", image: "linear-learner", hyperparameters: ["predictor_type": "binary_classifier"])
        job.tags = [Tag(key: "course", value: "training")]
        let arn = try engine.sagemaker.createTrainingJob(job).trainingJobArn
        #expect(try engine.sagemaker.listTags(ListTagsInput(resourceArn: arn)).tags == [Tag(key: "course", value: "training")])
        _ = try waitForTraining(engine, "tagged")
    }

    @Test func aFailingScriptFailsWithAlgorithmErrorAndItsTracebackIsLogged() throws {
        let engine = try trainingEngine()
        let script = """
            import sys
            print("starting")
            def prepare(rows):
                raise ValueError("the label column is missing")
            prepare([])
            """
        _ = try engine.sagemaker.createTrainingJob(try scriptJob(engine, "sk-fails", script: script, hyperparameters: ["epochs": "3"]))
        let job = try waitForTraining(engine, "sk-fails")
        #expect(job.trainingJobStatus == "Failed" && job.secondaryStatus == "Failed")
        let reason = job.failureReason ?? ""
        #expect(reason.hasPrefix("AlgorithmError: ExecuteUserScriptError:\nExitCode 1\nErrorMessage \""), "\(reason)")
        #expect(reason.contains("ValueError: the label column is missing"), "\(reason)")
        #expect(reason.hasSuffix("Command \"\(coursePython) train.py --epochs 3\", exit code: 1"), "\(reason)")
        let log = try trainingLog(engine, "sk-fails")
        #expect(log.contains("starting") && log.contains("Traceback (most recent call last):"), "\(log)")
        #expect(job.secondaryStatusTransitions?.last?.statusMessage == "Training job failed")
    }

    @Test func aHungScriptIsStoppedAtMaxRuntimeInSeconds() throws {
        let engine = try trainingEngine()
        var job = try scriptJob(engine, "sk-hangs", script: Self.hangingScript)
        job.stoppingCondition = StoppingCondition(maxRuntimeInSeconds: 2)
        let started = Date()
        _ = try engine.sagemaker.createTrainingJob(job)
        let done = try waitForTraining(engine, "sk-hangs", timeout: 30)
        #expect(done.trainingJobStatus == "Stopped" && done.secondaryStatus == "MaxRuntimeExceeded")
        #expect(done.secondaryStatusTransitions?.last?.statusMessage == "Training job runtime exceeded MaxRuntimeInSeconds provided")
        #expect(Date().timeIntervalSince(started) < 15)
        let pidFile = engine.workspace.stateDirectory.appendingPathComponent("training/sk-hangs/algo-1/opt/ml/output/data/pid")
        let pid = Int32(try String(contentsOf: pidFile, encoding: .utf8)) ?? 0
        #expect(pid > 0 && eventually(timeout: 5) { !isRunning(pid) }, "the script (pid \(pid)) was killed")
    }

    @Test func stopTrainingJobStopsTheScriptAndUploadsWhatItSaved() throws {
        let engine = try trainingEngine()
        let script = """
            import os, signal, sys, time
            def saved(signum, frame):
                open(os.path.join(os.environ["SM_MODEL_DIR"], "checkpoint.txt"), "w").write("saved on SIGTERM")
                sys.exit(0)
            signal.signal(signal.SIGTERM, saved)
            """ + "\n" + Self.hangingScript
        _ = try engine.sagemaker.createTrainingJob(try scriptJob(engine, "sk-stop", script: script))
        let pidFile = engine.workspace.stateDirectory.appendingPathComponent("training/sk-stop/algo-1/opt/ml/output/data/pid")
        #expect(eventually(timeout: 30) { (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { Int32($0) } != nil })
        let pid = Int32(try String(contentsOf: pidFile, encoding: .utf8)) ?? 0
        try engine.sagemaker.stopTrainingJob(StopTrainingJobInput(trainingJobName: "sk-stop"))
        #expect(try engine.sagemaker.describeTrainingJob(DescribeTrainingJobInput(trainingJobName: "sk-stop")).trainingJobStatus != "InProgress")
        let job = try waitForTraining(engine, "sk-stop")
        #expect(job.trainingJobStatus == "Stopped" && job.secondaryStatus == "Stopped")
        #expect(job.secondaryStatusTransitions?.map(\.status).suffix(2) == ["Stopping", "Stopped"])
        #expect(eventually(timeout: 5) { !isRunning(pid) })
        #expect(try archiveFiles(engine, job.modelArtifacts.s3ModelArtifacts)["checkpoint.txt"] == Data("saved on SIGTERM".utf8))
    }

    /// A job whose process died is taken up by the next long-lived one and runs to its end; the
    /// dead time is not billed.
    @Test func aJobADeadProcessLeftIsTakenUpAndCompletes() throws {
        let engine = try trainingEngine()
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let job = trainingJob("orphan", image: "linear-learner", hyperparameters: ["predictor_type": "binary_classifier"])
        let created = Date().addingTimeInterval(-30)
        let record = TrainingJobRecord(
            name: "orphan", arn: "arn:aws:sagemaker:us-east-1:123456789012:training-job/orphan", status: "InProgress",
            secondaryStatus: "Training", creationTime: created, startTime: created.addingTimeInterval(2), lastModifiedTime: created.addingTimeInterval(2),
            definition: try AWSCoding.encoder().encode(job), transitions: [SecondaryStatusTransition(status: "Starting", startTime: created)],
            ownerPID: dead.processIdentifier)
        #expect(try engine.catalog.insertTrainingJob(record))
        try engine.catalog.advanceTrainingJob("orphan", to: "Downloading", message: "Downloading input data", at: created.addingTimeInterval(2), started: true)
        engine.sagemaker.resumeUnfinishedWork()
        let done = try waitForTraining(engine, "orphan")
        #expect(done.trainingJobStatus == "Completed", "\(done.failureReason ?? "")")
        #expect(try trainingLog(engine, "orphan").contains { $0.hasPrefix("Instance lost: the process running this job (pid \(dead.processIdentifier)) ended.") })
        #expect((done.billableTimeInSeconds ?? 99) <= 3, "the dead time is not billed: \(done.billableTimeInSeconds ?? -1)")
    }
}
