import Foundation
import Testing

/// A learner session driven line by line in script mode, on a lab made by `lab new`.
@Suite(.serialized)
struct LabFlowTests {
    @Test func newLintSelftestStartCheckpointGrade() throws {
        let runner = BinaryRunner()
        let labs = FileManager.default.temporaryDirectory.appendingPathComponent("labs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: labs, withIntermediateDirectories: true)
        let environment = ["INFERLAB_LABS_DIR": labs.path, "INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"]

        let authoring = try runner.run([], input: "lab new my-lab\nlab lint\nlab selftest my-lab\n", environment: environment)
        #expect(authoring.status == 0, "\(authoring.error)")
        #expect(authoring.output.contains("1 lab(s) read, 0 problem(s)."))
        #expect(authoring.output.contains("lab selftest: 1 passed, 0 failed"))

        let learner = try runner.run([], input: """
            lab list
            lab start my-lab
            lab hint
            lab hint
            aws s3 mb s3://my-first-bucket
            lab grade --output json
            """, environment: environment)
        #expect(learner.status == 0, "\(learner.error)")
        #expect(learner.output.contains("not started"))
        #expect(learner.output.contains("Step 1 of 1: Make a bucket"))
        #expect(learner.output.contains("Hint 2 of 2"))
        #expect(learner.output.contains("Checkpoint passed: The bucket my-first-bucket exists"))
        #expect(learner.output.contains("Lab complete!"))
        #expect(learner.output.contains("\"Points\": 1"))
        #expect(learner.output.contains("\"MaxPoints\": 1"))
        #expect(learner.output.contains("\"HintsUsed\": 2"))
        // The lab ran in its own workspace.
        #expect(FileManager.default.fileExists(atPath: runner.workspace.appendingPathComponent("labs/my-lab/buckets/my-first-bucket").path))

        // A new process resumes the lab where it was.
        let later = try runner.run([], input: "lab progress\nlab leave\naws s3 ls\n", environment: environment)
        #expect(later.status == 0, "\(later.error)")
        #expect(later.output.contains("done"))
        #expect(!later.output.contains("my-first-bucket"), "after leaving, the learner's own workspace has no lab buckets")
    }

    @Test func lintExplainsABrokenLab() throws {
        let labs = FileManager.default.temporaryDirectory.appendingPathComponent("labs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: labs.appendingPathComponent("broken"), withIntermediateDirectories: true)
        try "format: 1\nid: broken\ntitle: Broken\nversion: 1\nsteps: []\n".write(to: labs.appendingPathComponent("broken/lab.yaml"), atomically: true, encoding: .utf8)
        let result = try BinaryRunner().run(["-c", "lab lint"], environment: ["INFERLAB_LABS_DIR": labs.path])
        #expect(result.status == 1)
        #expect(result.error.contains("broken/lab.yaml: steps: must be a non-empty list"))
    }
}

@Suite(.serialized)
struct CompareTests {
    /// The same records through each option, start-up kept apart from throughput: batch comes
    /// first on throughput (the lesson), real-time on latency; no stale notice of the endpoints it
    /// deleted, and the prices line is whole.
    @Test func compareSendsTheSameRecordsAndPutsBatchFirstOnThroughput() throws {
        let runner = BinaryRunner()
        let result = try runner.run([], input: """
            aws s3 mb s3://loan-lab
            aws s3 cp datasets/models/xgboost/model.tar.gz s3://loan-lab/models/xgboost/model.tar.gz
            aws s3 cp datasets/loans/batch-1000.csv s3://loan-lab/in/batch-1000.csv
            aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
            lab compare --model-name loan-xgb --input s3://loan-lab/in/batch-1000.csv
            aws sagemaker list-endpoints
            """, environment: ["INFERLAB_PROVISIONING_SECONDS": "0.2", "INFERLAB_STARTUP_SECONDS": "0.2"])
        #expect(result.status == 0, "\(result.error)")
        let data = try Data(contentsOf: runner.workspace.appendingPathComponent("buckets/loan-lab/reports/comparison.json"))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(report["Rows"] as? [[String: Any]])
        #expect(rows.map { $0["Option"] as? String } == ["batch transform", "async endpoint", "real-time endpoint"])
        #expect(rows.allSatisfy { $0["Records"] as? Int == 1000 }, "the same records through every option")
        func value(_ option: String, _ key: String) -> Double { (rows.first { $0["Option"] as? String == option }?[key] as? Double) ?? -1 }
        #expect(value("batch transform", "RecordsPerSecond") > value("real-time endpoint", "RecordsPerSecond"))
        #expect(value("batch transform", "RecordsPerSecond") > value("async endpoint", "RecordsPerSecond"))
        #expect(value("real-time endpoint", "LatencyP50Ms") < value("batch transform", "LatencyP50Ms"))
        #expect(value("batch transform", "StartupSeconds") >= 0.4, "provisioning and start-up are the batch job's start-up")
        #expect((rows.first?["EstimatedCostUSD"] as? String)?.hasPrefix("$0.0") == true)
        // The throughput chart lists batch first.
        let chart = result.output.components(separatedBy: "Throughput once running").last ?? ""
        #expect(chart.split(separator: "\n").dropFirst().first?.contains("batch transform") == true, "\(chart)")
        #expect(!result.output.contains(": InService."), "no stale notice for the endpoints it deleted")
        #expect(result.output.contains("\"Endpoints\": []"), "its endpoints are gone, not Deleting")
        let unwrapped = result.output.replacingOccurrences(of: "\n  ", with: " ")
        #expect(unwrapped.contains("batch transform assumed to cost the same as hosting."), "the whole prices line")
    }
}

/// The first course lab, solved step by step, graded, submitted and verified.
@Suite(.serialized)
struct CourseLabTests {
    @Test func labOneSolvesToFullMarksAndVerifies() throws {
        let runner = BinaryRunner()
        let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("lab1-\(UUID().uuidString).zip")
        let environment = ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"]
        let steps = String(repeating: "lab solve\n", count: 5)
        let result = try runner.run([], input: "lab start batch-end-to-end\n" + steps + "lab grade --output json\nlab submit --name erin --output \(bundle.path)\n",
                                    environment: environment)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("Lab complete!"))
        let grade = result.output.components(separatedBy: "\"Points\": ").dropFirst().first?.prefix { $0.isNumber }
        let maximum = result.output.components(separatedBy: "\"MaxPoints\": ").dropFirst().first?.prefix { $0.isNumber }
        #expect(grade != nil && grade == maximum, "full marks")
        let verified = try BinaryRunner().run(["verify", bundle.path], environment: environment)
        #expect(verified.status == 0, "\(verified.output)\(verified.error)")
        #expect(verified.output.contains("erin"))
        #expect(verified.output.contains("\(grade ?? "?")/\(maximum ?? "?")"))
    }
}
