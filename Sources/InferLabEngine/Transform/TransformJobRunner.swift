#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs transform jobs in the background, each on its own threads (`JobThreads`: never the
/// cooperative pool, which the shell needs, and a heartbeat while they run): provisioning, one
/// thread per instance, files in key order per instance, logs in CloudWatch style, progress and
/// the bill in the catalog.
final class TransformJobRunner: Sendable {
    struct Dependencies: Sendable {
        var catalog: Catalog
        var store: any ObjectStore
        var now: @Sendable () -> Date
        /// Acquiring the instances, before TransformStartTime (not billed).
        var provisioningDelay: Double
        /// Starting the container and loading the model on the instances, after it (billed).
        var startupDelay: Double
        /// Where the instances keep their folders (framework containers); nil: none can run.
        var instancesDirectory: URL?
        /// The model on each instance (one shared container for built-in algorithms alone).
        var startModel: @Sendable (_ modelName: String, _ jobEnvironment: [String: String], _ placement: InstancePlacement?,
                                   _ instances: [String]) throws -> StartedModel
        var notify: @Sendable (String) -> Void
    }

    private let dependencies: Dependencies
    private let threads: JobThreads

    init(_ dependencies: Dependencies) {
        self.dependencies = dependencies
        threads = JobThreads(kind: "transform", beat: { names, pid in
            try? dependencies.catalog.recordTransformHeartbeat(names, pid: pid, at: dependencies.now())
        }, isStopping: { name in
            (try? dependencies.catalog.transformJob(named: name))?.status == "Stopping"
        })
    }

    static let logGroup = "/aws/sagemaker/TransformJobs"

    /// Starts a job on a background thread.
    func start(_ name: String) {
        threads.start(name) { [dependencies] flag in
            TransformJobExecution(name: name, dependencies: dependencies, stopFlag: flag).run()
        }
    }

    /// Asks a running job to stop; it ends as Stopped and stores no further output.
    func stop(_ name: String) {
        if threads.raiseStop(name) {
            return
        } else if let record = try? dependencies.catalog.transformJob(named: name),
                  record.ownerPID == getpid() || !ProcessLiveness.isAlive(record.ownerPID) {
            // Not running anywhere (its process ended): finish it here.
            try? dependencies.catalog.finishTransformJob(name, status: "Stopped", failureReason: nil, at: dependencies.now())
        }
        // Otherwise another live process runs it: its heartbeat sees `Stopping` and stops it.
    }

    /// Whether any job is running in this process.
    var hasRunningJobs: Bool { !threads.isEmpty }

    /// Resumes jobs left unfinished by a process that ended (a crash, `kill -9`, or a script that
    /// did not wait): their outputs are written whole or not at all, so running again is safe.
    /// Only a long-lived process calls this (see `SageMakerService.adoptOrphanedWork`).
    func resumeOrphans() {
        let now = dependencies.now()
        let claimed = (try? dependencies.catalog.claimOrphanedTransformJobs(for: getpid(), isAlive: ProcessLiveness.isAlive, at: now)) ?? []
        for adopted in claimed {
            guard let record = try? dependencies.catalog.transformJob(named: adopted.name) else { continue }
            logAdoption(adopted, record: record)
            if record.status == "Stopping" {
                try? dependencies.catalog.finishTransformJob(adopted.name, status: "Stopped", failureReason: nil, at: now)
            } else {
                start(adopted.name)
            }
        }
    }

    /// The job log says what happened: the instances were lost with their process, and the work
    /// starts again here.
    private func logAdoption(_ adopted: AdoptedJob, record: TransformJobRecord) {
        let count = (try? AWSCoding.decoder().decode(CreateTransformJobInput.self, from: record.definition))?.transformResources.instanceCount ?? 1
        let now = dependencies.now()
        let stamp = TransformJobExecution.logTimestamp(now)
        let unbilled = record.startTime == nil ? "" : String(format: " The %.1f s without a running instance are not billed.", adopted.lostSeconds)
        let action = record.status == "Stopping" ? "The job was stopping: it ends Stopped." : "The work resumes in process \(getpid()): every object is transformed again (outputs are written whole or not at all, so none is torn or doubled)."
        for instance in TransformJobExecution.instanceIDs(job: adopted.name, count: count) {
            try? dependencies.catalog.appendLog(
                group: Self.logGroup, stream: "\(adopted.name)/\(instance)",
                message: "\(stamp):[sagemaker logs]: Instance lost: the process running this job (pid \(adopted.previousOwner)) ended. \(action)\(unbilled)",
                at: now)
        }
    }
}
