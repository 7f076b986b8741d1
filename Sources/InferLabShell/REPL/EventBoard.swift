import Synchronization

/// Messages from background work (a job finished, an endpoint is in service), held until the
/// shell can print them between commands, never over the line being edited.
public final class EventBoard: Sendable {
    private let pending = Mutex<[String]>([])

    public init() {}

    public func post(_ message: String) {
        pending.withLock { $0.append(message) }
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
