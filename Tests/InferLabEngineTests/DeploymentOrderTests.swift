import Foundation
import Testing
@testable import InferLabEngine

/// An endpoint's loaded models are in place before it shows InService: the invocation right after
/// uses them and never loads the artifact again (which a flaky test once caught doing).
struct DeploymentOrderTests {
    @Test func theModelsAreKeptBeforeTheEndpointIsInService() throws {
        for round in 0..<20 {
            let engine = try endpointEngine()
            try deploy(engine, "rt\(round)", async: false)
            let endpoint = try #require(try engine.catalog.endpoint(named: "rt\(round)"))
            var loaded = false
            _ = try engine.sagemaker.deployed.container(of: endpoint, variant: "AllTraffic") {
                loaded = true
                return try engine.sagemaker.container(forModel: "loan-xgb")
            }
            #expect(!loaded, "round \(round): the endpoint was InService before its models were kept")
        }
    }
}
