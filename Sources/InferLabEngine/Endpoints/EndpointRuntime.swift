#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Runs endpoints: their lifecycle (Creating → InService, Updating, Deleting) on background
/// threads, and the async workers of every in-service async endpoint in this process.
final class EndpointRuntime: Sendable {
    struct Dependencies: Sendable {
        var catalog: Catalog
        var store: any ObjectStore
        var now: @Sendable () -> Date
        var provisioningDelay: Double
        var scaleInSeconds: Double?
        var region: String
        /// Where the instances keep their folders (framework containers); nil: none can run.
        var instancesDirectory: URL?
        /// The model on each instance (one shared container for built-in algorithms alone).
        var startModel: @Sendable (_ modelName: String, _ placement: InstancePlacement?, _ instances: [String]) throws -> StartedModel
        var notify: @Sendable (String) -> Void
        /// Where in-service endpoints keep the models they loaded.
        var deployed: DeployedEndpoints
    }

    let dependencies: Dependencies
    private let pools = Mutex<[String: AsyncWorkerPool]>([:])

    init(_ dependencies: Dependencies) {
        self.dependencies = dependencies
    }

    var provisioningDelay: Double { dependencies.provisioningDelay }

    /// Brings an endpoint (new or updated) to InService after the provisioning delay, or to
    /// Failed when a variant's model cannot be loaded.
    func provision(_ name: String, config: CreateEndpointConfigInput, configDefinition: Data) {
        let thread = Thread { [self] in
            Thread.sleep(forTimeInterval: dependencies.provisioningDelay)
            guard let endpoint = try? dependencies.catalog.endpoint(named: name), endpoint.status != "Deleting" else { return }
            var containers: [String: any InferenceContainer] = [:]
            do {
                for variant in config.productionVariants {
                    containers[variant.variantName] = try startVariant(name, variant)
                }
            } catch {
                for container in containers.values { container.stop() }
                let reason = "ClientError: Failed to load the model of this endpoint: \(ErrorSentence.of(error))"
                try? dependencies.catalog.updateEndpoint(name, status: "Failed", failureReason: reason, at: dependencies.now())
                dependencies.notify("Endpoint \(name): Failed. \(reason)")
                return
            }
            var counts: [String: Int] = [:]
            for variant in config.productionVariants { counts[variant.variantName] = variant.initialInstanceCount ?? 1 }
            stopPool(name)
            // The loaded models are in place before anyone can see InService: an invocation
            // right after must not load the artifact again (it may have changed since).
            let time = Date(timeIntervalSince1970: dependencies.now().timeIntervalSince1970)  // as the catalog stores it
            if var deployed = try? dependencies.catalog.endpoint(named: name) {
                deployed.status = "InService"
                deployed.failureReason = nil
                deployed.lastModifiedTime = time
                deployed.configName = config.endpointConfigName
                deployed.configDefinition = configDefinition
                deployed.instanceCounts = counts
                dependencies.deployed.remember(deployed, containers: containers)
            }
            try? dependencies.catalog.updateEndpoint(name, status: "InService", config: (config.endpointConfigName, configDefinition),
                                                     instanceCounts: counts, at: time)
            try? dependencies.catalog.touchEndpoint(name, at: dependencies.now())
            startPoolIfAsync(name)
            dependencies.notify("Endpoint \(name): InService.")
        }
        thread.start()
    }

    func delete(_ name: String) {
        stopPool(name)
        dependencies.deployed.forget(name)
        let thread = Thread { [self] in
            Thread.sleep(forTimeInterval: min(0.5, dependencies.provisioningDelay))
            try? dependencies.catalog.deleteEndpoint(named: name)
        }
        thread.start()
    }

    /// Starts workers for an in-service async endpoint, once per process.
    func startPoolIfAsync(_ name: String) {
        guard pools.withLock({ $0[name.lowercased()] == nil }) else { return }
        guard let endpoint = try? dependencies.catalog.endpoint(named: name), endpoint.status == "InService",
              let config = try? AWSCoding.decoder().decode(CreateEndpointConfigInput.self, from: endpoint.configDefinition),
              let async = config.asyncInferenceConfig, let variant = config.productionVariants.first else { return }
        let container: any InferenceContainer
        do {
            container = try dependencies.deployed.container(of: endpoint, variant: variant.variantName) {
                try startVariant(endpoint.name, variant)
            }
        } catch { return }
        let perInstance = async.clientConfig?.maxConcurrentInvocationsPerInstance ?? 2
        let maxInstances = max(variant.initialInstanceCount ?? 1, scalableTarget(endpoint: name, variant: variant.variantName)?.maxCapacity ?? 0)
        let setup = AsyncWorkerPool.Setup(endpoint: endpoint.name, variant: variant.variantName, perInstance: perInstance,
                                          maxWorkers: min(64, max(1, perInstance * maxInstances)), container: container, config: async)
        let processor = AsyncRequestProcessor(catalog: dependencies.catalog, store: dependencies.store, now: dependencies.now,
                                              region: dependencies.region)
        let pool = AsyncWorkerPool(setup: setup, processor: processor, manager: self)
        let started = pools.withLock { pools -> Bool in
            guard pools[endpoint.name.lowercased()] == nil else { return false }
            pools[endpoint.name.lowercased()] = pool
            return true
        }
        if started { pool.start() }
    }

    func stopPool(_ name: String) {
        pools.withLock { $0.removeValue(forKey: name.lowercased()) }?.stop()
    }

    /// Stops every pool of this process (its engine is shutting down): each worker ends after the
    /// request it holds, and what is queued stays queued for the next long-lived process.
    func stopAllPools() {
        let all = pools.withLock { pools -> [AsyncWorkerPool] in
            defer { pools.removeAll() }
            return Array(pools.values)
        }
        for pool in all { pool.stop() }
    }

    /// Restarts the pool so it picks up a new capacity (after a scalable target is registered).
    /// Only a pool running in this process is restarted: a one-shot command starts none.
    func restartPool(_ name: String) {
        guard pools.withLock({ $0[name.lowercased()] != nil }) else { return }
        stopPool(name)
        startPoolIfAsync(name)
    }

    func wake(_ name: String) {
        pools.withLock { $0[name.lowercased()] }?.wake()
    }

    /// Takes over what dead processes left: endpoints mid-change, requests mid-flight, and the
    /// queues of in-service async endpoints. Only a long-lived process calls this (see
    /// `SageMakerService.adoptOrphanedWork`).
    func resume() {
        let isAlive = ProcessLiveness.isAlive
        for lost in (try? dependencies.catalog.requeueAbandonedRequests(isAlive: isAlive)) ?? [] {
            log(lost.endpoint, "Instance lost: the process serving this endpoint (pid \(lost.pid)) ended with \(lost.count) request(s) in flight; they are back in the queue and process \(getpid()) takes them up.")
        }
        for name in (try? dependencies.catalog.claimOrphanedEndpoints(for: getpid(), isAlive: isAlive)) ?? [] {
            guard let endpoint = try? dependencies.catalog.endpoint(named: name) else { continue }
            if endpoint.status == "Deleting" {
                delete(name)
            } else if let config = try? AWSCoding.decoder().decode(CreateEndpointConfigInput.self, from: endpoint.configDefinition) {
                provision(name, config: config, configDefinition: endpoint.configDefinition)
            }
        }
        for endpoint in (try? dependencies.catalog.allEndpoints()) ?? [] where endpoint.status == "InService" {
            startPoolIfAsync(endpoint.name)
        }
    }

    /// A variant's model on its instances: one shared container for built-in algorithms, an
    /// `InstanceGroup` of one process set per instance for framework containers, in
    /// `instances/endpoint-<endpoint>/<variant>-<n>/` (each deployment its own), logging into the
    /// endpoint's `<variant>/<instance>` streams. (Instances an async variant scales out to share
    /// the processes of its initial ones.)
    func startVariant(_ endpoint: String, _ variant: ProductionVariant) throws -> any InferenceContainer {
        let count = max(1, variant.initialInstanceCount ?? 1)
        let instances = TransformJobExecution.instanceIDs(job: "\(endpoint)/\(variant.variantName)", count: count)
        let catalog = dependencies.catalog, now = dependencies.now
        let folder = dependencies.instancesDirectory?.appendingPathComponent("endpoint-\(endpoint)", isDirectory: true)
            .appendingPathComponent("\(variant.variantName)-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        let placement = folder.map { folder in
            InstancePlacement(folder: folder, mode: .endpoint, environment: [:], defaultTimeout: .seconds(60)) { instance, line in
                try? catalog.appendLog(group: "/aws/sagemaker/Endpoints/\(endpoint)", stream: "\(variant.variantName)/\(instance)",
                                       message: VisibleText.escaped(line), at: now())
            }
        }
        let model = try dependencies.startModel(variant.modelName ?? "", placement, instances)
        guard model.runsProcesses else { return model.on(0) }
        return InstanceGroup(model.containers, folder: folder)
    }

    // MARK: Scaling and logs

    func scalableTarget(endpoint: String, variant: String) -> ScalableTarget? {
        try? dependencies.catalog.scalableTarget(resourceId: "endpoint/\(endpoint)/variant/\(variant)")
    }

    func scaleInSeconds(_ target: ScalableTarget) -> Double {
        dependencies.scaleInSeconds ?? Double(target.policy?.scaleInCooldown ?? 300)
    }

    func log(_ endpoint: String, _ message: String) {
        try? dependencies.catalog.appendLog(group: "/aws/sagemaker/Endpoints/\(endpoint)", stream: "AllTraffic/autoscaling",
                                            message: message, at: dependencies.now())
    }
}
