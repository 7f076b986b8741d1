import Foundation
import InferLabEngine

/// What checks look at. Live, it is the engine; in an instructor's verify, it is a submitted
/// bundle's artefacts, with predictions recomputed by the kit's own reference models.
public protocol LabState: Sendable {
    func bucketExists(_ name: String) -> Bool
    /// Keys under a raw prefix.
    func objectKeys(bucket: String, prefix: String) -> [String]
    func objectData(bucket: String, key: String) -> Data?
    /// The images of a model's containers (one, or a pipeline's in order), or nil when there is no such model.
    func modelImages(_ name: String) -> [String]?
    /// DescribeTransformJob's response as JSON.
    func transformJob(_ name: String) -> JSONValue?
    /// DescribeTrainingJob's response as JSON.
    func trainingJob(_ name: String) -> JSONValue?
    /// DescribeEndpoint's response as JSON.
    func endpoint(_ name: String) -> JSONValue?
    func queueStatistics(endpoint: String) -> QueueStatistics?
    /// Commands run successfully, as typed.
    func successfulCommands() -> [String]
    /// Calls the local AWS endpoint answered successfully: `service.Operation client`.
    func successfulAPICalls() -> [String]
    /// The named model's batch predictions for a CSV body.
    func predictions(model: String, csv: Data, contentType: String) throws -> [Double]
}

/// The engine as it is now.
public struct LiveLabState: LabState {
    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    public func bucketExists(_ name: String) -> Bool { engine.store.bucketExists(name) }

    public func objectKeys(bucket: String, prefix: String) -> [String] {
        ((try? engine.store.listAllObjects(bucket: bucket, prefix: prefix)) ?? []).map(\.key)
    }

    public func objectData(bucket: String, key: String) -> Data? { try? engine.store.readObject(bucket: bucket, key: key) }

    public func modelImages(_ name: String) -> [String]? {
        guard let model = try? engine.sagemaker.describeModel(DescribeModelInput(modelName: name)) else { return nil }
        return model.primaryContainer.map { [$0.image ?? ""] } ?? (model.containers ?? []).map { $0.image ?? "" }
    }

    public func transformJob(_ name: String) -> JSONValue? {
        (try? engine.sagemaker.describeTransformJob(DescribeTransformJobInput(transformJobName: name))).flatMap(Self.json)
    }

    public func trainingJob(_ name: String) -> JSONValue? {
        (try? engine.sagemaker.describeTrainingJob(DescribeTrainingJobInput(trainingJobName: name))).flatMap(Self.json)
    }

    public func endpoint(_ name: String) -> JSONValue? {
        (try? engine.sagemaker.describeEndpoint(DescribeEndpointInput(endpointName: name))).flatMap(Self.json)
    }

    public func queueStatistics(endpoint: String) -> QueueStatistics? {
        guard (try? engine.catalog.endpoint(named: endpoint)) ?? nil != nil else { return nil }
        return try? engine.catalog.queueStatistics(endpoint: endpoint)
    }

    public func successfulCommands() -> [String] {
        ((try? engine.catalog.recentEvents(limit: 100_000)) ?? []).filter { $0.kind == "command" && $0.detail == "exit 0" }.map(\.subject)
    }

    public func successfulAPICalls() -> [String] {
        engine.requests.flush()
        return ((try? engine.catalog.recentRequests(limit: 100_000)) ?? []).filter { $0.status < 400 }.map(\.summary)
    }

    public func predictions(model: String, csv: Data, contentType: String) throws -> [Double] {
        let body = try engine.sagemaker.container(forModel: model).invoke(body: csv, contentType: contentType, accept: "text/csv", mode: .batchTransform).body
        return String(decoding: body, as: UTF8.self).split(separator: "\n").compactMap { Double($0) }
    }

    static func json<T: Encodable>(_ value: T) -> JSONValue? {
        (try? AWSCoding.encoder().encode(value)).flatMap { try? JSONValue.parse($0) }
    }
}
