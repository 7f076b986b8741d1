import Foundation
import Synchronization

/// The one background owner of a long-lived process's orphan scan: a thread that, every
/// `interval` seconds, takes over the work dead processes left (transform jobs, endpoint changes,
/// async requests in flight) and starts the workers of in-service async endpoints. A one-shot
/// command never starts it: it cannot finish what it would adopt.
final class OrphanScan: Sendable {
    static let interval = 0.25

    private let scan: @Sendable () -> Void
    private let state = Mutex<State>(.idle)
    private let wakeup = NSCondition()

    private enum State { case idle, running, stopping }

    init(_ scan: @escaping @Sendable () -> Void) {
        self.scan = scan
    }

    var isRunning: Bool { state.withLock { $0 == .running } }

    /// Starts scanning (the first scan at once); does nothing when already scanning.
    func start() {
        let starting = state.withLock { state -> Bool in
            defer { state = .running }
            return state == .idle  // a stopping thread that has not left yet carries on
        }
        guard starting else { return }
        let thread = Thread { [self] in
            // Leaving is decided under the lock, so a start() racing a stop() either keeps this
            // thread scanning or finds the state idle and starts another.
            while state.withLock({ state in
                if state == .stopping { state = .idle }
                return state == .running
            }) {
                scan()
                wakeup.lock()
                if state.withLock({ $0 == .running }) { _ = wakeup.wait(until: Date().addingTimeInterval(Self.interval)) }
                wakeup.unlock()
            }
        }
        thread.name = "orphan scan"
        thread.start()
    }

    /// Stops scanning (at shutdown); work already taken up keeps running until the process ends.
    func stop() {
        let stopping = state.withLock { state -> Bool in
            guard state == .running else { return false }
            state = .stopping
            return true
        }
        guard stopping else { return }
        wakeup.lock()
        wakeup.broadcast()
        wakeup.unlock()
    }
}
