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

    init(store: any ObjectStore, latencyScale: Double = 1) {
        self.store = store
        self.latencyScale = latencyScale
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

extension BuiltinAlgorithm {
    /// The algorithm's container around the files of a model.tar.gz (for a grader's reference models).
    public func container(archive: Data) throws -> any InferenceContainer {
        try ModelLoader.start(self, files: try ModelArchive.read(archive))
    }
}
