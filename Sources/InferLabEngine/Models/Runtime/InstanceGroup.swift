import Foundation

/// The instances of an endpoint variant whose model runs processes (framework containers): a
/// request goes to an instance that is free, or waits for the first that frees up, as the
/// endpoint's load balancer spreads requests over instances.
final class InstanceGroup: InferenceContainer, @unchecked Sendable {
    let instances: [any InferenceContainer]
    /// The instances' folders, removed when they stop.
    let folder: URL?
    private let condition = NSCondition()
    private var busy: Set<Int> = []
    private var next = 0

    init(_ instances: [any InferenceContainer], folder: URL? = nil) {
        precondition(!instances.isEmpty, "an instance group has at least one instance")
        self.instances = instances
        self.folder = folder
    }

    var addedLatency: Duration { instances[0].addedLatency }

    func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode) throws -> ContainerResponse {
        try invoke(body: body, contentType: contentType, accept: accept, mode: mode, timeout: .seconds(60))
    }

    func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode, timeout: Duration) throws -> ContainerResponse {
        let index = take()
        defer { release(index) }
        return try instances[index].invoke(body: body, contentType: contentType, accept: accept, mode: mode, timeout: timeout)
    }

    func stop() {
        for instance in instances { instance.stop() }
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// A free instance, round-robin from the last one chosen; waits while all are busy.
    private func take() -> Int {
        condition.lock()
        defer { condition.unlock() }
        while true {
            for offset in 0..<instances.count {
                let index = (next + offset) % instances.count
                if !busy.contains(index) {
                    busy.insert(index)
                    next = index + 1
                    return index
                }
            }
            condition.wait()
        }
    }

    private func release(_ index: Int) {
        condition.lock()
        busy.remove(index)
        condition.signal()
        condition.unlock()
    }
}
