#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// A learner's SKLearn script behind `inferlab serve`, deployed and invoked with boto3, alone
/// and as a pipeline's preprocessor; and its process ending with the kit's, on `kill -9`.
@Suite(.serialized)
struct ScriptContainerTests {
    @Test func boto3DeploysAScriptAndAPipelineAndKillingTheKitEndsTheScriptsProcess() throws {
        let server = try EndpointServer(environment: ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"])
        let script = BinaryRunner.packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts/script_container_boto3.py")
        let result = try server.client(["python", script.path], extra: ["CHECKOUT": BinaryRunner.packageRoot.path])
        #expect(result.status == 0, "\(result.error.suffix(3000))")
        let line = result.output.split(separator: "\n").last.map(String.init) ?? "{}"
        let seen = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        #expect(seen["prep_status"] as? String == "InService" && seen["pipe_status"] as? String == "InService", "\(seen)")
        #expect(seen["containers"] as? Int == 2 && seen["mode"] as? String == "Serial")
        #expect(seen["preprocessed"] as? String == "25.0,50000.0,2.0\n35.0,60000.0,3.0\n")
        #expect(seen["pipeline"] as? String == seen["own"] as? String && (seen["own"] as? String)?.isEmpty == false,
                "the pipeline gave \(seen["pipeline"] ?? "") where XGBoost alone gives \(seen["own"] ?? "")")
        #expect(seen["error_code"] as? String == "ModelError")
        #expect((seen["error_message"] as? String)?.contains("from container-2 with message") == true, "\(seen["error_message"] ?? "")")
        #expect(server.offLoopback.isEmpty, "a client tried to reach \(server.offLoopback)")
        // kill -9 of the kit: the script's process goes with it.
        guard let pid = seen["pid"] as? Int else {
            Issue.record("no pid in \(seen)")
            return
        }
        #expect(kill(Int32(pid), 0) == 0, "the script's process is not running")
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        let deadline = Date().addingTimeInterval(5)
        while kill(Int32(pid), 0) == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(kill(Int32(pid), 0) != 0, "the script's process \(pid) outlived the kit")
    }
}
