#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Runs transform jobs in the background, each on its own threads (never the cooperative pool,
/// which the shell needs): provisioning, one thread per instance, files in key order per
/// instance, logs in CloudWatch style, progress and the bill in the catalog.
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
    private let stopFlags = Mutex<[String: StopFlag]>([:])
    private let heartbeatRunning = Mutex(false)

    final class StopFlag: Sendable {
        private let raised = Atomic<Bool>(false)
        func raise() { raised.store(true, ordering: .releasing) }
        var isRaised: Bool { raised.load(ordering: .acquiring) }
    }

    init(_ dependencies: Dependencies) {
        self.dependencies = dependencies
    }

    static let logGroup = "/aws/sagemaker/TransformJobs"

    /// Starts a job on a background thread.
    func start(_ name: String) {
        let flag = StopFlag()
        stopFlags.withLock { $0[name] = flag }
        let thread = Thread { [self] in
            TransformJobExecution(name: name, dependencies: dependencies, stopFlag: flag).run()
            _ = stopFlags.withLock { $0.removeValue(forKey: name) }
        }
        thread.name = "transform \(name)"
        thread.start()
        startHeartbeat()
    }

    /// While jobs run here, the catalog hears every quarter second that their process is alive:
    /// if it dies, the adopter knows when the instances stopped (and stops billing there).
    private func startHeartbeat() {
        let starting = heartbeatRunning.withLock { running in
            defer { running = true }
            return !running
        }
        guard starting else { return }
        let thread = Thread { [self] in
            let pid = getpid()
            while true {
                let names = stopFlags.withLock { Array($0.keys) }
                let done = heartbeatRunning.withLock { running in
                    if names.isEmpty { running = false }
                    return names.isEmpty
                }
                if done { return }
                try? dependencies.catalog.recordTransformHeartbeat(names, pid: pid, at: dependencies.now())
                // A stop asked for by another process (`stop-transform-job` from a second shell).
                for name in names where (try? dependencies.catalog.transformJob(named: name))?.status == "Stopping" {
                    stopFlags.withLock { $0[name] }?.raise()
                }
                Thread.sleep(forTimeInterval: Self.heartbeatInterval)
            }
        }
        thread.name = "transform heartbeat"
        thread.start()
    }

    static let heartbeatInterval = 0.25

    /// Asks a running job to stop; it ends as Stopped and stores no further output.
    func stop(_ name: String) {
        if let flag = stopFlags.withLock({ $0[name] }) {
            flag.raise()
        } else if let record = try? dependencies.catalog.transformJob(named: name),
                  record.ownerPID == getpid() || !ProcessLiveness.isAlive(record.ownerPID) {
            // Not running anywhere (its process ended): finish it here.
            try? dependencies.catalog.finishTransformJob(name, status: "Stopped", failureReason: nil, at: dependencies.now())
        }
        // Otherwise another live process runs it: its heartbeat sees `Stopping` and stops it.
    }

    /// Whether any job is running in this process.
    var hasRunningJobs: Bool { stopFlags.withLock { !$0.isEmpty } }

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
    private func logAdoption(_ adopted: AdoptedTransformJob, record: TransformJobRecord) {
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
