import Foundation
import Synchronization

/// The SageMaker control plane of the embedded engine: models, transform jobs, endpoints.
/// Requests and responses are AWS's API shapes; errors are AWS's codes and messages.
public final class SageMakerService: Sendable {
    public struct Configuration: Sendable {
        /// Shown in ARNs; InferLab is one account in one region.
        public var region = "us-east-1"
        public var account = "123456789012"
        /// Acquiring instances, in seconds: a transform job before its TransformStartTime (not
        /// billed), an endpoint while Creating (`INFERLAB_PROVISIONING_SECONDS`; AWS takes
        /// minutes, InferLab a watchable moment).
        public var provisioningDelay: Double = 2
        /// A transform job's container start and model load on its instances, after
        /// TransformStartTime (billed), in seconds (`INFERLAB_STARTUP_SECONDS`).
        public var startupDelay: Double = 1
        /// Multiplies every simulated duration: the two above and the models'
        /// `INFERLAB_MODEL_LATENCY_MS` (`INFERLAB_TIME_SCALE`; 0 makes them instant). Tests and
        /// `lab selftest` shorten a lab's time scale with it.
        public var timeScale: Double = 1
        /// Idle time before an autoscaled async variant scales in (`INFERLAB_SCALE_IN_SECONDS`);
        /// nil uses the policy's ScaleInCooldown (AWS default 300 s).
        public var scaleInSeconds: Double?
        /// The interpreter that runs learners' Python (framework containers' inference scripts,
        /// script-mode training): the course venv, which the shell finds at launch and passes
        /// down as `INFERLAB_PYTHON`; `python3` from the PATH otherwise.
        public var python = "python3"
        public static let pythonVariable = "INFERLAB_PYTHON"
        /// Where instances keep their folders (`.inferlab/instances/` of the workspace; see
        /// `InstanceFolder`). Without one, framework containers cannot run.
        public var instancesDirectory: URL?
        /// Multiplies framework containers' invocation and start-up timeouts
        /// (`INFERLAB_INVOCATION_TIMEOUT_SCALE`; tests shorten 60 s to a moment with it).
        public var invocationTimeoutScale: Double = 1
        public init() {}

        /// `defaults` (the kit's, or a lab's time scale), with settings from the environment applied:
        /// an explicit setting wins over a lab's.
        public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                           defaults: Configuration = Configuration()) -> Configuration {
            var configuration = defaults
            if let text = environment["INFERLAB_PROVISIONING_SECONDS"], let seconds = Double(text), seconds >= 0 {
                configuration.provisioningDelay = seconds
            }
            if let text = environment["INFERLAB_STARTUP_SECONDS"], let seconds = Double(text), seconds >= 0 {
                configuration.startupDelay = seconds
            }
            if let text = environment["INFERLAB_TIME_SCALE"], let scale = Double(text), scale >= 0 {
                configuration.timeScale = scale
            }
            if let text = environment["INFERLAB_SCALE_IN_SECONDS"], let seconds = Double(text), seconds >= 0 {
                configuration.scaleInSeconds = seconds
            }
            if let path = environment[pythonVariable], !path.isEmpty { configuration.python = path }
            if let text = environment["INFERLAB_INVOCATION_TIMEOUT_SCALE"], let scale = Double(text), scale > 0 {
                configuration.invocationTimeoutScale = scale
            }
            return configuration
        }
    }

    let catalog: Catalog
    let store: any ObjectStore
    let configuration: Configuration
    let models: ModelLoader
    let now: @Sendable () -> Date
    let transforms: TransformJobRunner
    let trainings: TrainingJobRunner
    let endpoints: EndpointRuntime
    let deployed: DeployedEndpoints

    /// `trainingFolder` holds training instances' folders (`<job>/algo-1/opt/ml/…`); the engine
    /// puts it in the workspace's `.inferlab/training`.
    public init(catalog: Catalog, store: any ObjectStore, configuration: Configuration = Configuration(),
                trainingFolder: URL = FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-training", isDirectory: true),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.catalog = catalog
        self.store = store
        self.configuration = configuration
        let scripts = configuration.instancesDirectory.map { _ in
            ScriptInstances(store: store, python: configuration.python, region: configuration.region,
                            timeoutScale: configuration.invocationTimeoutScale)
        }
        let models = ModelLoader(store: store, latencyScale: configuration.timeScale, scripts: scripts)
        self.models = models
        self.now = now
        let fanout = Fanout()
        self.fanout = fanout
        let deployed = DeployedEndpoints()
        self.deployed = deployed
        self.transforms = TransformJobRunner(.init(
            catalog: catalog, store: store, now: now, provisioningDelay: configuration.provisioningDelay * configuration.timeScale,
            startupDelay: configuration.startupDelay * configuration.timeScale,
            instancesDirectory: configuration.instancesDirectory,
            startModel: { name, environment, placement, instances in
                try Self.startModel(name, catalog: catalog, models: models, extraEnvironment: environment, placement: placement,
                                    instances: instances)
            },
            notify: { fanout.post($0) }))
        self.trainings = TrainingJobRunner(.init(
            catalog: catalog, store: store, now: now, provisioningDelay: configuration.provisioningDelay * configuration.timeScale,
            startupDelay: configuration.startupDelay * configuration.timeScale,
            stopGrace: min(120, max(1, 120 * configuration.timeScale)), python: configuration.python, jobsFolder: trainingFolder,
            notify: { fanout.post($0) }))
        self.endpoints = EndpointRuntime(.init(
            catalog: catalog, store: store, now: now, provisioningDelay: configuration.provisioningDelay * configuration.timeScale,
            scaleInSeconds: configuration.scaleInSeconds, region: configuration.region,
            instancesDirectory: configuration.instancesDirectory,
            startModel: { name, placement, instances in
                try Self.startModel(name, catalog: catalog, models: models, extraEnvironment: [:], placement: placement, instances: instances)
            },
            notify: { fanout.post($0) }, deployed: deployed))
    }

    private let fanout: Fanout

    /// Calls `listener` with a one-line message whenever background work ends (a job finished).
    public func onNotification(_ listener: @escaping @Sendable (String) -> Void) { fanout.add(listener) }

    /// Runs jobs, endpoint changes and async requests that a previous process left unfinished,
    /// and starts the workers of in-service async endpoints: one scan.
    public func resumeUnfinishedWork() {
        transforms.resumeOrphans()
        trainings.resumeOrphans()
        endpoints.resume()
    }

    private let orphanScan = Mutex<OrphanScan?>(nil)

    /// Makes this process an owner of background work, for as long as it runs: the interactive
    /// shell, a waiter, a server. At once and then every quarter second, it takes over what dead
    /// processes left (`resumeUnfinishedWork`), so work whose process is killed moves here within
    /// about a second. One-shot commands do not call it: they report the state as it is.
    public func adoptOrphanedWork() {
        let scan = orphanScan.withLock { scan -> OrphanScan in
            if let scan { return scan }
            let created = OrphanScan { [weak self] in self?.resumeUnfinishedWork() }
            scan = created
            return created
        }
        scan.start()
    }

    /// Stops the orphan scan (at shutdown, or when the shell switches workspaces). Work already
    /// taken up runs on until the process ends.
    public func stopAdoptingOrphanedWork() {
        orphanScan.withLock { $0 }?.stop()
    }

    /// Stops the background work this process owns on the workspace: the orphan scan and the
    /// async endpoints' workers. Running transform and training jobs go on to their end, as AWS's do.
    public func shutdown() {
        stopAdoptingOrphanedWork()
        endpoints.stopAllPools()
    }

    /// Whether this process scans for orphaned work.
    public var isAdoptingOrphanedWork: Bool { orphanScan.withLock { $0 }?.isRunning ?? false }

    /// Whether a transform or training job is running in this process.
    public var hasRunningJobs: Bool { transforms.hasRunningJobs || trainings.hasRunningJobs }

    /// `arn:aws:sagemaker:us-east-1:123456789012:model/<name>`; AWS lower-cases the name.
    func arn(_ kind: String, _ name: String) -> String {
        "arn:aws:sagemaker:\(configuration.region):\(configuration.account):\(kind)/\(name.lowercased())"
    }

}

/// Delivers background notifications to whoever listens (the shell's event board).
final class Fanout: Sendable {
    private let listeners = Mutex<[@Sendable (String) -> Void]>([])
    func add(_ listener: @escaping @Sendable (String) -> Void) { listeners.withLock { $0.append(listener) } }
    func post(_ message: String) { for listener in listeners.withLock({ $0 }) { listener(message) } }
}
