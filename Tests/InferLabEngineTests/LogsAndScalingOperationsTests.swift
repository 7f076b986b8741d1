import Foundation
import Testing
@testable import InferLabEngine

/// The CloudWatch Logs and Application Auto Scaling entries the shell's commands (and the next
/// HTTP routes) call.
struct LogsAndScalingOperationsTests {
    let engine: Engine

    init() throws {
        engine = try Engine.inMemory(workspace: Workspace(root: temporaryFolder()))
    }

    @Test func filterLogEventsReadsAGroupInOrderAndPages() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000.25)
        for (offset, (stream, message)) in [("job-a/i-1", "one"), ("job-b/i-1", "two"), ("job-a/i-2", "three")].enumerated() {
            try engine.catalog.appendLog(group: "/aws/sagemaker/TransformJobs", stream: stream, message: message,
                                         at: start.addingTimeInterval(Double(offset)))
        }
        let all = try await engine.call(LogsOperations.FilterLogEvents.self, FilterLogEventsInput(logGroupName: "/aws/sagemaker/TransformJobs"))
        #expect(all.events.map(\.message) == ["one", "two", "three"])
        #expect(all.events.first?.timestamp == 1_800_000_000_250 && all.nextToken == nil)

        let jobA = try await engine.call(LogsOperations.FilterLogEvents.self,
                                         FilterLogEventsInput(logGroupName: "/aws/sagemaker/TransformJobs", logStreamNamePrefix: "job-a", limit: 1))
        #expect(jobA.events.map(\.message) == ["one"] && jobA.nextToken != nil)
        #expect(jobA.searchedLogStreams.map(\.logStreamName) == ["job-a/i-1", "job-a/i-2"])
        let next = try await engine.call(LogsOperations.FilterLogEvents.self, FilterLogEventsInput(
            logGroupName: "/aws/sagemaker/TransformJobs", logStreamNamePrefix: "job-a", nextToken: jobA.nextToken, limit: 1))
        #expect(next.events.map(\.message) == ["three"] && next.nextToken == nil)

        let streams = try await engine.call(LogsOperations.DescribeLogStreams.self,
                                            DescribeLogStreamsInput(logGroupName: "/aws/sagemaker/TransformJobs"))
        #expect(streams.logStreams.map(\.logStreamName) == ["job-a/i-1", "job-a/i-2", "job-b/i-1"])
        #expect(streams.logStreams.first?.storedBytes == 3)
        // A group nothing was written to (a typo) is ResourceNotFoundException, as CloudWatch says it.
        await #expect { try await engine.call(LogsOperations.FilterLogEvents.self, FilterLogEventsInput(logGroupName: "/aws/sagemaker/TransformJob")) }
            throws: { ($0 as? AWSError)?.code == "ResourceNotFoundException" }

        let groups = try await engine.call(LogsOperations.DescribeLogGroups.self, DescribeLogGroupsInput(logGroupNamePrefix: "/aws/sagemaker/"))
        #expect(groups.logGroups.map(\.logGroupName) == ["/aws/sagemaker/TransformJobs"] && groups.logGroups.first?.storedBytes == 11)
        var get = GetLogEventsInput(logGroupName: "/aws/sagemaker/TransformJobs", logStreamName: "job-a/i-1")
        get.startFromHead = true
        let one = try await engine.call(LogsOperations.GetLogEvents.self, get)
        #expect(one.events.map(\.message) == ["one"] && one.nextForwardToken == "f/1")
    }

    /// The generated shapes carry CloudWatch Logs' own constraints, answered in its words: a
    /// pattern or a limit out of range, and the group the kit requires (it offers no identifier).
    @Test func logsRequestsAreCheckedAsCloudWatchChecksThem() async throws {
        try engine.catalog.appendLog(group: "/aws/sagemaker/TransformJobs", stream: "job-a/i-1", message: "one", at: Date())
        func problem(_ input: FilterLogEventsInput) async -> String {
            do { _ = try await engine.call(LogsOperations.FilterLogEvents.self, input); return "" } catch {
                return "\((error as? AWSError)?.code ?? "?"): \((error as? AWSError)?.message ?? "\(error)")"
            }
        }
        let pattern = await problem(FilterLogEventsInput(logGroupName: "/aws/sagemaker/Transform Jobs"))
        #expect(pattern.hasPrefix("InvalidParameterException: 1 validation error detected: Value '/aws/sagemaker/Transform Jobs' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: "), "\(pattern)")
        let limit = await problem(FilterLogEventsInput(logGroupName: "/aws/sagemaker/TransformJobs", limit: 0))
        #expect(limit == "InvalidParameterException: 1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", "\(limit)")
        let missing = await problem(FilterLogEventsInput())
        #expect(missing.contains("Value null at 'logGroupName' failed to satisfy constraint: Member must not be null"), "\(missing)")
        #expect(await problem(FilterLogEventsInput(logGroupName: "/aws/sagemaker/TransformJobs", limit: 10_000)) == "")
    }

    @Test func scalingNeedsARegisteredVariantAndSaysWhatIsMissing() async throws {
        let target = RegisterScalableTargetInput(serviceNamespace: "sagemaker", resourceId: "endpoint/missing/variant/AllTraffic",
                                                 scalableDimension: "sagemaker:variant:DesiredInstanceCount")
        let noCapacity = await #expect(throws: AWSError.self) { try await engine.call(AutoScalingOperations.RegisterScalableTarget.self, target) }
        #expect(noCapacity?.code == "ValidationException" && noCapacity?.message.contains("MinCapacity") == true)
        var withCapacity = target
        (withCapacity.minCapacity, withCapacity.maxCapacity) = (0, 2)
        await #expect(throws: AWSError.self) { try await engine.call(AutoScalingOperations.RegisterScalableTarget.self, withCapacity) }

        let policy = PutScalingPolicyInput(policyName: "backlog", serviceNamespace: "sagemaker", resourceId: target.resourceId,
                                           scalableDimension: target.scalableDimension,
                                           targetTrackingScalingPolicyConfiguration: TargetTrackingScalingPolicyConfiguration(targetValue: 5))
        let unregistered = await #expect(throws: AWSError.self) { try await engine.call(AutoScalingOperations.PutScalingPolicy.self, policy) }
        #expect(unregistered?.code == "ObjectNotFoundException" && unregistered?.operation == "PutScalingPolicy")
        let targets = try await engine.call(AutoScalingOperations.DescribeScalableTargets.self, DescribeScalableTargetsInput(serviceNamespace: "sagemaker"))
        #expect(targets.scalableTargets.isEmpty)
    }
}
