import Foundation
import Synchronization

/// What each endpoint runs, decoded once per deployment: its endpoint config, and each variant's
/// model as loaded when the endpoint came into service.
///
/// On AWS an endpoint loads its model when its instances start, so a model or artifact changed
/// later does not reach a running endpoint; keeping the loaded model per deployment behaves the
/// same way. It is also what keeps an invocation cheap: no JSON decoding of the config and no
/// look at the artifact per request (they were half the cost of a real-time invoke).
/// Limitation: the models live in the process that brought the endpoint into service; another
/// process (the shell started again) loads them at its first invocation, from the artifact as
/// it is then.
final class DeployedEndpoints: Sendable {
    private struct Deployment: Sendable {
        var creationTime: Date
        var lastModifiedTime: Date
        var configDefinition: Data
        var config: CreateEndpointConfigInput
        var containers: [String: any InferenceContainer] = [:]

        func matches(_ endpoint: EndpointRecord) -> Bool {
            creationTime == endpoint.creationTime && lastModifiedTime == endpoint.lastModifiedTime
                && configDefinition == endpoint.configDefinition
        }
    }

    private let deployments = Mutex<[String: Deployment]>([:])

    /// Keeps the models an endpoint loaded as it came into service.
    func remember(_ endpoint: EndpointRecord, containers: [String: any InferenceContainer]) {
        guard var deployment = try? deployment(of: endpoint) else { return }
        deployment.containers = containers
        deployments.withLock { $0[endpoint.name.lowercased()] = deployment }
    }

    /// Drops a deleted endpoint's models.
    func forget(_ name: String) {
        deployments.withLock { $0[name.lowercased()] = nil }
    }

    /// The endpoint's config, decoded once for this deployment of it.
    func config(of endpoint: EndpointRecord) throws -> CreateEndpointConfigInput {
        try deployment(of: endpoint).config
    }

    /// The variant's model for this deployment of the endpoint, loaded on first use.
    func container(of endpoint: EndpointRecord, variant: String, load: () throws -> any InferenceContainer) throws -> any InferenceContainer {
        let key = endpoint.name.lowercased()
        if let cached = deployments.withLock({ $0[key] }), cached.matches(endpoint), let container = cached.containers[variant] {
            return container
        }
        let container = try load()
        _ = try deployment(of: endpoint)
        deployments.withLock { deployments in
            if deployments[key]?.matches(endpoint) == true { deployments[key]?.containers[variant] = container }
        }
        return container
    }

    private func deployment(of endpoint: EndpointRecord) throws -> Deployment {
        let key = endpoint.name.lowercased()
        if let cached = deployments.withLock({ $0[key] }), cached.matches(endpoint) { return cached }
        let config = try AWSCoding.decoder().decode(CreateEndpointConfigInput.self, from: endpoint.configDefinition)
        let deployment = Deployment(creationTime: endpoint.creationTime, lastModifiedTime: endpoint.lastModifiedTime,
                                    configDefinition: endpoint.configDefinition, config: config)
        deployments.withLock { deployments in
            // A request holding an older record must not push out a newer deployment.
            if let cached = deployments[key], cached.lastModifiedTime > endpoint.lastModifiedTime { return }
            deployments[key] = deployment
        }
        return deployment
    }
}
