import Foundation

// The rest of Application Auto Scaling's calls around a SageMaker variant's target and policy:
// DeregisterScalableTarget, DescribeScalingPolicies, DeleteScalingPolicy (what a lesson's clean-up
// and boto3's paginators call). InferLab keeps one target-tracking policy per target.
extension AutoScalingOperations {
    public enum DeregisterScalableTarget: AutoScalingOperation {
        public static func run(_ input: DeregisterScalableTargetInput, on engine: Engine) throws -> EmptyOutput {
            try input.validation(for: name).check()
            try engine.sagemaker.deregisterScalableTarget(resourceId: input.resourceId, namespace: input.serviceNamespace,
                                                          dimension: input.scalableDimension)
            return EmptyOutput()
        }
    }

    public enum DescribeScalingPolicies: AutoScalingOperation {
        public static func run(_ input: DescribeScalingPoliciesInput, on engine: Engine) throws -> DescribeScalingPoliciesOutput {
            try input.validation(for: name).check()
            let policies = try engine.catalog.allScalableTargets().compactMap { target -> ScalingPolicyDescription? in
                guard let policy = target.policy, target.serviceNamespace == input.serviceNamespace,
                      input.resourceId.map({ $0 == target.resourceId }) ?? true,
                      input.scalableDimension.map({ $0 == target.scalableDimension }) ?? true,
                      input.policyNames.map({ $0.contains(policy.policyName) }) ?? true else { return nil }
                return ScalingPolicyDescription(
                    policyARN: policy.policyARN ?? "", policyName: policy.policyName, serviceNamespace: target.serviceNamespace,
                    resourceId: target.resourceId, scalableDimension: target.scalableDimension, policyType: policy.policyType,
                    targetTrackingScalingPolicyConfiguration: TargetTrackingScalingPolicyConfiguration(
                        targetValue: policy.targetValue, scaleOutCooldown: policy.scaleOutCooldown, scaleInCooldown: policy.scaleInCooldown),
                    alarms: policy.alarms ?? [], creationTime: policy.creationTime ?? Date(timeIntervalSince1970: 0))
            }
            return DescribeScalingPoliciesOutput(scalingPolicies: policies, nextToken: nil)
        }
    }

    public enum DeleteScalingPolicy: AutoScalingOperation {
        public static func run(_ input: DeleteScalingPolicyInput, on engine: Engine) throws -> EmptyOutput {
            try input.validation(for: name).check()
            try engine.sagemaker.deleteScalingPolicy(named: input.policyName, resourceId: input.resourceId,
                                                     namespace: input.serviceNamespace, dimension: input.scalableDimension)
            return EmptyOutput()
        }
    }
}
