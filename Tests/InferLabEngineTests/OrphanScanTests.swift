import Foundation
import Testing
@testable import InferLabEngine

/// The orphan scan: only an engine told it is long-lived adopts a dead process's job, within
/// about a second, and bills none of the time nobody ran it; shutdown stops the scan.
@Suite(.serialized)
struct OrphanScanTests {
    /// The pid of a process that has ended.
    private func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exit 0"]
        try process.run()
        process.waitUntilExit()
        #expect(!ProcessLiveness.isAlive(process.processIdentifier))
        return process.processIdentifier
    }

    /// A job as a process that died 5 s after starting it (and 5 s ago) left it.
    private func orphan(_ engine: Engine, _ name: String, owner: Int32) throws {
        try put(engine, "s3://loan-lab/orphan-in/\(name).csv", TransformJobTests.lesson)
        let job = transformJob(name, input: "s3://loan-lab/orphan-in/\(name).csv", output: "s3://loan-lab/orphan-out/")
        let created = Date().addingTimeInterval(-10)
        let inserted = try engine.catalog.insertTransformJob(TransformJobRecord(
            name: name, arn: "arn:aws:sagemaker:us-east-1:123456789012:transform-job/\(name)", status: "InProgress",
            creationTime: created, lastModifiedTime: created, definition: try AWSCoding.encoder().encode(job), ownerPID: owner))
        #expect(inserted)
        try engine.catalog.markTransformJobStarted(name, at: created.addingTimeInterval(0.5))
        try engine.catalog.recordTransformHeartbeat([name], pid: owner, at: created.addingTimeInterval(5))
    }

    @Test func onlyALongLivedEngineAdoptsAndTheDeadTimeIsNotBilled() throws {
        let engine = try transformEngine()
        let dead = try deadPID()
        try orphan(engine, "left", owner: dead)
        Thread.sleep(forTimeInterval: 0.6)
        #expect(!engine.sagemaker.isAdoptingOrphanedWork)
        #expect(try engine.catalog.transformJob(named: "left")?.ownerPID == dead, "an engine that was not told to adopt leaves it")

        let asked = Date()
        engine.adoptOrphanedWork()
        #expect(engine.sagemaker.isAdoptingOrphanedWork)
        #expect(eventually(timeout: 1) { (try? engine.catalog.transformJob(named: "left"))?.ownerPID == getpid() })
        #expect(Date().timeIntervalSince(asked) < 1)
        let job = try waitForJob(engine, "left")
        #expect(job.transformJobStatus == "Completed")
        let record = try #require(try engine.catalog.transformJob(named: "left"))
        // Heartbeat 5 s after creation, adopted 10 s after: about 5 s without an instance.
        #expect(record.unbilledSeconds > 4.9 && record.unbilledSeconds < 6, "\(record.unbilledSeconds)")
        let wall = try #require(job.transformEndTime).timeIntervalSince(try #require(job.transformStartTime))
        let billed = try #require(job.inferLabProgress?.billableInstanceSeconds)
        // The dead 5 s are left out; how long the re-run itself takes depends on the machine's load.
        #expect(abs(billed - (wall - record.unbilledSeconds)) < 0.01 && billed <= wall - 4.9, "billed \(billed) of \(wall) s")
        let log = try engine.catalog.logEvents(group: TransformJobRunner.logGroup, streamPrefix: "left/").map(\.message)
        #expect(log.contains { $0.contains("Instance lost: the process running this job (pid \(dead)) ended.") && $0.contains("are not billed") })

        engine.shutdown()
        #expect(eventually(timeout: 1) { !engine.sagemaker.isAdoptingOrphanedWork })
        try orphan(engine, "after-shutdown", owner: dead)
        Thread.sleep(forTimeInterval: 0.6)
        #expect(try engine.catalog.transformJob(named: "after-shutdown")?.ownerPID == dead, "a stopped scan adopts nothing")
    }

    @Test func aStoppingOrphanEndsStoppedAndALiveOwnersJobIsLeftToIt() throws {
        let engine = try transformEngine()
        try orphan(engine, "stopping", owner: try deadPID())
        _ = try engine.catalog.requestTransformJobStop("stopping", at: Date())
        engine.adoptOrphanedWork()
        defer { engine.shutdown() }
        #expect(try waitForJob(engine, "stopping", timeout: 2).transformJobStatus == "Stopped")
        // A job whose owner lives (here: pid 1) is not taken.
        try orphan(engine, "alive", owner: 1)
        Thread.sleep(forTimeInterval: 0.6)
        #expect(try engine.catalog.transformJob(named: "alive")?.ownerPID == 1)
    }
}
