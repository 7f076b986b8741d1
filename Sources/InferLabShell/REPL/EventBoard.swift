import Synchronization

/// Messages from background work (a job finished, an endpoint is in service), held until the
/// shell can print them between commands, never over the line being edited.
public final class EventBoard: Sendable {
    private let pending = Mutex<[String]>([])

    public init() {}

    public func post(_ message: String) {
        pending.withLock { $0.append(message) }
    }

    /// Everything posted since the last call, oldest first.
    public func drain() -> [String] {
        pending.withLock { messages in
            defer { messages.removeAll() }
            return messages
        }
    }
}
