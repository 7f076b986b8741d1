#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The background jobs one process runs (transform jobs, training jobs): each on a thread of its
/// own (never the cooperative pool, which the shell needs), one stop flag each, and while any
/// runs, one heartbeat thread that tells the catalog every quarter second that this process is
/// alive (so an adopter knows when the instances stopped) and raises the flag of a job another
/// process asked to stop (`stop-…-job` from a second shell). The catalog side is in
/// Catalog+JobOwnership; the runners say what a beat writes and how a stop is seen.
final class JobThreads: Sendable {
    final class StopFlag: Sendable {
        private let raised = Atomic<Bool>(false)
        func raise() { raised.store(true, ordering: .releasing) }
        var isRaised: Bool { raised.load(ordering: .acquiring) }
    }

    static let heartbeatInterval = 0.25

    private let kind: String
    /// Records that this process (its pid) still runs these jobs.
    private let beat: @Sendable (_ names: [String], _ pid: Int32) -> Void
    /// Whether another process has asked the job to stop.
    private let isStopping: @Sendable (_ name: String) -> Bool
    private let stopFlags = Mutex<[String: StopFlag]>([:])
    private let heartbeatRunning = Mutex(false)

    init(kind: String, beat: @escaping @Sendable ([String], Int32) -> Void, isStopping: @escaping @Sendable (String) -> Bool) {
        self.kind = kind
        self.beat = beat
        self.isStopping = isStopping
    }

    /// Runs `body` for the job on a thread of its own, unless this process already runs it.
    func start(_ name: String, _ body: @escaping @Sendable (StopFlag) -> Void) {
        let flag = StopFlag()
        let starting = stopFlags.withLock { flags -> Bool in
            guard flags[name] == nil else { return false }
            flags[name] = flag
            return true
        }
        guard starting else { return }
        let thread = Thread { [self] in
            body(flag)
            _ = stopFlags.withLock { $0.removeValue(forKey: name) }
        }
        thread.name = "\(kind) \(name)"
        thread.start()
        startHeartbeat()
    }

    /// Raises a running job's stop flag; false when this process does not run it.
    func raiseStop(_ name: String) -> Bool {
        guard let flag = stopFlags.withLock({ $0[name] }) else { return false }
        flag.raise()
        return true
    }

    var isEmpty: Bool { stopFlags.withLock { $0.isEmpty } }

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
                beat(names, pid)
                for name in names where isStopping(name) { _ = raiseStop(name) }
                Thread.sleep(forTimeInterval: Self.heartbeatInterval)
            }
        }
        thread.name = "\(kind) heartbeat"
        thread.start()
    }
}
