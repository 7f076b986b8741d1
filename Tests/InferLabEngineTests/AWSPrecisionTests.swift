import Foundation
import Testing
@testable import InferLabEngine

/// Timestamps at AWS's precision, and scalable targets described with AWS's members.
struct AWSPrecisionTests {
    @Test func timestampsAreMillisecondsAsAWSSendsThem() throws {
        let date = Date(timeIntervalSince1970: 1_529_870_369.986_123_4)
        // What the AWS CLI prints for AWS's 1529870369.986: Python's isoformat of the datetime.
        #expect(AWSCoding.cliTimestamp(date) == "2018-06-24T19:59:29.986000+00:00")
        #expect(AWSCoding.cliTimestamp(Date(timeIntervalSince1970: 1_529_870_369)) == "2018-06-24T19:59:29+00:00")
        struct Stamped: Encodable { var creationTime: Date }
        let wire = String(decoding: try AWSWireEncoder.encode(Stamped(creationTime: date)), as: UTF8.self)
        #expect(wire == #"{"CreationTime":1529870369.986}"#)
    }

    /// AWS writes a double member as a double (`"InitialVariantWeight":1.0`), and the AWS CLI
    /// prints the number as it came; members keep the shape's order, maps their keys.
    @Test func doublesStayDoublesAndMembersKeepTheirOrder() throws {
        struct Variant: Encodable {
            var variantName = "AllTraffic"
            var initialVariantWeight = 1.0
            var initialInstanceCount = 1
            var environment = ["B": "2", "A": "1"]
            var serverlessConfig: [String: Int]? = nil
            var tags = [0.5, 2]
        }
        let wire = String(decoding: try AWSWireEncoder.encode(Variant()), as: UTF8.self)
        #expect(wire == #"{"VariantName":"AllTraffic","InitialVariantWeight":1.0,"InitialInstanceCount":1,"Environment":{"A":"1","B":"2"},"Tags":[0.5,2.0]}"#)
        let decoded = try AWSCoding.decoder().decode(DescribeEndpointConfigOutput.self, from: try AWSWireEncoder.encode(
            try AWSCoding.decoder().decode(DescribeEndpointConfigOutput.self, from: Data(#"{"EndpointConfigName":"c","EndpointConfigArn":"arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/c","ProductionVariants":[{"VariantName":"v","ModelName":"m","InitialInstanceCount":1,"InstanceType":"ml.m5.large","InitialVariantWeight":1.0}],"CreationTime":1529870369.986}"#.utf8))))
        #expect(decoded.productionVariants.first?.initialVariantWeight == 1.0)
        #expect(decoded.creationTime == Date(timeIntervalSince1970: 1_529_870_369.986))
    }

    @Test func scalableTargetsCarryRoleCreationTimeAndARN() async throws {
        let engine = try endpointEngine()
        try deploy(engine, "elastic", async: true)
        var input = RegisterScalableTargetInput(serviceNamespace: "sagemaker", resourceId: "endpoint/elastic/variant/AllTraffic",
                                                scalableDimension: "sagemaker:variant:DesiredInstanceCount", minCapacity: 0, maxCapacity: 2)
        let registered = try await engine.call(AutoScalingOperations.RegisterScalableTarget.self, input)
        let first = try await engine.call(AutoScalingOperations.DescribeScalableTargets.self, DescribeScalableTargetsInput(serviceNamespace: "sagemaker"))
        let target = try #require(first.scalableTargets.first)
        #expect(target.roleARN.hasSuffix(":role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"))
        #expect(target.roleARN.hasPrefix("arn:aws:iam::"))
        #expect(target.scalableTargetARN == registered.scalableTargetARN)
        #expect(abs(target.creationTime.timeIntervalSinceNow) < 60)
        input.maxCapacity = 3
        _ = try await engine.call(AutoScalingOperations.RegisterScalableTarget.self, input)
        let again = try await engine.call(AutoScalingOperations.DescribeScalableTargets.self, DescribeScalableTargetsInput(serviceNamespace: "sagemaker"))
        #expect(again.scalableTargets.first?.maxCapacity == 3)
        #expect(again.scalableTargets.first?.creationTime == target.creationTime, "registering again keeps when it was created")
    }
}
