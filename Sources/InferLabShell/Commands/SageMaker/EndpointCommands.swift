import Foundation
import InferLabEngine

/// `aws sagemaker` endpoint-config and endpoint commands.
enum EndpointCommands {
    static var all: [CommandSpec] {
        [createEndpointConfig, describeEndpointConfig, listEndpointConfigs, deleteEndpointConfig,
         createEndpoint, describeEndpoint, listEndpoints, updateEndpoint, deleteEndpoint,
         EndpointWaiters.inService, EndpointWaiters.deleted]
    }

    static let configNames = CompletionSource.dynamic { session, _ in (try? session.engine.catalog.allEndpointConfigs().map(\.name)) ?? [] }
    static let endpointNames = CompletionSource.dynamic { session, _ in (try? session.engine.catalog.allEndpoints().map(\.name)) ?? [] }

    static let createEndpointConfig = AWSCommand.make(
        .sagemaker, "create-endpoint-config", operation: "CreateEndpointConfig", summary: "Describe how to deploy models: variants, instances, async settings",
        discussion: "An AsyncInferenceConfig makes endpoints of this config asynchronous: they take only invoke-endpoint-async. MaxConcurrentInvocationsPerInstance defaults to 2 (AWS chooses a value). Notifications go to the workspace (see `notifications`), not to SNS.",
        notes: ["ProductionVariants": MemberNote("VariantName, ModelName, InstanceType, InitialInstanceCount (one variant is typical)")],
        examples: ["aws sagemaker create-endpoint-config --endpoint-config-name loan-async-config --production-variants VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1 --async-inference-config 'OutputConfig={S3OutputPath=s3://loan-lab/async-output/,S3FailurePath=s3://loan-lab/async-failures/}'"],
        input: CreateEndpointConfigInput.self, output: CreateEndpointConfigOutput.self
    ) { input, invocation in try SageMakerOperations.CreateEndpointConfig.run(input, on: invocation.session.engine) }

    static let describeEndpointConfig = AWSCommand.make(
        .sagemaker, "describe-endpoint-config", operation: "DescribeEndpointConfig", summary: "Show an endpoint configuration",
        notes: ["EndpointConfigName": MemberNote(completion: configNames)],
        input: DescribeEndpointConfigInput.self, output: DescribeEndpointConfigOutput.self
    ) { input, invocation in try SageMakerOperations.DescribeEndpointConfig.run(input, on: invocation.session.engine) }

    static let listEndpointConfigs = AWSCommand.make(
        .sagemaker, "list-endpoint-configs", operation: "ListEndpointConfigs", summary: "List endpoint configurations",
        notes: [:],
        input: ListEndpointConfigsInput.self, output: ListEndpointConfigsOutput.self
    ) { input, invocation in
        let engine = invocation.session.engine
        if AWSCommand.onePage(maxResults: input.maxResults, nextToken: input.nextToken, invocation) { return try SageMakerOperations.ListEndpointConfigs.run(input, on: engine) }
        var all = try AWSCommand.allPages(input, token: \.nextToken, next: \.nextToken, fetch: { try SageMakerOperations.ListEndpointConfigs.run($0, on: engine) }) {
            $0.endpointConfigs += $1.endpointConfigs
        }
        all.nextToken = nil
        return all
    }

    static let deleteEndpointConfig = AWSCommand.make(
        .sagemaker, "delete-endpoint-config", operation: "DeleteEndpointConfig", summary: "Delete an endpoint configuration",
        discussion: "Allowed while an endpoint uses it, as on AWS: the endpoint keeps running.",
        notes: ["EndpointConfigName": MemberNote(completion: configNames)],
        input: DeleteEndpointConfigInput.self, output: EmptyOutput.self
    ) { input, invocation in
        _ = try SageMakerOperations.DeleteEndpointConfig.run(input, on: invocation.session.engine)
        return nil
    }

    static let createEndpoint = AWSCommand.make(
        .sagemaker, "create-endpoint", operation: "CreateEndpoint", summary: "Deploy an endpoint from a configuration",
        discussion: "The endpoint is Creating for INFERLAB_PROVISIONING_SECONDS (default 2, or the lab's time scale; minutes on AWS), then InService, or Failed if its model cannot be loaded. Wait with `aws sagemaker wait endpoint-in-service`.",
        notes: ["EndpointConfigName": MemberNote(completion: configNames)],
        examples: ["aws sagemaker create-endpoint --endpoint-name loan-async --endpoint-config-name loan-async-config"],
        input: CreateEndpointInput.self, output: CreateEndpointOutput.self
    ) { input, invocation in try SageMakerOperations.CreateEndpoint.run(input, on: invocation.session.engine) }

    static let describeEndpoint = AWSCommand.make(
        .sagemaker, "describe-endpoint", operation: "DescribeEndpoint", summary: "Show an endpoint's status and variants",
        notes: ["EndpointName": MemberNote(completion: endpointNames)],
        input: DescribeEndpointInput.self, output: DescribeEndpointOutput.self
    ) { input, invocation in try SageMakerOperations.DescribeEndpoint.run(input, on: invocation.session.engine) }

    static let listEndpoints = AWSCommand.make(
        .sagemaker, "list-endpoints", operation: "ListEndpoints", summary: "List endpoints",
        notes: [:],
        input: ListEndpointsInput.self, output: ListEndpointsOutput.self
    ) { input, invocation in
        let engine = invocation.session.engine
        if AWSCommand.onePage(maxResults: input.maxResults, nextToken: input.nextToken, invocation) { return try SageMakerOperations.ListEndpoints.run(input, on: engine) }
        var all = try AWSCommand.allPages(input, token: \.nextToken, next: \.nextToken, fetch: { try SageMakerOperations.ListEndpoints.run($0, on: engine) }) { $0.endpoints += $1.endpoints }
        all.nextToken = nil
        return all
    }

    static let updateEndpoint = AWSCommand.make(
        .sagemaker, "update-endpoint", operation: "UpdateEndpoint", summary: "Move an endpoint to another configuration",
        discussion: "The endpoint is Updating, keeps serving, then InService on the new configuration.",
        notes: ["EndpointName": MemberNote(completion: endpointNames), "EndpointConfigName": MemberNote(completion: configNames)],
        input: UpdateEndpointInput.self, output: UpdateEndpointOutput.self
    ) { input, invocation in try SageMakerOperations.UpdateEndpoint.run(input, on: invocation.session.engine) }

    static let deleteEndpoint = AWSCommand.make(
        .sagemaker, "delete-endpoint", operation: "DeleteEndpoint", summary: "Delete an endpoint (its model and configuration stay)",
        discussion: "Queued async requests of the endpoint are dropped with it.",
        notes: ["EndpointName": MemberNote(completion: endpointNames)],
        input: DeleteEndpointInput.self, output: EmptyOutput.self
    ) { input, invocation in
        _ = try SageMakerOperations.DeleteEndpoint.run(input, on: invocation.session.engine)
        return nil
    }
}

/// `aws sagemaker wait endpoint-in-service` and `endpoint-deleted`.
enum EndpointWaiters {
    static let inService = CommandSpec(
        ["sagemaker", "wait", "endpoint-in-service"], family: .sagemaker, summary: "Wait until an endpoint is InService",
        discussion: "Fails (exit 255) when the endpoint is Failed or unknown. AWS polls every 30 s; InferLab every 0.1 s, with a live line in the interactive shell. Ctrl-C stops waiting, not the endpoint.",
        options: [OptionSpec("endpoint-name", placeholder: "NAME", help: "the endpoint", isRequired: true, completion: EndpointCommands.endpointNames)]
    ) { invocation in
        let name = invocation.value("endpoint-name")!
        let console = invocation.console
        let showLine = invocation.session.isInteractive && console.style.isDecorated
        defer { if showLine { console.writeError("\r\u{1B}[K") } }
        while true {
            let status: String
            do {
                let endpoint = try SageMakerOperations.DescribeEndpoint.run(DescribeEndpointInput(endpointName: name), on: invocation.session.engine)
                status = endpoint.endpointStatus
                if showLine {
                    let elapsed = String(format: "%.0f s", max(0, Date().timeIntervalSince(endpoint.lastModifiedTime)))
                    console.writeError("\r\(endpoint.endpointName): \(console.style.status(status)) · \(elapsed)\u{1B}[K")
                }
                if status == "Failed" {
                    throw CLIFailure("Waiter EndpointInService failed: Waiter encountered a terminal failure state: For expression \"EndpointStatus\" we matched expected path: \"Failed\"",
                                     hint: endpoint.failureReason, exitCode: ExitCode.generalError)
                }
            } catch let error as AWSError {
                throw CLIFailure("Waiter EndpointInService failed: Waiter encountered a terminal failure state: An error occurred (\(error.code)): \(error.message)",
                                 exitCode: ExitCode.generalError)
            }
            if status == "InService" {
                invocation.session.events.acknowledge("Endpoint \(name): InService")
                return
            }
            do { try await Task.sleep(for: .milliseconds(100)) } catch {
                if showLine { console.writeError("\r\u{1B}[K") }
                console.printError("Stopped waiting; \(name) is still \(status) and goes on in the background (the shell announces when it is InService).")
                throw error
            }
        }
    }

    static let deleted = CommandSpec(
        ["sagemaker", "wait", "endpoint-deleted"], family: .sagemaker, summary: "Wait until an endpoint is gone",
        options: [OptionSpec("endpoint-name", placeholder: "NAME", help: "the endpoint", isRequired: true, completion: EndpointCommands.endpointNames)]
    ) { invocation in
        let name = invocation.value("endpoint-name")!
        // DescribeEndpoint answers ValidationException once the endpoint is gone.
        while (try? SageMakerOperations.DescribeEndpoint.run(DescribeEndpointInput(endpointName: name), on: invocation.session.engine)) != nil {
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
