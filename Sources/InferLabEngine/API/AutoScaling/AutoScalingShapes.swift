import Foundation

// Application Auto Scaling's RegisterScalableTarget, PutScalingPolicy and
// DescribeScalableTargets, for SageMaker variants (PascalCase on the wire, as AWSCoding writes).

public struct RegisterScalableTargetInput: Codable, Sendable, Equatable {
    public var serviceNamespace: String
    public var resourceId: String
    public var scalableDimension: String
    /// Required for a new target; an update may leave either out to keep it.
    public var minCapacity: Int?
    public var maxCapacity: Int?
    public init(serviceNamespace: String, resourceId: String, scalableDimension: String, minCapacity: Int? = nil, maxCapacity: Int? = nil) {
        (self.serviceNamespace, self.resourceId, self.scalableDimension) = (serviceNamespace, resourceId, scalableDimension)
        (self.minCapacity, self.maxCapacity) = (minCapacity, maxCapacity)
    }
}

public struct RegisterScalableTargetOutput: Codable, Sendable, Equatable {
    public var scalableTargetARN: String
}

public struct MetricDimension: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
}

public struct CustomizedMetricSpecification: Codable, Sendable, Equatable {
    public var metricName: String?
    public var namespace: String?
    public var dimensions: [MetricDimension]?
    public var statistic: String?
    public var unit: String?
}

public struct TargetTrackingScalingPolicyConfiguration: Codable, Sendable, Equatable {
    public var targetValue: Double
    public var customizedMetricSpecification: CustomizedMetricSpecification?
    public var scaleOutCooldown: Int?
    public var scaleInCooldown: Int?
    public var disableScaleIn: Bool?
    public init(targetValue: Double, scaleOutCooldown: Int? = nil, scaleInCooldown: Int? = nil) {
        (self.targetValue, self.scaleOutCooldown, self.scaleInCooldown) = (targetValue, scaleOutCooldown, scaleInCooldown)
    }
}

public struct PutScalingPolicyInput: Codable, Sendable, Equatable {
    public var policyName: String
    public var serviceNamespace: String
    public var resourceId: String
    public var scalableDimension: String
    public var policyType: String?
    public var targetTrackingScalingPolicyConfiguration: TargetTrackingScalingPolicyConfiguration?
    public init(policyName: String, serviceNamespace: String, resourceId: String, scalableDimension: String, policyType: String? = nil,
                targetTrackingScalingPolicyConfiguration: TargetTrackingScalingPolicyConfiguration? = nil) {
        (self.policyName, self.serviceNamespace, self.resourceId, self.scalableDimension) = (policyName, serviceNamespace, resourceId, scalableDimension)
        (self.policyType, self.targetTrackingScalingPolicyConfiguration) = (policyType, targetTrackingScalingPolicyConfiguration)
    }
}

public struct Alarm: Codable, Sendable, Equatable {
    public var alarmName: String
    public var alarmARN: String
}

public struct PutScalingPolicyOutput: Codable, Sendable, Equatable {
    public var policyARN: String
    public var alarms: [Alarm]
}

public struct DescribeScalableTargetsInput: Codable, Sendable, Equatable {
    public var serviceNamespace: String
    public var resourceIds: [String]?
    public var scalableDimension: String?
    public init(serviceNamespace: String, resourceIds: [String]? = nil, scalableDimension: String? = nil) {
        (self.serviceNamespace, self.resourceIds, self.scalableDimension) = (serviceNamespace, resourceIds, scalableDimension)
    }
}

/// A registered target, as DescribeScalableTargets reports it (AWS's `ScalableTarget` shape).
public struct ScalableTargetDescription: Codable, Sendable, Equatable {
    public var serviceNamespace: String
    public var resourceId: String
    public var scalableDimension: String
    public var minCapacity: Int
    public var maxCapacity: Int
    /// The service-linked role Application Auto Scaling uses for SageMaker variants.
    public var roleARN: String
    public var creationTime: Date
    public var suspendedState: SuspendedState
    public var scalableTargetARN: String
}

/// Whether scaling is suspended; InferLab never suspends it.
public struct SuspendedState: Codable, Sendable, Equatable {
    public var dynamicScalingInSuspended = false
    public var dynamicScalingOutSuspended = false
    public var scheduledScalingSuspended = false
}

public struct DescribeScalableTargetsOutput: Codable, Sendable, Equatable {
    public var scalableTargets: [ScalableTargetDescription]
    public var nextToken: String?
}
