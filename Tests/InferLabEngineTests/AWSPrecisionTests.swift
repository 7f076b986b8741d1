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
        let wire = String(decoding: try AWSCoding.encoder(millisecondDates: true).encode(Stamped(creationTime: date)), as: UTF8.self)
        #expect(wire == #"{"CreationTime":1529870369.986}"#)
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
