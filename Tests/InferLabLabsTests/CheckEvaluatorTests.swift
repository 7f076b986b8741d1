import Foundation
import Testing
import InferLabEngine
@testable import InferLabLabs

struct CheckEvaluatorTests {
    private func engine() throws -> Engine {
        try Engine.inMemory(workspace: Workspace(root: FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID().uuidString)")))
    }

    /// A request as the wire carries it (AWS's member names), whatever the Swift initialisers are.
    private func decoded<T: Decodable>(_ json: String) throws -> T { try AWSCoding.decoder().decode(T.self, from: Data(json.utf8)) }

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

    /// model_exists names one container's image by what it runs, or a pipeline's images in order.
    @Test func modelExistsReadsOneContainerOrAPipeline() throws {
        let engine = try engine()
        let evaluator = CheckEvaluator(engine: engine, answers: [:])
        try engine.store.createBucket("lab-b")
        for key in ["pre/model.tar.gz", "ll/model.tar.gz"] { try engine.store.putObject(bucket: "lab-b", key: key, data: Data()) }
        let sklearn = #"{"Image": "\#(FrameworkImage.sklearn.exampleImage)", "ModelDataUrl": "s3://lab-b/pre/model.tar.gz"}"#
        let linear = #"{"Image": "\#(BuiltinAlgorithm.linearLearner.exampleImage)", "ModelDataUrl": "s3://lab-b/ll/model.tar.gz"}"#
        let role = #""ExecutionRoleArn": "arn:aws:iam::123456789012:role/R""#
        _ = try engine.sagemaker.createModel(try decoded(#"{"ModelName": "pre", "PrimaryContainer": \#(sklearn), \#(role)}"#))
        _ = try engine.sagemaker.createModel(try decoded(#"{"ModelName": "pipe", "Containers": [\#(sklearn), \#(linear)], \#(role)}"#))
        #expect(evaluator.evaluate(check(.modelExists(name: "pre", algorithm: "sklearn", containers: nil))).passed)
        #expect(evaluator.evaluate(check(.modelExists(name: "pipe", algorithm: nil, containers: ["sklearn", "linear-learner"]))).passed)
        let reversed = evaluator.evaluate(check(.modelExists(name: "pipe", algorithm: nil, containers: ["linear-learner", "sklearn"])))
        #expect(!reversed.passed && reversed.detail.contains("expected linear-learner then sklearn"), "\(reversed.detail)")
        let notOne = evaluator.evaluate(check(.modelExists(name: "pipe", algorithm: "sklearn", containers: nil)))
        #expect(!notOne.passed && notOne.detail.contains("pipeline of 2 containers"), "\(notOne.detail)")
        #expect(!evaluator.evaluate(check(.modelExists(name: "pre", algorithm: "xgboost", containers: nil))).passed)
    }

    /// training_job reads DescribeTrainingJob: no job, a wrong status with its reason, a parameter.
    @Test func trainingJobReadsTheJobsDescription() throws {
        let engine = try engine()
        let evaluator = CheckEvaluator(engine: engine, answers: [:])
        let completed = check(.trainingJob(name: "t", status: "Completed", parameters: ["HyperParameters.predictor_type": "binary_classifier"]))
        #expect(evaluator.evaluate(completed).detail == "there is no training job t")
        try engine.store.createBucket("lab-b")
        try engine.store.putObject(bucket: "lab-b", key: "train/train.csv", data: Data("1,2,3\n0,1,1\n".utf8))
        let job: CreateTrainingJobInput = try decoded(#"""
            {"TrainingJobName": "t", "RoleArn": "arn:aws:iam::123456789012:role/R",
             "AlgorithmSpecification": {"TrainingImage": "linear-learner", "TrainingInputMode": "File"},
             "HyperParameters": {"predictor_type": "binary_classifier", "feature_dim": "2"},
             "InputDataConfig": [{"ChannelName": "train", "ContentType": "text/csv",
                                  "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://lab-b/train/"}}}],
             "OutputDataConfig": {"S3OutputPath": "s3://lab-b/out/"},
             "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
             "StoppingCondition": {"MaxRuntimeInSeconds": 600}}
            """#)
        _ = try engine.sagemaker.createTrainingJob(job)
        let passedBy = Date().addingTimeInterval(60)
        while !evaluator.evaluate(completed).passed, Date() < passedBy { Thread.sleep(forTimeInterval: 0.05) }
        #expect(evaluator.evaluate(completed).passed, "\(evaluator.evaluate(completed).detail)")
        let regressor = evaluator.evaluate(check(.trainingJob(name: "t", status: nil, parameters: ["HyperParameters.predictor_type": "regressor"])))
        #expect(regressor.detail == "training job t has HyperParameters.predictor_type = binary_classifier, expected regressor")
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
