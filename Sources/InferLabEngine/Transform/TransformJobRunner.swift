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
        var provisioningDelay: Double
        var loadContainer: @Sendable (_ modelName: String, _ jobEnvironment: [String: String]) throws -> any InferenceContainer
        var notify: @Sendable (String) -> Void
    }

    private let dependencies: Dependencies
    private let stopFlags = Mutex<[String: StopFlag]>([:])

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
    }

    /// Asks a running job to stop; it ends as Stopped and stores no further output.
    func stop(_ name: String) {
        if let flag = stopFlags.withLock({ $0[name] }) {
            flag.raise()
        } else {
            // Not running in this process (its process ended): finish it here.
            try? dependencies.catalog.finishTransformJob(name, status: "Stopped", failureReason: nil, at: dependencies.now())
        }
    }

    /// Whether any job is running in this process.
    var hasRunningJobs: Bool { stopFlags.withLock { !$0.isEmpty } }

    /// Resumes jobs left unfinished by a process that ended (a crash, `kill -9`, or a script that
    /// did not wait): their outputs are written whole or not at all, so running again is safe.
    func resumeOrphans() {
        let claimed = (try? dependencies.catalog.claimOrphanedTransformJobs(for: getpid(), isAlive: ProcessLiveness.isAlive)) ?? []
        for name in claimed {
            if (try? dependencies.catalog.transformJob(named: name))?.status == "Stopping" {
                try? dependencies.catalog.finishTransformJob(name, status: "Stopped", failureReason: nil, at: dependencies.now())
            } else {
                start(name)
            }
        }
    }
}
