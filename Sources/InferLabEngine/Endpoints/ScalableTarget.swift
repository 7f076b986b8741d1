import Foundation

/// A variant registered with Application Auto Scaling, and its target-tracking policy.
///
/// A documented simplification of AWS: the only metric is ApproximateBacklogSizePerInstance,
/// scale-out from zero happens as soon as a backlog appears (AWS needs a CloudWatch alarm on
/// HasBacklogWithoutCapacity for that), and scale-in to MinCapacity happens after the endpoint has
/// been idle for the policy's ScaleInCooldown (AWS default 300 s; `INFERLAB_SCALE_IN_SECONDS`
/// overrides it in class). New instances take the provisioning delay to start.
public struct ScalableTarget: Codable, Sendable, Equatable {
    public var serviceNamespace: String
    public var resourceId: String
    public var scalableDimension: String
    public var minCapacity: Int
    public var maxCapacity: Int
    public var policy: ScalingPolicy?
    /// When it was first registered (kept by later registrations, as AWS does). Absent in
    /// catalogs written before it was recorded.
    public var creationTime: Date?

    public struct ScalingPolicy: Codable, Sendable, Equatable {
        public var policyName: String
        public var policyType: String
        public var targetValue: Double
        public var scaleInCooldown: Int?
        public var scaleOutCooldown: Int?
        /// What PutScalingPolicy answered, for DescribeScalingPolicies (absent in catalogs written
        /// before they were kept).
        public var policyARN: String?
        public var alarms: [Alarm]?
        public var creationTime: Date?

        public init(policyName: String, policyType: String, targetValue: Double, scaleInCooldown: Int?, scaleOutCooldown: Int?) {
            self.policyName = policyName
            self.policyType = policyType
            self.targetValue = targetValue
            self.scaleInCooldown = scaleInCooldown
            self.scaleOutCooldown = scaleOutCooldown
        }
    }

    public init(serviceNamespace: String, resourceId: String, scalableDimension: String, minCapacity: Int, maxCapacity: Int) {
        self.serviceNamespace = serviceNamespace
        self.resourceId = resourceId
        self.scalableDimension = scalableDimension
        self.minCapacity = minCapacity
        self.maxCapacity = maxCapacity
    }

    /// `endpoint/<name>/variant/<variant>`
    public var endpointAndVariant: (endpoint: String, variant: String)? {
        let parts = resourceId.split(separator: "/").map(String.init)
        guard parts.count == 4, parts[0] == "endpoint", parts[2] == "variant" else { return nil }
        return (parts[1], parts[3])
    }
}

/// The CloudWatch metrics of an async endpoint's queue, named as AWS names them.
public struct AsyncEndpointMetrics: Codable, Sendable, Equatable {
    public var endpointName: String
    public var approximateBacklogSize: Int
    public var approximateBacklogSizePerInstance: Double
    public var approximateAgeOfOldestRequest: Double
    public var hasBacklogWithoutCapacity: Int
    public var currentInstanceCount: Int
    public var invocationsProcessed: Int
    public var invocationFailures: Int
}
