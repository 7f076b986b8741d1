#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs training jobs in the background, one thread each, with one owner per job as transform
/// jobs have (`JobThreads`): a heartbeat in the catalog while they run, a stop asked for by
/// another process seen through it, and jobs a dead process left taken up by the next
/// long-lived one (`SageMakerService.adoptOrphanedWork`), which starts them again from Downloading.
final class TrainingJobRunner: Sendable {
    struct Dependencies: Sendable {
        var catalog: Catalog
        var store: any ObjectStore
        var now: @Sendable () -> Date
        /// Acquiring the instances, before TrainingStartTime (Starting, not billed).
        var provisioningDelay: Double
        /// Pulling the image on the instances, after it (billed).
        var startupDelay: Double
        /// Between SIGTERM and SIGKILL when a job is stopped (SageMaker: 120 s).
        var stopGrace: Double
        /// The course interpreter (`SageMakerService.Configuration.python`).
        var python: String
        /// Where instances' folders go: `<workspace>/.inferlab/training`.
        var jobsFolder: URL
        var notify: @Sendable (String) -> Void
    }

    static let logGroup = "/aws/sagemaker/TrainingJobs"

    private let dependencies: Dependencies
    private let threads: JobThreads

    init(_ dependencies: Dependencies) {
        self.dependencies = dependencies
        threads = JobThreads(kind: "training", beat: { names, pid in
            try? dependencies.catalog.recordTrainingHeartbeat(names, pid: pid, at: dependencies.now())
        }, isStopping: { name in
            (try? dependencies.catalog.trainingJob(named: name))?.status == "Stopping"
        })
    }

    /// Starts a job on a background thread of its own.
    func start(_ name: String) {
        threads.start(name) { [dependencies] flag in
            TrainingJobExecution(name: name, dependencies: dependencies, stopFlag: flag).run()
        }
    }

    /// Asks a running job to stop. A job no live process runs is finished here.
    func stop(_ name: String) {
        if threads.raiseStop(name) {
            return
        } else if let record = try? dependencies.catalog.trainingJob(named: name),
                  record.ownerPID == getpid() || !ProcessLiveness.isAlive(record.ownerPID) {
            try? dependencies.catalog.finishTrainingJob(name, status: "Stopped", secondary: "Stopped", message: "Training job stopped",
                                                        failureReason: nil, metrics: nil, at: dependencies.now())
        }
        // Otherwise another live process runs it: its heartbeat sees Stopping and stops it.
    }

    var hasRunningJobs: Bool { !threads.isEmpty }

    /// Takes up jobs whose process ended; a job that was Stopping ends Stopped.
    func resumeOrphans() {
        let now = dependencies.now()
        let claimed = (try? dependencies.catalog.claimOrphanedTrainingJobs(for: getpid(), isAlive: ProcessLiveness.isAlive, at: now)) ?? []
        for adopted in claimed {
            guard let record = try? dependencies.catalog.trainingJob(named: adopted.name) else { continue }
            let action = record.status == "Stopping" ? "The job was stopping: it ends Stopped."
                : "The job starts again in process \(getpid()), from downloading its input (the instance's folder is made afresh)."
            let unbilled = record.startTime == nil ? "" : String(format: " The %.1f s without a running instance are not billed.", adopted.lostSeconds)
            if let start = record.startTime {
                try? dependencies.catalog.appendLog(
                    group: Self.logGroup, stream: "\(adopted.name)/\(TrainingJobExecution.logStream(job: adopted.name, start: start))",
                    message: "Instance lost: the process running this job (pid \(adopted.previousOwner)) ended. \(action)\(unbilled)", at: now)
            }
            if record.status == "Stopping" {
                try? dependencies.catalog.finishTrainingJob(adopted.name, status: "Stopped", secondary: "Stopped", message: "Training job stopped",
                                                            failureReason: nil, metrics: nil, at: now)
            } else {
                start(adopted.name)
            }
        }
    }
}
