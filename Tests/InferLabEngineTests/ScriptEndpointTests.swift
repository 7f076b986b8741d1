import Foundation
import Testing
@testable import InferLabEngine

/// Real-time endpoints on framework containers, and what bad scripts get: AWS's errors, the
/// traceback in the endpoint's log, no hung request and no process left behind.
@Suite(.serialized)
struct ScriptEndpointTests {
    func deployScript(_ engine: Engine, _ name: String, script: String, environment: [String: String] = [:], instances: Int = 1) throws {
        try createScriptModel(engine, "\(name)-model", script: script, environment: environment)
        _ = try engine.sagemaker.createEndpointConfig(CreateEndpointConfigInput(endpointConfigName: "\(name)-config", productionVariants: [
            ProductionVariant(variantName: "AllTraffic", modelName: "\(name)-model", initialInstanceCount: instances, instanceType: "ml.m5.large"),
        ]))
        _ = try engine.sagemaker.createEndpoint(CreateEndpointInput(endpointName: name, endpointConfigName: "\(name)-config"))
        _ = try eventually(timeout: 60) { try engine.sagemaker.describeEndpoint(DescribeEndpointInput(endpointName: name)).endpointStatus != "Creating" }
    }

    func invoke(_ engine: Engine, _ name: String, _ body: String, contentType: String? = "text/csv", accept: String? = nil) throws -> InvokeEndpointOutput {
        try engine.sagemaker.invokeEndpoint(InvokeEndpointInput(endpointName: name, body: Data(body.utf8), contentType: contentType, accept: accept))
    }

    func status(_ engine: Engine, _ name: String) throws -> DescribeEndpointOutput {
        try engine.sagemaker.describeEndpoint(DescribeEndpointInput(endpointName: name))
    }

    /// `ModelError` 424 whose message starts as AWS's does.
    func modelError(_ error: any Error, _ prefix: String) -> Bool {
        guard let error = error as? AWSError else { return false }
        return error.code == "ModelError" && error.httpStatus == 424 && error.message.hasPrefix(prefix)
    }

    @Test func realTimeUsesTheToolkitsDefaultsAndItsDefaultAccept() throws {
        let engine = try scriptEngine()
        try deployScript(engine, "rt", script: summingScript)
        #expect(try status(engine, "rt").endpointStatus == "InService")
        // No Accept: SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT, which defaults to JSON.
        let json = try invoke(engine, "rt", "1,2,3\n4,5,6\n")
        #expect(String(decoding: json.body, as: UTF8.self) == "[6.0, 15.0]")
        #expect(json.contentType.hasPrefix("application/json"))
        let csv = try invoke(engine, "rt", "[[1, 2], [3, 4]]", contentType: "application/json", accept: "text/csv")
        #expect(String(decoding: csv.body, as: UTF8.self) == "3.0\n7.0\n")
        #expect(csv.contentType.hasPrefix("text/csv"))
        // An unsupported content type or accept: the container's handlers are the script's as far
        // as the toolkit knows, so its error wrapper makes the UnsupportedFormatError a ClientError
        // and Flask answers 500, as the real SKLearn image does.
        #expect { try invoke(engine, "rt", "x", contentType: "text/plain") } throws: { modelError($0, "Received server error (500) from primary") }
        #expect { try invoke(engine, "rt", "1", accept: "text/plain") } throws: { modelError($0, "Received server error (500) from primary") }
        #expect(try eventually { try logLines(engine, group: "/aws/sagemaker/Endpoints/rt").contains { $0.contains("Content type text/plain is not supported by this framework") } })
    }

    @Test func theDefaultAcceptComesFromTheEnvironment() throws {
        let engine = try scriptEngine()
        try deployScript(engine, "acc", script: summingScript, environment: ["SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv"])
        #expect(String(decoding: try invoke(engine, "acc", "1,1\n", accept: "*/*").body, as: UTF8.self) == "2.0\n")
    }

    @Test func aScriptThatRaisesIsAFiveHundredWithItsTracebackInTheLog() throws {
        let script = summingScript + "\ndef input_fn(data, content_type):\n    raise ValueError('no such column: income')\n"
        let engine = try scriptEngine()
        try deployScript(engine, "boom", script: script)
        #expect { try invoke(engine, "boom", "1\n") } throws: { modelError($0, "Received server error (500) from primary with message") }
        // The script's stderr reaches the log on its own pipe, a moment after the response.
        #expect(try eventually {
            let log = try logLines(engine, group: "/aws/sagemaker/Endpoints/boom").joined(separator: "\n")
            return log.contains("Traceback") && log.contains("ValueError: no such column: income")
        })
    }

    @Test func printGoesToTheLogAndNotIntoTheResponse() throws {
        let script = summingScript + "\ndef output_fn(prediction, accept):\n    print('debugging', prediction)\n    return 'ok', 'text/plain'\n"
        let engine = try scriptEngine()
        try deployScript(engine, "chatty", script: script)
        #expect(String(decoding: try invoke(engine, "chatty", "1,2\n").body, as: UTF8.self) == "ok")
        #expect(try eventually { try logLines(engine, group: "/aws/sagemaker/Endpoints/chatty").contains { $0.hasPrefix("debugging [3.") } })
    }

    @Test func aWrongReturnTypeIsFlasksFiveHundred() throws {
        let script = summingScript + "\ndef output_fn(prediction, accept):\n    return prediction\n"
        let engine = try scriptEngine()
        try deployScript(engine, "wrong", script: script)
        #expect { try invoke(engine, "wrong", "1\n") } throws: { modelError($0, "Received server error (500) from primary") }
        #expect(try eventually { try logLines(engine, group: "/aws/sagemaker/Endpoints/wrong").contains { $0.contains("TypeError") } })
    }

    @Test func aScriptThatNeverAnswersTimesOutAndItsWorkerIsReplaced() throws {
        let script = """
        import time
        def model_fn(model_dir):
            return None
        def transform_fn(model, data, content_type, accept):
            if data.strip() == "hang":
                time.sleep(3600)
            return "fine", "text/plain"
        """
        // 60 s → 3 s; the start-up timeout scales too (8 min → 24 s): at 0.02 (9.6 s) the
        // replacement worker's start missed it once under CI's load.
        let engine = try scriptEngine(timeoutScale: 0.05)
        try deployScript(engine, "slow", script: script)
        let started = Date()
        #expect { try invoke(engine, "slow", "hang") } throws: {
            modelError($0, "Received server error (0) from primary with message \"Your invocation timed out while waiting for a response from container primary.")
        }
        #expect(Date().timeIntervalSince(started) < 20, "cut off after 3 s, not an hour")
        #expect(String(decoding: try invoke(engine, "slow", "ok").body, as: UTF8.self) == "fine")
        #expect(try eventually { try logLines(engine, group: "/aws/sagemaker/Endpoints/slow").contains { $0.contains("timed out and was killed") } })
    }

    @Test func aScriptThatKillsItsInterpreterFailsTheRequestAndTheNextGetsANewWorker() throws {
        let script = """
        import os, signal
        def model_fn(model_dir):
            return None
        def transform_fn(model, data, content_type, accept):
            if data.strip() == "exit":
                os._exit(3)
            if data.strip() == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            return str(os.getpid()), "text/plain"
        """
        let engine = try scriptEngine()
        try deployScript(engine, "dies", script: script)
        let first = String(decoding: try invoke(engine, "dies", "pid").body, as: UTF8.self)
        #expect { try invoke(engine, "dies", "exit") } throws: { modelError($0, "Received server error (502) from primary") }
        let second = String(decoding: try invoke(engine, "dies", "pid").body, as: UTF8.self)
        #expect(first != second)
        #expect(!isRunning(Int32(first)!))
        #expect { try invoke(engine, "dies", "kill") } throws: { ($0 as? AWSError)?.message.contains("signal 9") == true }
        #expect(try eventually { try logLines(engine, group: "/aws/sagemaker/Endpoints/dies").contains { $0.contains("exited with status 3") } })
    }

    @Test func aScriptThatFailsToImportFailsTheEndpoint() throws {
        let engine = try scriptEngine()
        try deployScript(engine, "broken", script: "import no_such_module\n")
        let endpoint = try status(engine, "broken")
        #expect(endpoint.endpointStatus == "Failed")
        #expect(endpoint.failureReason?.contains("ModuleNotFoundError: No module named 'no_such_module'") == true)
        #expect(try logLines(engine, group: "/aws/sagemaker/Endpoints/broken").contains { $0.contains("Traceback") })
    }

    @Test func withoutModelFnTheSKLearnContainerRefuses() throws {
        let engine = try scriptEngine()
        try deployScript(engine, "nomodel", script: "def predict_fn(data, model):\n    return data\n")
        let endpoint = try status(engine, "nomodel")
        #expect(endpoint.endpointStatus == "Failed")
        #expect(endpoint.failureReason?.contains("Please provide a model_fn implementation.") == true, "\(endpoint.failureReason ?? "")")
        #expect(try logLines(engine, group: "/aws/sagemaker/Endpoints/nomodel").contains { $0.contains("Please provide a model_fn implementation.") })
    }

    @Test func deletingTheEndpointStopsItsProcesses() throws {
        let script = "import os\ndef model_fn(d):\n    return None\ndef transform_fn(m, data, ct, acc):\n    return str(os.getpid()), 'text/plain'\n"
        let engine = try scriptEngine()
        try deployScript(engine, "gone", script: script, instances: 2)
        var pids: Set<String> = []
        for _ in 0..<6 { pids.insert(String(decoding: try invoke(engine, "gone", "x").body, as: UTF8.self)) }
        #expect(pids.count == 2)  // the requests went to both instances
        try engine.sagemaker.deleteEndpoint(DeleteEndpointInput(endpointName: "gone"))
        for pid in pids.compactMap({ Int32($0) }) { #expect(eventually(timeout: 5) { !isRunning(pid) }) }
    }
}
