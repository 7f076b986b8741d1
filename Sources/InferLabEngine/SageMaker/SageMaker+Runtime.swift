import Foundation

extension SageMakerService {
    /// The most a real-time request body may carry: 6 MB.
    public static let realTimePayloadLimit = 6_291_456

    /// InvokeEndpoint: one synchronous request to a real-time endpoint.
    public func invokeEndpoint(_ input: InvokeEndpointInput) throws -> InvokeEndpointOutput {
        let operation = "InvokeEndpoint"
        guard let endpoint = try catalog.endpoint(named: input.endpointName), endpoint.name == input.endpointName,
              endpoint.status == "InService" || endpoint.status == "Updating" else {
            throw AWSError(code: "ValidationError", message: "Endpoint \(input.endpointName) of account \(configuration.account) not found.",
                           operation: operation, hint: "an endpoint takes requests once InService: `aws sagemaker describe-endpoint --endpoint-name \(input.endpointName)`")
        }
        let config = try deployed.config(of: endpoint)
        if config.asyncInferenceConfig != nil {
            throw AWSError(code: "ValidationError", message: "Endpoint \(endpoint.name) is an asynchronous endpoint: it accepts only InvokeEndpointAsync.",
                           operation: operation, hint: "use `aws sagemaker-runtime invoke-endpoint-async` with an --input-location in S3")
        }
        guard input.body.count <= Self.realTimePayloadLimit else {
            throw AWSError(code: "413", message: "HTTP content length exceeded \(Self.realTimePayloadLimit) bytes.", operation: operation, httpStatus: 413,
                           hint: "real-time requests carry at most 6 MB; use batch transform or async inference for larger payloads")
        }
        let variant = try chooseVariant(config.productionVariants, target: input.targetVariant, endpoint: endpoint.name, operation: operation)
        let model = try deployed.container(of: endpoint, variant: variant.variantName) {
            try endpoints.startVariant(endpoint.name, variant)
        }
        do {
            // SageMaker waits 60 s for a real-time response.
            let response = try model.invoke(body: input.body, contentType: input.contentType, accept: input.accept, mode: .endpoint,
                                            timeout: .seconds(60))
            return InvokeEndpointOutput(body: response.body, contentType: response.contentType, invokedProductionVariant: variant.variantName)
        } catch let error as ContainerError {
            let kind = (400..<500).contains(error.status) ? "client" : "server"  // a timeout (0) is a server error
            throw AWSError(code: "ModelError", message: "Received \(kind) error (\(error.status)) from \(error.origin ?? "primary") with message \"\(VisibleText.escaped(error.message))\". See https://\(configuration.region).console.aws.amazon.com/cloudwatch/home?region=\(configuration.region)#logEventViewer:group=/aws/sagemaker/Endpoints/\(endpoint.name) in account \(configuration.account) for more information.",
                           operation: operation, httpStatus: 424)
        }
    }

    /// Weighted choice of a variant, or the TargetVariant.
    private func chooseVariant(_ variants: [ProductionVariant], target: String?, endpoint: String, operation: String) throws -> ProductionVariant {
        if let target {
            guard let variant = variants.first(where: { $0.variantName == target }) else {
                throw AWSError(code: "ValidationError", message: "Variant \(target) not found for endpoint \(endpoint).", operation: operation)
            }
            return variant
        }
        let total = variants.reduce(0) { $0 + ($1.initialVariantWeight ?? 1) }
        var pick = Double.random(in: 0..<max(total, .leastNonzeroMagnitude))
        for variant in variants {
            pick -= variant.initialVariantWeight ?? 1
            if pick < 0 { return variant }
        }
        return variants[0]
    }

    /// AWS's `InputLocationHeader` pattern. sagemaker-runtime's shapes are hand-written (headers and a
    /// raw body, see scripts/aws-models/kit.json), and so are their checks.
    static let s3URIPattern = "(https|s3)://([^/]+)/?(.*)"

    /// InvokeEndpointAsync: the request is queued durably and answered at once (HTTP 202).
    public func invokeEndpointAsync(_ input: InvokeEndpointAsyncInput) throws -> InvokeEndpointAsyncOutput {
        let operation = "InvokeEndpointAsync"
        var validation = APIValidation(operation: operation)
        validation.pattern(input.inputLocation, at: "inputLocation", Self.s3URIPattern)
        validation.range(input.requestTTLSeconds, at: "requestTTLSeconds", 60...21_600)
        validation.range(input.invocationTimeoutSeconds, at: "invocationTimeoutSeconds", 1...3_600)
        validation.length(input.inferenceId, at: "inferenceId", max: 64, min: 1)
        try validation.check()
        guard let endpoint = try catalog.endpoint(named: input.endpointName), endpoint.status == "InService" || endpoint.status == "Updating" else {
            throw AWSError(code: "ValidationError", message: "Endpoint \(input.endpointName) of account \(configuration.account) not found.",
                           operation: operation)
        }
        let config = try deployed.config(of: endpoint)
        guard let async = config.asyncInferenceConfig, let outputPath = async.outputConfig.s3OutputPath else {
            throw AWSError(code: "ValidationError", message: "Endpoint \(endpoint.name) is not configured for asynchronous inference: its endpoint configuration has no AsyncInferenceConfig.",
                           operation: operation, hint: "use `aws sagemaker-runtime invoke-endpoint` for a real-time endpoint")
        }
        // The object name is a fresh UUID, not the inference id (as observed on the real service).
        let file = UUID().uuidString.lowercased()
        let output = Self.join(outputPath, "\(file).out")
        let failure = Self.join(async.outputConfig.s3FailurePath ?? outputPath, "\(file)-error.out")
        let inferenceId = input.inferenceId ?? UUID().uuidString.lowercased()
        try catalog.enqueue(AsyncRequestRecord(
            id: 0, inferenceId: inferenceId, endpoint: endpoint.name, inputLocation: input.inputLocation, contentType: input.contentType,
            accept: input.accept, outputLocation: output, failureLocation: failure, enqueued: now(),
            ttlSeconds: input.requestTTLSeconds ?? 21_600, timeoutSeconds: input.invocationTimeoutSeconds ?? 900, state: "queued"))
        endpoints.wake(endpoint.name)
        return InvokeEndpointAsyncOutput(outputLocation: output, failureLocation: async.outputConfig.s3FailurePath == nil ? nil : failure,
                                         inferenceId: inferenceId)
    }

    static func join(_ prefix: String, _ name: String) -> String {
        prefix.hasSuffix("/") ? prefix + name : prefix + "/" + name
    }

    /// The async endpoint's queue metrics, as CloudWatch names them.
    public func asyncMetrics(endpointName: String) throws -> AsyncEndpointMetrics {
        let endpoint = try requireEndpoint(endpointName, operation: "GetMetricData")
        let stats = try catalog.queueStatistics(endpoint: endpoint.name)
        let instances = endpoint.instanceCounts.values.reduce(0, +)
        let backlog = stats.queued + stats.inflight
        return AsyncEndpointMetrics(
            endpointName: endpoint.name, approximateBacklogSize: backlog,
            approximateBacklogSizePerInstance: instances == 0 ? Double(backlog) : Double(backlog) / Double(instances),
            approximateAgeOfOldestRequest: stats.oldestWaiting.map { max(0, now().timeIntervalSince($0)) } ?? 0,
            hasBacklogWithoutCapacity: backlog > 0 && instances == 0 ? 1 : 0, currentInstanceCount: instances,
            invocationsProcessed: stats.succeeded, invocationFailures: stats.failed)
    }

    // MARK: Application Auto Scaling (the part that drives async endpoints)

    public func registerScalableTarget(_ target: ScalableTarget) throws {
        let operation = "RegisterScalableTarget"
        guard target.serviceNamespace == "sagemaker", target.scalableDimension == "sagemaker:variant:DesiredInstanceCount",
              let (name, variant) = target.endpointAndVariant else {
            throw AWSError(code: "ValidationException", message: "InferLab scales SageMaker variants only: ServiceNamespace sagemaker, ScalableDimension sagemaker:variant:DesiredInstanceCount, ResourceId endpoint/<name>/variant/<variant>.",
                           operation: operation)
        }
        guard target.minCapacity >= 0, target.maxCapacity >= max(1, target.minCapacity) else {
            throw AWSError(code: "ValidationException", message: "MaxCapacity must be at least 1 and at least MinCapacity.", operation: operation)
        }
        let endpoint = try requireEndpoint(name, operation: operation)
        guard endpoint.instanceCounts[variant] != nil else {
            throw AWSError(code: "ValidationException", message: "The endpoint \(name) has no variant \(variant).", operation: operation)
        }
        var stored = target
        let existing = try catalog.scalableTarget(resourceId: target.resourceId)
        stored.policy = existing?.policy
        stored.creationTime = existing?.creationTime ?? target.creationTime ?? now()
        try catalog.putScalableTarget(stored)
        endpoints.restartPool(name)
    }

    public func putScalingPolicy(resourceId: String, policy: ScalableTarget.ScalingPolicy) throws {
        guard var target = try catalog.scalableTarget(resourceId: resourceId) else {
            throw AWSError(code: "ObjectNotFoundException", message: "No scalable target registered for service namespace: sagemaker, resource ID: \(resourceId), scalable dimension: sagemaker:variant:DesiredInstanceCount",
                           operation: "PutScalingPolicy", hint: "register it first with `aws application-autoscaling register-scalable-target`")
        }
        target.policy = policy
        try catalog.putScalableTarget(target)
    }
}
