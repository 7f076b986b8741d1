import Foundation
import Testing
@testable import InferLabEngine

/// Batch transform through framework containers: one Python process per instance, the toolkit's
/// defaults, SageMaker's batch variables, and the job's end stopping every process.
@Suite(.serialized)
struct ScriptTransformTests {
    /// Each prediction is the row's sum, the serving process's pid and when it served the request.
    static let pidScript = """
    import os, time
    import numpy as np

    def model_fn(model_dir):
        return open(os.path.join(model_dir, "weights.txt")).read().strip()

    def predict_fn(data, model):
        started = time.time()
        time.sleep(0.6)
        rows = np.atleast_2d(data)
        return [[float(row.sum()), os.getpid(), started, time.time(), model] for row in rows]

    def output_fn(prediction, accept):
        return "\\n".join(",".join(str(v) for v in row) for row in prediction) + "\\n", "text/csv"
    """

    @Test func twoInstancesAreTwoProcessesWorkingAtOnce() throws {
        let engine = try scriptEngine()
        try createScriptModel(engine, "pid-model", script: Self.pidScript, files: ["weights.txt": "w1\n"])
        try put(engine, "s3://loan-lab/in/a.csv", "1,2,3\n")
        try put(engine, "s3://loan-lab/in/b.csv", "10,20,30\n")
        _ = try engine.sagemaker.createTransformJob(transformJob("two", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/",
                                                                 model: "pid-model", instances: 2))
        let job = try waitForJob(engine, "two", timeout: 60)
        #expect(job.transformJobStatus == "Completed", "\(job.failureReason ?? "")")
        let a = try text(engine, "s3://loan-lab/out/a.csv.out").split(separator: ",").map(String.init)
        let b = try text(engine, "s3://loan-lab/out/b.csv.out").split(separator: ",").map(String.init)
        #expect(a.first == "6.0" && b.first == "60.0")
        #expect(a[4].hasPrefix("w1") && b[4].hasPrefix("w1"))  // model_fn read model/weights.txt
        #expect(a[1] != b[1], "both files were served by the same process")
        // The two requests overlapped in time: the instances worked in parallel.
        let (aStart, aEnd, bStart, bEnd) = (Double(a[2])!, Double(a[3])!, Double(b[2])!, Double(b[3])!)
        #expect(aStart < bEnd && bStart < aEnd)
        // The job's end stops both processes, and its instance folders go.
        for pid in [a[1], b[1]].compactMap({ Int32($0) }) {
            #expect(eventually(timeout: 5) { !isRunning(pid) })
        }
        let folder = engine.workspace.stateDirectory.appendingPathComponent("instances/transform-two")
        #expect(eventually(timeout: 5) { !FileManager.default.fileExists(atPath: folder.path) })
    }

    @Test func defaultHandlersDecodeCSVAsFloat32AndEncodeAsAccepted() throws {
        let engine = try scriptEngine()
        try createScriptModel(engine, "sum-model", script: summingScript)
        try put(engine, "s3://loan-lab/in/data.csv", "1,2,3\n4.5,5,6\n")
        _ = try engine.sagemaker.createTransformJob(transformJob("sums", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/",
                                                                 model: "sum-model", accept: "application/json"))
        let job = try waitForJob(engine, "sums", timeout: 60)
        #expect(job.transformJobStatus == "Completed", "\(job.failureReason ?? "")")
        // The toolkit's JSON encoder of a float32 array, one response per mini-batch.
        #expect(try text(engine, "s3://loan-lab/out/data.csv.out") == "[6.0, 15.5]\n")
    }

    @Test func theContainerSeesSageMakersBatchVariablesAndNotTheKits() throws {
        let script = """
        import json, os

        def model_fn(model_dir):
            return model_dir

        def transform_fn(model, data, content_type, accept):
            names = ["SAGEMAKER_BATCH", "SAGEMAKER_MAX_PAYLOAD_IN_MB", "SAGEMAKER_BATCH_STRATEGY", "SM_MODEL_DIR", "JOB_SETTING",
                     "INFERLAB_PYTHON", "HOME"]
            seen = {name: os.environ.get(name) for name in names}
            seen["cwd"] = os.getcwd()
            seen["model"] = model
            return json.dumps(seen), "application/json"
        """
        let engine = try scriptEngine()
        try createScriptModel(engine, "env-model", script: script)
        try put(engine, "s3://loan-lab/in/data.csv", "1\n")
        var job = transformJob("env", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/", model: "env-model")
        job.environment = ["JOB_SETTING": "from the job"]
        job.maxPayloadInMB = 2
        _ = try engine.sagemaker.createTransformJob(job)
        #expect(try waitForJob(engine, "env", timeout: 60).transformJobStatus == "Completed")
        let seen = try JSONValue.parse(try text(engine, "s3://loan-lab/out/data.csv.out"))
        #expect(seen["SAGEMAKER_BATCH"] == .string("true"))
        #expect(seen["SAGEMAKER_MAX_PAYLOAD_IN_MB"] == .string("2"))
        #expect(seen["SAGEMAKER_BATCH_STRATEGY"] == .string("MULTI_RECORD"))
        #expect(seen["JOB_SETTING"] == .string("from the job"))
        #expect(seen["INFERLAB_PYTHON"] == .null)
        guard case .string(let folder)? = seen["cwd"], case .string(let modelDir)? = seen["SM_MODEL_DIR"] else {
            Issue.record("no folders in \(seen.compact)")
            return
        }
        let instances = engine.workspace.stateDirectory.appendingPathComponent("instances").resolvingSymlinksInPath().path
        #expect(URL(fileURLWithPath: folder).resolvingSymlinksInPath().path.hasPrefix(instances + "/transform-env/i-"))
        #expect(modelDir == folder + "/model" || URL(fileURLWithPath: modelDir).resolvingSymlinksInPath().path
            == URL(fileURLWithPath: folder).resolvingSymlinksInPath().appendingPathComponent("model").path)
        #expect(seen["model"] == seen["SM_MODEL_DIR"])
        #expect(seen["HOME"] == seen["cwd"])
    }

    @Test func aScriptThatRaisesFailsTheJobWithItsTracebackInTheLog() throws {
        let engine = try scriptEngine()
        try createScriptModel(engine, "raises", script: summingScript + "\ndef input_fn(data, content_type):\n    raise KeyError('income')\n")
        try put(engine, "s3://loan-lab/in/data.csv", "1,2\n")
        var job = transformJob("raises", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/", model: "raises")
        job.modelClientConfig = ModelClientConfig(invocationsTimeoutInSeconds: nil, invocationsMaxRetries: 0)
        _ = try engine.sagemaker.createTransformJob(job)
        let described = try waitForJob(engine, "raises", timeout: 60)
        #expect(described.transformJobStatus == "Failed")
        #expect(described.failureReason?.hasPrefix("AlgorithmError: See job logs for more information.") == true, "\(described.failureReason ?? "")")
        let log = try logLines(engine, group: TransformJobRunner.logGroup)
        #expect(log.contains { $0.contains("KeyError: 'income'") })
        #expect(log.contains { $0.contains("AlgorithmError: 500") })
    }

    @Test func aScriptThatNeverAnswersIsCutOffAtTheInvocationTimeout() throws {
        let script = "import time\ndef model_fn(d):\n    return None\ndef predict_fn(data, model):\n    time.sleep(3600)\n"
        let engine = try scriptEngine(timeoutScale: 0.2)  // InvocationsTimeoutInSeconds 1 → 0.2 s
        try createScriptModel(engine, "hangs", script: script)
        try put(engine, "s3://loan-lab/in/data.csv", "1,2\n")
        var job = transformJob("hangs", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/", model: "hangs")
        job.modelClientConfig = ModelClientConfig(invocationsTimeoutInSeconds: 1, invocationsMaxRetries: 1)
        _ = try engine.sagemaker.createTransformJob(job)
        let described = try waitForJob(engine, "hangs", timeout: 60)
        #expect(described.transformJobStatus == "Failed")
        #expect(described.failureReason?.contains("timed out") == true, "\(described.failureReason ?? "")")
        let log = try logLines(engine, group: TransformJobRunner.logGroup)
        #expect(log.contains { $0.contains("Retrying a request that timed out") })
    }

    @Test func aScriptThatDoesNotImportFailsTheJob() throws {
        let engine = try scriptEngine()
        try createScriptModel(engine, "syntax", script: "def model_fn(d)\n    return None\n")
        try put(engine, "s3://loan-lab/in/data.csv", "1\n")
        _ = try engine.sagemaker.createTransformJob(transformJob("syntax", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/", model: "syntax"))
        let described = try waitForJob(engine, "syntax", timeout: 60)
        #expect(described.transformJobStatus == "Failed")
        #expect(described.failureReason?.contains("SyntaxError") == true, "\(described.failureReason ?? "")")
        #expect(try logLines(engine, group: TransformJobRunner.logGroup).contains { $0.contains("Traceback") })
    }

    @Test func theScriptCanComeFromAnS3SourceArchive() throws {
        let engine = try scriptEngine()
        try engine.store.putObject(bucket: "loan-lab", key: "code/sourcedir.tar.gz",
                                   data: try ModelArchive.write(files: ["serve.py": Data(summingScript.utf8)]))
        try engine.store.putObject(bucket: "loan-lab", key: "models/empty/model.tar.gz", data: try ModelArchive.write(files: ["README": Data()]))
        _ = try engine.sagemaker.createModel(CreateModelInput(modelName: "from-s3", primaryContainer: ContainerDefinition(
            image: sklearnImage, modelDataUrl: "s3://loan-lab/models/empty/model.tar.gz",
            environment: ["SAGEMAKER_PROGRAM": "serve.py", "SAGEMAKER_SUBMIT_DIRECTORY": "s3://loan-lab/code/sourcedir.tar.gz"])))
        try put(engine, "s3://loan-lab/in/data.csv", "1,2\n")
        _ = try engine.sagemaker.createTransformJob(transformJob("s3src", input: "s3://loan-lab/in/", output: "s3://loan-lab/out/",
                                                                 model: "from-s3", accept: "text/csv"))
        let described = try waitForJob(engine, "s3src", timeout: 60)
        #expect(described.transformJobStatus == "Completed", "\(described.failureReason ?? "")")
        #expect(try text(engine, "s3://loan-lab/out/data.csv.out") == "3.0\n")
    }
}
