#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The workers of one async endpoint in this process: instances × MaxConcurrentInvocationsPerInstance
/// threads take requests from the durable queue, and a control thread scales the instances.
final class AsyncWorkerPool: Sendable {
    struct Setup: Sendable {
        var endpoint: String
        var variant: String
        var perInstance: Int
        var maxWorkers: Int
        var container: any InferenceContainer
        var config: AsyncInferenceConfig?
    }

    private let setup: Setup
    private let processor: AsyncRequestProcessor
    private let manager: EndpointRuntime
    private let stopped = Atomic<Bool>(false)
    private let wakeup = NSCondition()
    private let scaleOutPendingSince = Mutex<Date?>(nil)

    init(setup: Setup, processor: AsyncRequestProcessor, manager: EndpointRuntime) {
        self.setup = setup
        self.processor = processor
        self.manager = manager
    }

    func start() {
        for index in 0..<setup.maxWorkers {
            let thread = Thread { [self] in work(index) }
            thread.name = "async \(setup.endpoint) #\(index)"
            thread.start()
        }
        let control = Thread { [self] in
            while !stopped.load(ordering: .acquiring) {
                scale()
                wake()
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        control.start()
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
        wake()
    }

    /// A request arrived in this process: start on it now rather than at the next tick.
    func wake() {
        wakeup.lock()
        wakeup.broadcast()
        wakeup.unlock()
    }

    private var activeWorkers: Int {
        let instances = (try? processor.catalog.endpoint(named: setup.endpoint))?.instanceCounts[setup.variant] ?? 0
        return instances * setup.perInstance
    }

    private func work(_ index: Int) {
        let pid = getpid()
        var allowed = activeWorkers
        var checked = Date()
        while !stopped.load(ordering: .acquiring) {
            if Date().timeIntervalSince(checked) > 0.05 { allowed = activeWorkers; checked = Date() }
            if index < allowed, let request = try? processor.catalog.claimNextRequest(endpoint: setup.endpoint, pid: pid) {
                processor.process(request, container: setup.container, config: setup.config)
                continue
            }
            wakeup.lock()
            if !stopped.load(ordering: .acquiring) { _ = wakeup.wait(until: Date().addingTimeInterval(0.05)) }
            wakeup.unlock()
            allowed = activeWorkers
            checked = Date()
        }
    }

    /// Scale-to-zero and back, and target tracking on the backlog per instance (see ScalableTarget).
    private func scale() {
        let catalog = processor.catalog
        guard let target = manager.scalableTarget(endpoint: setup.endpoint, variant: setup.variant),
              let endpoint = try? catalog.endpoint(named: setup.endpoint), endpoint.status == "InService",
              let stats = try? catalog.queueStatistics(endpoint: setup.endpoint) else { return }
        let backlog = stats.queued + stats.inflight
        let current = endpoint.instanceCounts[setup.variant] ?? 0
        var wanted = current
        let perInstanceTarget = target.policy?.targetValue ?? 5
        if backlog > 0 && (current == 0 || (Double(backlog) / Double(current) > perInstanceTarget && current < target.maxCapacity)) {
            wanted = min(target.maxCapacity, max(current + 1, 1))
        } else if backlog == 0, current > target.minCapacity,
                  Date().timeIntervalSince(endpoint.lastActivity) > manager.scaleInSeconds(target) {
            wanted = target.minCapacity
        }
        if wanted > current {
            // New instances take the provisioning delay to come up.
            let since = scaleOutPendingSince.withLock { pending in
                if pending == nil { pending = Date() }
                return pending!
            }
            guard Date().timeIntervalSince(since) >= manager.provisioningDelay else { return }
            scaleOutPendingSince.withLock { $0 = nil }
        } else {
            scaleOutPendingSince.withLock { $0 = nil }
        }
        if wanted != current, (try? catalog.changeEndpointInstances(setup.endpoint, variant: setup.variant, from: current, to: wanted)) == true {
            manager.log(setup.endpoint, "Variant \(setup.variant) scaled from \(current) to \(wanted) instance(s); backlog \(backlog).")
        }
    }
}
