import Foundation
import Testing
@testable import InferLabEngine

/// DescribeScalingPolicies, DeleteScalingPolicy and DeregisterScalableTarget on a real async
/// endpoint: what PutScalingPolicy answered is what Describe shows; deleting and deregistering
/// remove what they name and say ObjectNotFoundException for what is not there.
@Suite(.serialized)
struct ScalingLifecycleTests {
    let resource = "endpoint/elastic/variant/AllTraffic"
    let dimension = "sagemaker:variant:DesiredInstanceCount"

    @Test func aPolicyIsDescribedUpdatedDeletedAndItsTargetDeregistered() async throws {
        var configuration = SageMakerService.Configuration()
        (configuration.provisioningDelay, configuration.startupDelay) = (0.05, 0)
        let base = try endpointEngine()
        let engine = Engine(workspace: base.workspace, store: base.store, catalog: base.catalog, configuration: configuration)
        try deploy(engine, "elastic", async: true)
        _ = try await engine.call(AutoScalingOperations.RegisterScalableTarget.self, RegisterScalableTargetInput(
            serviceNamespace: "sagemaker", resourceId: resource, scalableDimension: dimension, minCapacity: 0, maxCapacity: 2))
        let policy = PutScalingPolicyInput(policyName: "backlog", serviceNamespace: "sagemaker", resourceId: resource, scalableDimension: dimension,
                                           policyType: "TargetTrackingScaling",
                                           targetTrackingScalingPolicyConfiguration: TargetTrackingScalingPolicyConfiguration(targetValue: 5, scaleInCooldown: 120))
        let put = try await engine.call(AutoScalingOperations.PutScalingPolicy.self, policy)
        var updated = policy
        updated.targetTrackingScalingPolicyConfiguration?.targetValue = 3
        let again = try await engine.call(AutoScalingOperations.PutScalingPolicy.self, updated)
        #expect(again.policyARN == put.policyARN && again.alarms == put.alarms, "an update keeps the policy's ARN and alarms")

        let described = try await engine.call(AutoScalingOperations.DescribeScalingPolicies.self, DescribeScalingPoliciesInput(serviceNamespace: "sagemaker"))
        let only = try #require(described.scalingPolicies.first)
        #expect(described.scalingPolicies.count == 1 && only.policyARN == put.policyARN && only.policyName == "backlog")
        #expect(only.targetTrackingScalingPolicyConfiguration.targetValue == 3 && only.targetTrackingScalingPolicyConfiguration.scaleInCooldown == 120)
        #expect(only.alarms.count == 2 && only.resourceId == resource)
        let byName = try await engine.call(AutoScalingOperations.DescribeScalingPolicies.self,
                                           DescribeScalingPoliciesInput(policyNames: ["other"], serviceNamespace: "sagemaker"))
        #expect(byName.scalingPolicies.isEmpty)

        let wrongName = DeleteScalingPolicyInput(policyName: "other", serviceNamespace: "sagemaker", resourceId: resource, scalableDimension: dimension)
        let missing = await #expect(throws: AWSError.self) { try await engine.call(AutoScalingOperations.DeleteScalingPolicy.self, wrongName) }
        #expect(missing?.code == "ObjectNotFoundException" && missing?.message.contains("policy name: other") == true)
        _ = try await engine.call(AutoScalingOperations.DeleteScalingPolicy.self,
                                  DeleteScalingPolicyInput(policyName: "backlog", serviceNamespace: "sagemaker", resourceId: resource, scalableDimension: dimension))
        let none = try await engine.call(AutoScalingOperations.DescribeScalingPolicies.self, DescribeScalingPoliciesInput(serviceNamespace: "sagemaker"))
        #expect(none.scalingPolicies.isEmpty)

        let target = DeregisterScalableTargetInput(serviceNamespace: "sagemaker", resourceId: resource, scalableDimension: dimension)
        _ = try await engine.call(AutoScalingOperations.DeregisterScalableTarget.self, target)
        let targets = try await engine.call(AutoScalingOperations.DescribeScalableTargets.self, DescribeScalableTargetsInput(serviceNamespace: "sagemaker"))
        #expect(targets.scalableTargets.isEmpty)
        let twice = await #expect(throws: AWSError.self) { try await engine.call(AutoScalingOperations.DeregisterScalableTarget.self, target) }
        #expect(twice?.code == "ObjectNotFoundException" && twice?.operation == "DeregisterScalableTarget")
        engine.shutdown()
    }
}
