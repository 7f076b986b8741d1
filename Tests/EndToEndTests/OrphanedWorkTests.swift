#if canImport(Glibc)
import Glibc
#endif
import Foundation
import InferLabEngine
import Testing

/// Issue 13, finding 4: work whose process is killed with SIGKILL is taken up by the next
/// long-lived process (a waiter, the shell) within about a second — also by one already running —
/// and never by a one-shot command, which reports the state as it is. The dead time is not billed.
@Suite(.serialized)
struct OrphanedWorkTests {
    static let environment = ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"]
    static let setup = """
        aws s3 mb s3://loan-lab
        aws s3 cp datasets/models/xgboost/model.tar.gz s3://loan-lab/models/xgboost/model.tar.gz
        aws sagemaker create-model --model-name slow --primary-container 'Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz,Environment={INFERLAB_MODEL_LATENCY_MS=100}'

        """

    /// 30 records, one request each at 100 ms: about 3 s of work on one instance.
    static func createJob(_ name: String) -> String {
        "aws sagemaker create-transform-job --transform-job-name \(name) --model-name slow --batch-strategy SingleRecord --transform-input 'DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://loan-lab/in/}},ContentType=text/csv,SplitType=Line' --transform-output S3OutputPath=s3://loan-lab/out-\(name)/,AssembleWith=Line --transform-resources InstanceType=ml.m5.large,InstanceCount=1"
    }

    private func prepare(_ runner: BinaryRunner) throws {
        let input = runner.workspace.appendingPathExtension("input.csv")
        try String(repeating: "35,60000,3\n", count: 30).write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        let result = try runner.run([], input: Self.setup + "aws s3 cp \(input.path) s3://loan-lab/in/data.csv\n", environment: Self.environment)
        #expect(result.status == 0, "\(result.error)")
    }

    /// Starts `inferlab` in the background, reading `script` (script mode) or running `-c`.
    private func start(_ runner: BinaryRunner, command: String? = nil, script: String = "") throws -> Process {
        let process = Process()
        process.executableURL = BinaryRunner.binary
        process.arguments = ["--workspace", runner.workspace.path] + (command.map { ["-c", $0] } ?? [])
        process.currentDirectoryURL = BinaryRunner.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(Self.environment) { $1 }
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(script.utf8))
        try stdin.fileHandleForWriting.close()
        return process
    }

    private func killHard(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Starts an owner that runs the job and keeps running it, and kills it mid-job.
    private func startAndKillOwner(_ runner: BinaryRunner, catalog: Catalog, job: String) throws -> Int32 {
        let owner = try start(runner, script: Self.createJob(job) + "\naws sagemaker wait transform-job-completed-or-stopped --transform-job-name \(job)\n")
        #expect(eventually(timeout: 30) { (try? catalog.transformJob(named: job))?.startTime != nil })
        Thread.sleep(forTimeInterval: 0.6)  // some records scored, most not
        #expect(try catalog.transformJob(named: job)?.ownerPID == owner.processIdentifier)
        killHard(owner)
        // Read after the kill, the owner may already be another: a long-lived process running
        // beside it can take the job up within its 0.25 s scan.
        let record = try #require(try catalog.transformJob(named: job))
        #expect(record.status == "InProgress", "the kill came before the job ended")
        return owner.processIdentifier
    }

    @Test func aOneShotCommandLeavesAKilledJobAloneAndAWaiterFinishesIt() throws {
        let runner = BinaryRunner()
        try prepare(runner)
        let catalog = try Catalog(path: Workspace(root: runner.workspace).catalogFile)
        let dead = try startAndKillOwner(runner, catalog: catalog, job: "orphan")

        // One-shot commands report the job as it is, and adopt nothing.
        let described = try runner.run(["aws", "sagemaker", "describe-transform-job", "--transform-job-name", "orphan"])
        #expect(described.status == 0, "\(described.error)")
        #expect(described.output.contains("\"TransformJobStatus\": \"InProgress\""), "\(described.output)")
        #expect(try runner.run(["aws", "sagemaker", "list-transform-jobs"]).output.contains("InProgress"))
        Thread.sleep(forTimeInterval: 1.0)  // dead time: no instance runs
        #expect(try catalog.transformJob(named: "orphan")?.ownerPID == dead, "describe and list adopted nothing")
        #expect(try catalog.transformJob(named: "orphan")?.status == "InProgress")

        // A waiter (here in script mode) takes it up at once and waits for it to finish.
        let lookedAt = Date()
        let waiter = try start(runner, script: "aws sagemaker wait transform-job-completed-or-stopped --transform-job-name orphan\n")
        #expect(eventually(timeout: 1.5) { (try? catalog.transformJob(named: "orphan"))?.ownerPID == waiter.processIdentifier },
                "adopted within about a second of the waiter starting (process start-up included)")
        let adoptedAfter = Date().timeIntervalSince(lookedAt)
        waiter.waitUntilExit()
        #expect(waiter.terminationStatus == 0)

        let job = try #require(try catalog.transformJob(named: "orphan"))
        #expect(job.status == "Completed")
        let output = try String(contentsOf: runner.workspace.appendingPathComponent("buckets/loan-lab/out-orphan/data.csv.out"), encoding: .utf8)
        #expect(output.split(separator: "\n").count == 30, "the whole output, once")
        // Times stay wall-clock; the bill leaves out the time no instance ran.
        let start = try #require(job.startTime), end = try #require(job.endTime)
        let wall = end.timeIntervalSince(start)
        #expect(job.unbilledSeconds >= 1.0 && job.unbilledSeconds <= 1.0 + adoptedAfter + 3, "\(job.unbilledSeconds)")
        let described2 = try runner.run(["transform", "progress", "orphan"])
        let billed = try #require(Self.billableSeconds(described2.output))
        #expect(abs(billed - (wall - job.unbilledSeconds)) < 0.01, "billed \(billed) of \(wall) s wall-clock")
        #expect(billed < wall - 1.0)
        let log = try catalog.logEvents(group: "/aws/sagemaker/TransformJobs", streamPrefix: "orphan/").map(\.message)
        #expect(log.contains { $0.contains("Instance lost: the process running this job (pid \(dead)) ended. The work resumes in process \(waiter.processIdentifier)") },
                "\(log)")
    }

    @Test func aLongLivedProcessAlreadyRunningAdoptsAJobWhoseOwnerDies() throws {
        let runner = BinaryRunner()
        try prepare(runner)
        let catalog = try Catalog(path: Workspace(root: runner.workspace).catalogFile)
        // Waiting for an object that never comes: a long-lived process with nothing of its own to do.
        let bystander = try start(runner, command: "aws s3api wait object-exists --bucket loan-lab --key never")
        defer { killHard(bystander) }
        Thread.sleep(forTimeInterval: 0.5)
        _ = try startAndKillOwner(runner, catalog: catalog, job: "adopted")
        let killed = Date()
        #expect(eventually(timeout: 5) { (try? catalog.transformJob(named: "adopted"))?.ownerPID == bystander.processIdentifier })
        let took = Date().timeIntervalSince(killed)
        #expect(took < 1.0, "adopted \(took) s after its owner died")
        #expect(eventually(timeout: 30) { (try? catalog.transformJob(named: "adopted"))?.status == "Completed" })
        let job = try #require(try catalog.transformJob(named: "adopted"))
        #expect(job.unbilledSeconds > 0 && job.unbilledSeconds < 1.5, "\(job.unbilledSeconds)")
    }

    @Test func aKilledDrainIsLeftAloneByOneShotsAndTakenUpByARunningLongLivedProcess() throws {
        let runner = BinaryRunner()
        let endpoint = Self.setup + """
            aws sagemaker create-endpoint-config --endpoint-config-name c --production-variants VariantName=AllTraffic,ModelName=slow,InstanceType=ml.m5.large,InitialInstanceCount=1 --async-inference-config 'ClientConfig={MaxConcurrentInvocationsPerInstance=2},OutputConfig={S3OutputPath=s3://loan-lab/out/,S3FailurePath=s3://loan-lab/err/}'
            aws sagemaker create-endpoint --endpoint-name drain --endpoint-config-name c
            aws sagemaker wait endpoint-in-service --endpoint-name drain
            aws s3 cp datasets/loans/async/request-1.csv s3://loan-lab/in/request.csv
            """
        #expect(try runner.run([], input: endpoint, environment: Self.environment).status == 0)
        // Queued by a script that does not wait: nothing drains them yet.
        let queue = String(repeating: "aws sagemaker-runtime invoke-endpoint-async --endpoint-name drain --input-location s3://loan-lab/in/request.csv --content-type text/csv\n", count: 60)
        #expect(try runner.run([], input: queue, environment: Self.environment).status == 0)
        let outputFolder = runner.workspace.appendingPathComponent("buckets/loan-lab/out")
        func outputs() -> Int { ((try? FileManager.default.contentsOfDirectory(atPath: outputFolder.path)) ?? []).count }
        #expect(try runner.run(["aws", "sagemaker", "describe-endpoint", "--endpoint-name", "drain"]).status == 0)
        Thread.sleep(forTimeInterval: 0.5)
        let catalog = try Catalog(path: Workspace(root: runner.workspace).catalogFile)
        for _ in 0..<3 {
            #expect(try runner.run(["aws", "sagemaker", "describe-endpoint", "--endpoint-name", "drain"]).status == 0)
        }
        #expect(outputs() == 0, "a one-shot command drains nothing")
        let waiting = try catalog.queueStatistics(endpoint: "drain")
        #expect(waiting.queued == 60 && waiting.inflight == 0, "and claims nothing it cannot finish: \(waiting)")

        let first = try start(runner, command: "aws s3api wait object-exists --bucket loan-lab --key never")
        #expect(eventually(timeout: 30) { outputs() >= 6 })
        let second = try start(runner, command: "aws s3api wait object-exists --bucket loan-lab --key never")
        defer { killHard(second) }
        Thread.sleep(forTimeInterval: 0.5)
        killHard(first)
        let killed = Date()
        let lost = "ended with"
        #expect(eventually(timeout: 3) {
            ((try? catalog.logEvents(group: "/aws/sagemaker/Endpoints/drain", streamPrefix: "AllTraffic")) ?? []).contains {
                $0.message.contains("Instance lost: the process serving this endpoint (pid \(first.processIdentifier)) \(lost)")
            }
        })
        #expect(Date().timeIntervalSince(killed) < 1.0, "the running process took the dead one's requests within a second")
        #expect(eventually(timeout: 60) { outputs() >= 60 })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(outputs() == 60, "each request answered exactly once")
        let stats = try catalog.queueStatistics(endpoint: "drain")
        #expect(stats.queued == 0 && stats.inflight == 0 && stats.succeeded == 60)
    }

    @Test func aStopFromAnotherProcessStopsTheJobWhereItRuns() throws {
        let runner = BinaryRunner()
        try prepare(runner)
        let catalog = try Catalog(path: Workspace(root: runner.workspace).catalogFile)
        // The owner stays up (waiting for an object that never comes) while it runs the job.
        let owner = try start(runner, script: Self.createJob("stopped") + "\naws s3api wait object-exists --bucket loan-lab --key never\n")
        defer { killHard(owner) }
        #expect(eventually(timeout: 30) { (try? catalog.transformJob(named: "stopped"))?.startTime != nil })
        let stop = try runner.run(["aws", "sagemaker", "stop-transform-job", "--transform-job-name", "stopped"])
        #expect(stop.status == 0, "\(stop.error)")
        #expect(eventually(timeout: 2) { (try? catalog.transformJob(named: "stopped"))?.status == "Stopped" })
        Thread.sleep(forTimeInterval: 3.5)  // longer than the whole job would take
        #expect(try catalog.transformJob(named: "stopped")?.status == "Stopped", "the owner stopped it rather than finishing it as Completed")
        #expect(!FileManager.default.fileExists(atPath: runner.workspace.appendingPathComponent("buckets/loan-lab/out-stopped/data.csv.out").path))
        let log = try catalog.logEvents(group: "/aws/sagemaker/TransformJobs", streamPrefix: "stopped/")
        #expect(!log.isEmpty)
    }

    static func billableSeconds(_ describeOutput: String) -> Double? {
        guard let line = describeOutput.split(separator: "\n").first(where: { $0.contains("\"BillableInstanceSeconds\"") }) else { return nil }
        return Double(line.split(separator: ":").last!.trimmingCharacters(in: CharacterSet(charactersIn: " ,")))
    }
}
