import Crypto
import Foundation

/// Application Auto Scaling for SageMaker variants: what lets an async endpoint scale to zero.
public enum AutoScalingOperations {
    public static let all: [any AWSOperation.Type] = [
        RegisterScalableTarget.self, DeregisterScalableTarget.self, DescribeScalableTargets.self,
        PutScalingPolicy.self, DescribeScalingPolicies.self, DeleteScalingPolicy.self,
    ]

    public enum RegisterScalableTarget: AutoScalingOperation {
        public static func run(_ input: RegisterScalableTargetInput, on engine: Engine) throws -> RegisterScalableTargetOutput {
            try input.validation(for: name).check()
            let existing = try engine.catalog.scalableTarget(resourceId: input.resourceId)
            guard let minCapacity = input.minCapacity ?? existing?.minCapacity, let maxCapacity = input.maxCapacity ?? existing?.maxCapacity else {
                throw AWSError(code: "ValidationException", message: "MinCapacity and MaxCapacity are required to register a new scalable target.",
                               operation: name)
            }
            try engine.sagemaker.registerScalableTarget(ScalableTarget(
                serviceNamespace: input.serviceNamespace, resourceId: input.resourceId, scalableDimension: input.scalableDimension,
                minCapacity: minCapacity, maxCapacity: maxCapacity))
            return RegisterScalableTargetOutput(scalableTargetARN: targetARN(engine, resourceId: input.resourceId))
        }
    }

    /// Target tracking on ApproximateBacklogSizePerInstance (InferLab's documented simplification).
    public enum PutScalingPolicy: AutoScalingOperation {
        public static func run(_ input: PutScalingPolicyInput, on engine: Engine) throws -> PutScalingPolicyOutput {
            try input.validation(for: name).check()
            let policyType = input.policyType ?? "TargetTrackingScaling"
            guard let configuration = input.targetTrackingScalingPolicyConfiguration else {
                throw AWSError(code: "ValidationException", message: "InferLab offers TargetTrackingScaling policies: give a TargetTrackingScalingPolicyConfiguration.",
                               operation: name)
            }
            // Putting a policy of the same name again updates it: its ARN and creation time stay.
            let existing = try engine.catalog.scalableTarget(resourceId: input.resourceId)?.policy
            let same = existing?.policyName == input.policyName ? existing : nil
            var policy = ScalableTarget.ScalingPolicy(
                policyName: input.policyName, policyType: policyType, targetValue: configuration.targetValue,
                scaleInCooldown: configuration.scaleInCooldown, scaleOutCooldown: configuration.scaleOutCooldown)
            let id = UUID().uuidString.lowercased()
            policy.policyARN = same?.policyARN
                ?? arn(engine, "scalingPolicy:\(id):resource/\(input.serviceNamespace)/\(input.resourceId):policyName/\(input.policyName)")
            policy.alarms = same?.alarms ?? trackingAlarms(engine, resourceId: input.resourceId)
            policy.creationTime = same?.creationTime ?? Date()
            try engine.sagemaker.putScalingPolicy(resourceId: input.resourceId, policy: policy)
            return PutScalingPolicyOutput(policyARN: policy.policyARN ?? "", alarms: policy.alarms ?? [])
        }

        /// The two CloudWatch alarms AWS makes for a target-tracking policy, named as it names
        /// them (`TargetTracking-<resource>-AlarmHigh-<uuid>` scales out, `…-AlarmLow-…` in).
        /// InferLab keeps no alarms: its scaler reads the backlog directly (see ScalableTarget).
        static func trackingAlarms(_ engine: Engine, resourceId: String) -> [Alarm] {
            ["AlarmHigh", "AlarmLow"].map { kind in
                let name = "TargetTracking-\(resourceId)-\(kind)-\(UUID().uuidString.lowercased())"
                let configuration = engine.sagemaker.configuration
                return Alarm(alarmName: name, alarmARN: "arn:aws:cloudwatch:\(configuration.region):\(configuration.account):alarm:\(name)")
            }
        }
    }

    public enum DescribeScalableTargets: AutoScalingOperation {
        public static func run(_ input: DescribeScalableTargetsInput, on engine: Engine) throws -> DescribeScalableTargetsOutput {
            try input.validation(for: name).check()
            let targets = try engine.catalog.allScalableTargets().filter { target in
                target.serviceNamespace == input.serviceNamespace
                    && (input.resourceIds.map { $0.contains(target.resourceId) } ?? true)
                    && (input.scalableDimension.map { $0 == target.scalableDimension } ?? true)
            }
            return DescribeScalableTargetsOutput(scalableTargets: targets.map {
                ScalableTargetDescription(serviceNamespace: $0.serviceNamespace, resourceId: $0.resourceId, scalableDimension: $0.scalableDimension,
                                          minCapacity: $0.minCapacity, maxCapacity: $0.maxCapacity,
                                          roleARN: "arn:aws:iam::\(engine.sagemaker.configuration.account):role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
                                          creationTime: $0.creationTime ?? Date(timeIntervalSince1970: 0), suspendedState: SuspendedState(dynamicScalingInSuspended: false, dynamicScalingOutSuspended: false,
                                                                                                       scheduledScalingSuspended: false),
                                          scalableTargetARN: targetARN(engine, resourceId: $0.resourceId))
            }, nextToken: nil)
        }
    }

    /// `arn:aws:autoscaling:us-east-1:123456789012:<resource>`, as Application Auto Scaling writes them.
    /// `arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/<id>`, AWS's form;
    /// the id is made from the resource, so registering again answers the same ARN.
    static func targetARN(_ engine: Engine, resourceId: String) -> String {
        let id = Hex.string(Insecure.MD5.hash(data: Data(resourceId.utf8)))
        return "arn:aws:application-autoscaling:\(engine.sagemaker.configuration.region):\(engine.sagemaker.configuration.account):scalable-target/0\(id.prefix(35))"
    }

    static func arn(_ engine: Engine, _ resource: String) -> String {
        "arn:aws:autoscaling:\(engine.sagemaker.configuration.region):\(engine.sagemaker.configuration.account):\(resource)"
    }
}

/// An entry of Application Auto Scaling: the name is the type's.
public protocol AutoScalingOperation: JSONOperation {}

extension AutoScalingOperation {
    public static var service: AWSService { .applicationAutoscaling }
    public static var name: String { String(describing: Self.self) }
}
