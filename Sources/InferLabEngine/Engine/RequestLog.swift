import Foundation
import Synchronization

/// The endpoint's request log, written in batches: a call is buffered and the buffer is written
/// in one transaction every 200 ms (or at 500 calls), so logging costs the server no write per
/// request. A killed process loses at most the last 200 ms of the log, never accepted work.
/// One owner: the flush timer starts with the first call and stops at `close()`.
public final class RequestLog: Sendable {
    private let catalog: Catalog
    private let state = Mutex<(pending: [APIRequestRecord], started: Bool, closed: Bool)>(([], false, false))
    private let queue = DispatchQueue(label: "inferlab.request-log")
    /// A dispatch source is safe to use from any thread; Swift does not know it yet.
    private nonisolated(unsafe) let timer: any DispatchSourceTimer

    init(catalog: Catalog) {
        self.catalog = catalog
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(200), repeating: .milliseconds(200))
        timer.setEventHandler { [weak self] in self?.flush() }
    }

    deinit {
        // A source never resumed may not be released suspended: resume it to cancel it.
        if !state.withLock({ $0.started }) { timer.resume() }
        timer.cancel()
    }

    public func record(_ record: APIRequestRecord) {
        let (start, flushNow) = state.withLock { state -> (Bool, Bool) in
            guard !state.closed else { return (false, false) }
            state.pending.append(record)
            let start = !state.started
            state.started = true
            return (start, state.pending.count >= 500)
        }
        if start { timer.resume() }
        if flushNow { queue.async { [weak self] in self?.flush() } }
    }

    /// Writes what is buffered.
    public func flush() {
        let batch = state.withLock { state -> [APIRequestRecord] in
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        try? catalog.appendRequests(batch)
    }

    /// Stops the timer and writes what is left.
    public func close() {
        let wasStarted = state.withLock { state -> Bool in
            state.closed = true
            return state.started
        }
        if wasStarted { timer.cancel() }
        queue.sync {}
        flush()
    }
}
