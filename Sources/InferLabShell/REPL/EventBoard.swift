import Foundation
import Synchronization

/// Messages from background work (a job finished, an endpoint is in service), held until the
/// shell can print them between commands, never over the line being edited.
public final class EventBoard: Sendable {
    private let pending = Mutex<[String]>([])
    /// Messages a waiter has already answered for, by prefix, until when.
    private let acknowledged = Mutex<[(prefix: String, until: Date)]>([])

    public init() {}

    public func post(_ message: String) {
        let known = acknowledged.withLock { entries -> Bool in
            entries.removeAll { $0.until < Date() }
            guard let index = entries.firstIndex(where: { message.hasPrefix($0.prefix) }) else { return false }
            entries.remove(at: index)
            return true
        }
        if !known { pending.withLock { $0.append(message) } }
    }

    /// A waiter succeeded on what the next message starting so would announce: like the AWS
    /// CLI's waiters, it printed nothing, and the announcement would only repeat it. Drops that
    /// message, pending or posted within `seconds`.
    public func acknowledge(_ prefix: String, seconds: Double = 5) {
        let dropped = pending.withLock { messages -> Bool in
            guard let index = messages.firstIndex(where: { $0.hasPrefix(prefix) }) else { return false }
            messages.remove(at: index)
            return true
        }
        if !dropped { acknowledged.withLock { $0.append((prefix, Date().addingTimeInterval(seconds))) } }
    }

    /// Drops the pending messages that match, unprinted (a command's own background notices,
    /// stale once it has cleaned up after itself).
    public func discard(where matches: (String) -> Bool) {
        pending.withLock { $0.removeAll(where: matches) }
    }

    /// Everything posted since the last call, oldest first.
    public func drain() -> [String] {
        pending.withLock { messages in
            defer { messages.removeAll() }
            return messages
        }
    }
}
