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

    /// Keeps the models an endpoint loaded as it came into service. The previous deployment's
    /// models stop (their processes end): its instances are replaced.
    func remember(_ endpoint: EndpointRecord, containers: [String: any InferenceContainer]) {
        guard var deployment = try? deployment(of: endpoint) else {
            for container in containers.values { container.stop() }
            return
        }
        deployment.containers = containers
        let previous = deployments.withLock { deployments in
            defer { deployments[endpoint.name.lowercased()] = deployment }
            return deployments[endpoint.name.lowercased()]
        }
        Self.stop(previous)
    }

    /// Drops a deleted endpoint's models, and stops them.
    func forget(_ name: String) {
        let previous = deployments.withLock { $0.removeValue(forKey: name.lowercased()) }
        Self.stop(previous)
    }

    /// Stops a deployment's models. Built-in containers are shared (cached) and hold nothing to
    /// stop; those that run processes belong to one deployment.
    private static func stop(_ deployment: Deployment?) {
        for container in deployment?.containers.values.map({ $0 }) ?? [] { container.stop() }
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
        let kept = deployments.withLock { deployments -> Bool in
            guard deployments[key]?.matches(endpoint) == true else { return false }
            if deployments[key]?.containers[variant] != nil { return false }  // another request loaded it first
            deployments[key]?.containers[variant] = container
            return true
        }
        if !kept, let cached = deployments.withLock({ $0[key] }), cached.matches(endpoint), let first = cached.containers[variant] {
            container.stop()  // another request loaded the variant first: its instances serve
            return first
        }
        return container
    }

    private func deployment(of endpoint: EndpointRecord) throws -> Deployment {
        let key = endpoint.name.lowercased()
        if let cached = deployments.withLock({ $0[key] }), cached.matches(endpoint) { return cached }
        let config = try AWSCoding.decoder().decode(CreateEndpointConfigInput.self, from: endpoint.configDefinition)
        let deployment = Deployment(creationTime: endpoint.creationTime, lastModifiedTime: endpoint.lastModifiedTime,
                                    configDefinition: endpoint.configDefinition, config: config)
        let replaced = deployments.withLock { deployments -> Deployment? in
            // A request holding an older record must not push out a newer deployment.
            if let cached = deployments[key], cached.lastModifiedTime > endpoint.lastModifiedTime { return nil }
            defer { deployments[key] = deployment }
            return deployments[key]
        }
        Self.stop(replaced)
        return deployment
    }
}
