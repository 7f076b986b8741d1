import Foundation
import InferLabEngine

/// `aws sagemaker-runtime invoke-endpoint` and `invoke-endpoint-async`.
enum RuntimeCommands {
    static var all: [CommandSpec] { [invokeEndpoint, invokeEndpointAsync] }

    static let invokeEndpoint = AWSCommand.makeRaw(
        .sagemakerRuntime, "invoke-endpoint", api: AWSModels.operation("sagemaker-runtime", "InvokeEndpoint")!,
        summary: "Send one request to a real-time endpoint",
        discussion: "The response body goes to OUTFILE (`-` for the terminal) and the metadata is printed, as the AWS CLI does. Bodies are limited to 6 MB. A model error comes back as ModelError with the container's message. Async endpoints refuse this call.",
        notes: [
            "EndpointName": MemberNote(completion: EndpointCommands.endpointNames),
            "Body": MemberNote("the request body: fileb://PATH, file://PATH or the text itself", completion: .localPath),
            "ContentType": MemberNote("the body's type", completion: .values(TransformCommands.contentTypes)),
            "Accept": MemberNote("the wanted response type", completion: .values(["text/csv", "application/json", "application/jsonlines"])),
            "TargetVariant": MemberNote("send to this variant instead of by weight"),
        ],
        arguments: [ArgumentSpec("OUTFILE", help: "where the response body is written, or - for standard output", completion: .localPath)],
        examples: ["aws sagemaker-runtime invoke-endpoint --endpoint-name loan-realtime --body fileb://datasets/loans/data.csv --content-type text/csv predictions.csv"]
    ) { json, invocation in
        let request = APIRequest(json: json)
        let body = try readBlob(request.required("Body"), paths: invocation.session.localPaths, spec: invocation.spec)
        var input = InvokeEndpointInput(endpointName: request.required("EndpointName"), body: body,
                                        contentType: request.string("ContentType"), accept: request.string("Accept"))
        input.targetVariant = request.string("TargetVariant")
        let output = try RuntimeOperations.InvokeEndpoint.run(input, on: invocation.session.engine)
        let destination = invocation.arguments[0]
        if destination == "-" {
            invocation.console.write(String(decoding: output.body, as: UTF8.self))
        } else {
            let url = invocation.localURL(destination, for: .writing)
            do { try output.body.write(to: url, options: .atomic) } catch {
                throw CLIFailure("cannot write the response to \(destination): the folder \(url.deletingLastPathComponent().path) does not exist or is not writable",
                                 hint: "make the folder first, or give another OUTFILE (- prints the body)", exitCode: ExitCode.generalError)
            }
        }
        return .object([("ContentType", .string(output.contentType)), ("InvokedProductionVariant", .string(output.invokedProductionVariant))])
    }

    static let invokeEndpointAsync = AWSCommand.make(
        .sagemakerRuntime, "invoke-endpoint-async", operation: "InvokeEndpointAsync", summary: "Queue a request for an async endpoint",
        discussion: """
        The input must already be in S3. The request is stored durably and answered at once with its \
        InferenceId and where the result will appear: <S3OutputPath>/<uuid>.out, or <S3FailurePath>/<uuid>-error.out \
        holding the error. Poll with `aws s3api wait object-exists` or `aws s3 ls`. Whether AWS checks the input \
        exists at call time is not documented; InferLab checks it when the request is processed, as the \
        RequestDownloadFailures metric suggests.
        """,
        notes: [
            "EndpointName": MemberNote(completion: EndpointCommands.endpointNames),
            "ContentType": MemberNote(completion: .values(TransformCommands.contentTypes)),
            "InputLocation": MemberNote("s3:// location of the request body", completion: .s3Path),
            "RequestTTLSeconds": MemberNote("60–21600, default 21600"),
            "InvocationTimeoutSeconds": MemberNote("1–3600, default 900"),
        ],
        examples: ["aws sagemaker-runtime invoke-endpoint-async --endpoint-name loan-async --input-location s3://loan-lab/async-input/request-1.csv --content-type text/csv"],
        input: InvokeEndpointAsyncInput.self, output: InvokeEndpointAsyncOutput.self
    ) { input, invocation in try RuntimeOperations.InvokeEndpointAsync.run(input, on: invocation.session.engine) }

    /// A blob parameter: `fileb://` and `file://` read a file; anything else is the text itself.
    static func readBlob(_ text: String, paths: LocalPaths, spec: CommandSpec) throws -> Data {
        for prefix in ["fileb://", "file://"] where text.hasPrefix(prefix) {
            let path = String(text.dropFirst(prefix.count))
            guard let data = FileManager.default.contents(atPath: paths.url(path, for: .reading).path) else {
                throw CLIFailure("Error parsing parameter '--body': Unable to load paramfile \(text): [Errno 2] No such file or directory: '\(path)'",
                                 exitCode: ExitCode.usage)
            }
            return data
        }
        return Data(text.utf8)
    }
}

/// `aws application-autoscaling` for async endpoints, and the kit's metrics and notifications.
enum ScalingCommands {
    static var all: [CommandSpec] {
        [registerScalableTarget, putScalingPolicy, describeScalableTargets, deregisterScalableTarget, describeScalingPolicies, deleteScalingPolicy,
         metrics, DrainWaiter.waitDrained, notifications]
    }

    static let registerScalableTarget = AWSCommand.make(
        .applicationAutoscaling, "register-scalable-target", operation: "RegisterScalableTarget",
        summary: "Let a variant's instance count scale (MinCapacity 0 allows scale to zero)",
        discussion: "InferLab's documented simplification: see `help application-autoscaling put-scaling-policy`.",
        notes: [
            "ResourceId": MemberNote("endpoint/<name>/variant/<variant>", placeholder: "ID"),
            "MinCapacity": MemberNote("fewest instances (0 lets an async endpoint scale to zero)"),
            "MaxCapacity": MemberNote("most instances"),
        ],
        examples: ["aws application-autoscaling register-scalable-target --service-namespace sagemaker --resource-id endpoint/loan-async/variant/AllTraffic --scalable-dimension sagemaker:variant:DesiredInstanceCount --min-capacity 0 --max-capacity 2"],
        input: RegisterScalableTargetInput.self, output: RegisterScalableTargetOutput.self
    ) { input, invocation in try AutoScalingOperations.RegisterScalableTarget.run(input, on: invocation.session.engine) }

    static let putScalingPolicy = AWSCommand.make(
        .applicationAutoscaling, "put-scaling-policy", operation: "PutScalingPolicy",
        summary: "Scale a variant on its backlog (target tracking on ApproximateBacklogSizePerInstance)",
        discussion: """
        A documented simplification of AWS: the policy tracks ApproximateBacklogSizePerInstance toward TargetValue \
        (adding an instance when the backlog per instance is above it); a variant at 0 instances scales out as soon \
        as a backlog appears (AWS needs a step policy on a HasBacklogWithoutCapacity alarm for that); an idle variant \
        scales in to MinCapacity after ScaleInCooldown seconds (or INFERLAB_SCALE_IN_SECONDS). New instances take \
        the provisioning delay to start.
        """,
        notes: ["ResourceId": MemberNote("endpoint/<name>/variant/<variant>", placeholder: "ID")],
        input: PutScalingPolicyInput.self, output: PutScalingPolicyOutput.self
    ) { input, invocation in try AutoScalingOperations.PutScalingPolicy.run(input, on: invocation.session.engine) }

    static let describeScalableTargets = AWSCommand.make(
        .applicationAutoscaling, "describe-scalable-targets", operation: "DescribeScalableTargets", summary: "List registered scalable targets",
        input: DescribeScalableTargetsInput.self, output: DescribeScalableTargetsOutput.self
    ) { input, invocation in try AutoScalingOperations.DescribeScalableTargets.run(input, on: invocation.session.engine) }

    static let deregisterScalableTarget = AWSCommand.make(
        .applicationAutoscaling, "deregister-scalable-target", operation: "DeregisterScalableTarget",
        summary: "Stop scaling a variant (its scaling policies go with it)",
        input: DeregisterScalableTargetInput.self, output: EmptyOutput.self
    ) { input, invocation in
        _ = try AutoScalingOperations.DeregisterScalableTarget.run(input, on: invocation.session.engine)
        return nil
    }

    static let describeScalingPolicies = AWSCommand.make(
        .applicationAutoscaling, "describe-scaling-policies", operation: "DescribeScalingPolicies", summary: "List scaling policies",
        input: DescribeScalingPoliciesInput.self, output: DescribeScalingPoliciesOutput.self
    ) { input, invocation in try AutoScalingOperations.DescribeScalingPolicies.run(input, on: invocation.session.engine) }

    static let deleteScalingPolicy = AWSCommand.make(
        .applicationAutoscaling, "delete-scaling-policy", operation: "DeleteScalingPolicy", summary: "Delete a scaling policy",
        input: DeleteScalingPolicyInput.self, output: EmptyOutput.self
    ) { input, invocation in
        _ = try AutoScalingOperations.DeleteScalingPolicy.run(input, on: invocation.session.engine)
        return nil
    }

    static let metrics = CommandSpec(
        ["endpoint", "metrics"], family: .kit, summary: "Show an async endpoint's queue metrics (CloudWatch's names; not an AWS command)",
        discussion: "ApproximateBacklogSize (queued + in progress), ApproximateBacklogSizePerInstance, ApproximateAgeOfOldestRequest (s), HasBacklogWithoutCapacity, as AWS/SageMaker publishes them. On AWS: `aws cloudwatch get-metric-statistics --namespace AWS/SageMaker …`.",
        arguments: [ArgumentSpec("ENDPOINT", help: "the endpoint", completion: EndpointCommands.endpointNames)],
        options: [OptionSpec("output", placeholder: "FORMAT", help: "json for the raw figures", completion: .values(["json"]))]
    ) { invocation in
        let metrics = try invocation.session.engine.sagemaker.asyncMetrics(endpointName: invocation.arguments[0])
        if invocation.value("output") == "json" {
            invocation.console.print(JSONValue(reflecting: metrics).rendered())
            return
        }
        let rows: [(String, String)] = [
            ("ApproximateBacklogSize", String(metrics.approximateBacklogSize)),
            ("ApproximateBacklogSizePerInstance", String(format: "%.2f", metrics.approximateBacklogSizePerInstance)),
            ("ApproximateAgeOfOldestRequest", String(format: "%.1f s", metrics.approximateAgeOfOldestRequest)),
            ("HasBacklogWithoutCapacity", String(metrics.hasBacklogWithoutCapacity)),
            ("Instances", String(metrics.currentInstanceCount)),
            ("InvocationsProcesssed", String(metrics.invocationsProcessed)),
            ("InvocationFailures", String(metrics.invocationFailures)),
        ]
        for (name, value) in rows { invocation.console.print(name.padding(to: 36) + value) }
    }

    static let notifications = CommandSpec(
        ["notifications"], family: .kit, summary: "Show the async success/error notifications (what SNS would deliver; not an AWS command)",
        arguments: [ArgumentSpec("ENDPOINT", help: "only this endpoint's", isOptional: true, completion: EndpointCommands.endpointNames)]
    ) { invocation in
        for note in try invocation.session.engine.catalog.notifications(endpoint: invocation.argument(0)) {
            invocation.console.print("\(invocation.console.style.dim(note.topic)) \(note.message)")
        }
    }
}

/// `aws s3api wait object-exists`: how clients poll for an async result.
enum S3Waiters {
    static let objectExists = CommandSpec(
        ["s3api", "wait", "object-exists"], family: .s3api, summary: "Wait until an object exists",
        discussion: "AWS polls HeadObject every 5 s, 20 times; InferLab polls every 0.05 s for up to 100 s. Fails with exit 255 when time runs out.",
        options: [S3APICommands.bucket, S3APICommands.key]
    ) { invocation in
        let input = HeadObjectInput(bucket: invocation.value("bucket")!, key: invocation.value("key")!)
        let deadline = Date().addingTimeInterval(100)
        while Date() < deadline {
            if (try? S3Operations.HeadObject.run(input, on: invocation.session.engine)) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLIFailure("Waiter ObjectExists failed: Max attempts exceeded", exitCode: ExitCode.generalError)
    }
}

/// `endpoint wait-drained`: wait until an async endpoint has no queued or running requests.
enum DrainWaiter {
    static let waitDrained = CommandSpec(
        ["endpoint", "wait-drained"], family: .kit, summary: "Wait until an async endpoint's queue is empty (not an AWS command)",
        discussion: "On AWS you would watch ApproximateBacklogSize in CloudWatch or poll the output locations.",
        arguments: [ArgumentSpec("ENDPOINT", help: "the endpoint", completion: EndpointCommands.endpointNames)]
    ) { invocation in
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            let metrics = try invocation.session.engine.sagemaker.asyncMetrics(endpointName: invocation.arguments[0])
            if metrics.approximateBacklogSize == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLIFailure("the queue of \(invocation.arguments[0]) did not drain within 10 minutes", exitCode: ExitCode.generalError)
    }
}
