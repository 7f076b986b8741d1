import Foundation
import Synchronization

/// A model artifact that could not be turned into a running model, naming the object.
public struct ModelLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Reads `model.tar.gz` artifacts from the object store and starts the algorithm's container.
/// Loaded models are cached by artifact location and ETag, so a re-uploaded artifact reloads.
final class ModelLoader: Sendable {
    private let store: any ObjectStore
    private let cache = Mutex<[String: any InferenceContainer]>([:])
    /// Multiplies the latency a model's `INFERLAB_MODEL_LATENCY_MS` asks for (the kit's time scale).
    private let latencyScale: Double
    /// Starts framework containers' processes; nil where the engine has no instances folder.
    let scripts: ScriptInstances?

    init(store: any ObjectStore, latencyScale: Double = 1, scripts: ScriptInstances? = nil) {
        self.store = store
        self.latencyScale = latencyScale
        self.scripts = scripts
    }

    /// The model running on each of `instances`: for built-in containers alone, one shared
    /// container (they score in the kit, with nothing per instance); with framework containers,
    /// one per instance, each with its own processes, in its folder under `placement`. A
    /// pipeline chains its containers on each instance.
    /// - Throws: `ModelLoadError`; the instances started before the failure are stopped.
    func start(_ plan: ModelPlan, extraEnvironment: [String: String], placement: InstancePlacement?,
               instances: [String]) throws -> StartedModel {
        guard plan.runsScripts else {
            return StartedModel(containers: [try instance(plan, extraEnvironment: extraEnvironment, placement: nil, instance: "")],
                                runsProcesses: false)
        }
        guard let placement, scripts != nil else {
            throw ModelLoadError(message: "a framework container runs on an instance: use it through a transform job or an endpoint")
        }
        let results = Mutex<[Int: Result<any InferenceContainer, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: instances.count) { index in
            let result = Result { try instance(plan, extraEnvironment: extraEnvironment, placement: placement, instance: instances[index]) }
            results.withLock { $0[index] = result }
        }
        let all = results.withLock { $0 }
        var started: [any InferenceContainer] = []
        var failure: (any Error)?
        for index in instances.indices {
            switch all[index] {
            case .success(let container)?: started.append(container)
            case .failure(let error)?: failure = failure ?? error
            case nil: break
            }
        }
        if let failure {
            for container in started { container.stop() }
            throw failure
        }
        return StartedModel(containers: started, runsProcesses: true)
    }

    /// The model's containers on one instance (a pipeline when there are several).
    private func instance(_ plan: ModelPlan, extraEnvironment: [String: String], placement: InstancePlacement?,
                          instance: String) throws -> any InferenceContainer {
        if plan.isPipeline && plan.isDirect {
            throw ModelLoadError(message: "its InferenceExecutionConfig Mode is Direct: each request goes to one container named by TargetContainerHostname, which InferLab does not serve; use Mode Serial (the default) for a pipeline")
        }
        var steps: [(hostname: String, container: any InferenceContainer)] = []
        do {
            for step in plan.containers {
                let environment = (step.definition.environment ?? [:]).merging(extraEnvironment) { $1 }
                switch step.runtime {
                case .builtin(let algorithm):
                    guard let url = step.definition.modelDataUrl else {
                        throw ModelLoadError(message: "the \(step.hostname) container (\(algorithm.rawValue)) has no ModelDataUrl")
                    }
                    steps.append((step.hostname, try container(algorithm: algorithm, artifact: url, environment: environment)))
                case .script(let framework):
                    guard let scripts, let placement else { throw ModelLoadError(message: "no instance to run \(step.hostname) on") }
                    let started = try scripts.start(step, framework: framework, extraEnvironment: extraEnvironment, placement: placement,
                                                    instance: instance, inPipeline: plan.isPipeline)
                    steps.append((step.hostname, try SlowContainer.wrapping(started, environment: environment, scale: latencyScale)))
                }
            }
        } catch {
            for step in steps { step.container.stop() }
            throw error
        }
        return plan.isPipeline ? PipelineContainer(containers: steps) : steps[0].container
    }

    func container(algorithm: BuiltinAlgorithm, artifact url: String, environment: [String: String]) throws -> any InferenceContainer {
        guard let location = S3Location(url) else { throw ModelLoadError(message: "ModelDataUrl \(url) is not an s3:// URI") }
        let info: ObjectInfo
        do {
            info = try store.headObject(bucket: location.bucket, key: location.key)
        } catch {
            throw ModelLoadError(message: "the model artifact \(url) does not exist")
        }
        let cacheKey = "\(algorithm.rawValue) \(url) \(info.etag)"
        if let cached = cache.withLock({ $0[cacheKey] }) { return try SlowContainer.wrapping(cached, environment: environment, scale: latencyScale) }
        let files: [String: Data]
        do {
            files = try ModelArchive.read(try store.readObject(bucket: location.bucket, key: location.key))
        } catch {
            throw ModelLoadError(message: "the model artifact \(url) could not be read: \(ErrorSentence.of(error))")
        }
        let container: any InferenceContainer
        do {
            container = try Self.start(algorithm, files: files)
        } catch let error as ModelLoadError {
            throw ModelLoadError(message: "the model artifact \(url) \(error.message)")
        } catch {
            throw ModelLoadError(message: "the model artifact \(url) holds no loadable \(algorithm.rawValue) model: \(ErrorSentence.of(error))")
        }
        cache.withLock { $0[cacheKey] = container }
        return try SlowContainer.wrapping(container, environment: environment, scale: latencyScale)
    }

    static func start(_ algorithm: BuiltinAlgorithm, files: [String: Data]) throws -> any InferenceContainer {
        switch algorithm {
        case .xgboost:
            // The container loads `xgboost-model`; models saved by hand often keep their extension.
            let preferred = ["xgboost-model", "xgboost-model.json", "xgboost-model.ubj"]
            let name = preferred.first { files[$0] != nil }
                ?? files.keys.sorted().first { $0.hasSuffix(".json") || $0.hasSuffix(".ubj") }
            guard let name, let data = files[name] else {
                throw ModelLoadError(message: "has no xgboost-model file (it holds: \(files.keys.sorted().joined(separator: ", ")))")
            }
            return XGBoostContainer(model: try XGBoostModel.load(data: data))
        case .linearLearner:
            return try LinearLearnerContainer(artifactFiles: files)
        }
    }
}

/// A model started on the instances of a job or an endpoint variant.
struct StartedModel: Sendable {
    /// One container per instance, or one that every instance shares (built-in algorithms,
    /// which score in the kit and hold nothing per instance).
    var containers: [any InferenceContainer]
    /// Whether the containers run processes (framework containers), which must be stopped.
    var runsProcesses: Bool

    /// The container instance `index` (counted from 0) uses.
    func on(_ index: Int) -> any InferenceContainer { containers.count == 1 ? containers[0] : containers[index] }

    func stop() { for container in containers { container.stop() } }
}

extension BuiltinAlgorithm {
    /// The algorithm's container around the files of a model.tar.gz (for a grader's reference models).
    public func container(archive: Data) throws -> any InferenceContainer {
        try ModelLoader.start(self, files: try ModelArchive.read(archive))
    }
}
