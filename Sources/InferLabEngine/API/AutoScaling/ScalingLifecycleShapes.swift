import Foundation

// Application Auto Scaling's DeregisterScalableTarget, DescribeScalingPolicies and
// DeleteScalingPolicy shapes, member for member (PascalCase on the wire, as AWSCoding writes).

public struct DeregisterScalableTargetInput: Codable, Sendable, Equatable {
    public var serviceNamespace: String
    public var resourceId: String
    public var scalableDimension: String
}

public struct DescribeScalingPoliciesInput: Codable, Sendable, Equatable {
    public var policyNames: [String]?
    public var serviceNamespace: String
    public var resourceId: String?
    public var scalableDimension: String?
    public var maxResults: Int?
    public var nextToken: String?
}

public struct ScalingPolicyDescription: Codable, Sendable, Equatable {
    public var policyARN: String
    public var policyName: String
    public var serviceNamespace: String
    public var resourceId: String
    public var scalableDimension: String
    public var policyType: String
    public var targetTrackingScalingPolicyConfiguration: TargetTrackingScalingPolicyConfiguration
    public var alarms: [Alarm]
    public var creationTime: Date
}

public struct DescribeScalingPoliciesOutput: Codable, Sendable, Equatable {
    public var scalingPolicies: [ScalingPolicyDescription]
    public var nextToken: String?
}

public struct DeleteScalingPolicyInput: Codable, Sendable, Equatable {
    public var policyName: String
    public var serviceNamespace: String
    public var resourceId: String
    public var scalableDimension: String
}
