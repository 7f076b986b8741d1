import Foundation

/// Does one queued async request (§4.4): download the input, invoke the model, upload the
/// response to the output location or the error to the failure location, and notify.
/// Each request ends in exactly one object: a request that was already answered before a crash
/// is recognised by its object and not run twice.
struct AsyncRequestProcessor: Sendable {
    let catalog: Catalog
    let store: any ObjectStore
    let now: @Sendable () -> Date
    let region: String

    func process(_ request: AsyncRequestRecord, container: any InferenceContainer, config: AsyncInferenceConfig?) {
        guard let output = S3Location(request.outputLocation), let failure = S3Location(request.failureLocation) else { return }
        // Answered before a crash? Then only the bookkeeping was lost.
        if (try? store.headObject(bucket: output.bucket, key: output.key)) != nil {
            try? catalog.finishRequest(id: request.id, succeeded: true, at: now())
            return
        }
        if (try? store.headObject(bucket: failure.bucket, key: failure.key)) != nil {
            try? catalog.finishRequest(id: request.id, succeeded: false, at: now())
            return
        }
        let received = now()
        if received.timeIntervalSince(request.enqueued) > Double(request.ttlSeconds) {
            return fail(request, reason: "ClientError: The request expired after waiting longer than RequestTTLSeconds (\(request.ttlSeconds) s) in the queue.",
                        body: "Request expired in queue after \(request.ttlSeconds) seconds.", at: failure, config: config)
        }
        guard let input = S3Location(request.inputLocation),
              let body = try? store.readObject(bucket: input.bucket, key: input.key) else {
            return fail(request, reason: "ClientError: Failed to download the request input from \(request.inputLocation).",
                        body: "Failed to download the input \(request.inputLocation): NoSuchKey", at: failure, config: config)
        }
        // A model slower than InvocationTimeoutSeconds is cut off when the timeout passes.
        if container.addedLatency > .seconds(request.timeoutSeconds) {
            Thread.sleep(forTimeInterval: Double(request.timeoutSeconds))
            let message = "Your invocation timed out while waiting for a response from container primary. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again."
            return fail(request, reason: "ClientError: Received server error (0) from primary with message \"\(message)\".",
                        body: message, at: failure, config: config)
        }
        do {
            let response = try container.invoke(body: body, contentType: request.contentType, accept: request.accept, mode: .endpoint)
            try store.putObject(bucket: output.bucket, key: output.key, body: .data(response.body), contentType: response.contentType, metadata: [:])
            try catalog.finishRequest(id: request.id, succeeded: true, at: now())
            notify(request, config: config, success: true, received: received, extra: [
                ("responseParameters", .object([("contentType", .string(response.contentType)), ("outputLocation", .string(request.outputLocation))])),
            ])
        } catch let error as ContainerError {
            let kind = error.status < 500 ? "client" : "server"
            fail(request, reason: "ClientError: Received \(kind) error (\(error.status)) from primary with message \"\(error.message)\". See the SageMaker Endpoint logs in your account for more information.",
                 body: error.message, at: failure, config: config)
        } catch {
            fail(request, reason: "ServerError: \(error)", body: "\(error)", at: failure, config: config)
        }
    }

    private func fail(_ request: AsyncRequestRecord, reason: String, body: String, at failure: S3Location, config: AsyncInferenceConfig?) {
        try? store.putObject(bucket: failure.bucket, key: failure.key, body: .data(Data(body.utf8)), contentType: "text/plain", metadata: [:])
        try? catalog.finishRequest(id: request.id, succeeded: false, at: now())
        notify(request, config: config, success: false, received: now(), extra: [
            ("failureReason", .string(reason)), ("failureLocation", .string(request.failureLocation)),
        ])
    }

    /// Records the SNS message AWS would publish, in its documented shape.
    private func notify(_ request: AsyncRequestRecord, config: AsyncInferenceConfig?, success: Bool, received: Date,
                        extra: [(String, JSONValue)]) {
        let topics = config?.outputConfig.notificationConfig
        guard let topic = success ? topics?.successTopic : topics?.errorTopic else { return }
        var request_: [(String, JSONValue)] = [("endpointName", .string(request.endpoint)), ("inputLocation", .string(request.inputLocation))]
        if let type = request.contentType { request_.insert(("contentType", .string(type)), at: 0) }
        let message = JSONValue.object([
            ("awsRegion", .string(region)), ("eventTime", .string(Self.eventTime(now()))), ("receivedTime", .string(Self.eventTime(received))),
            ("invocationStatus", .string(success ? "Completed" : "Failed")), ("requestParameters", .object(request_)),
        ] + extra + [
            ("inferenceId", .string(request.inferenceId)), ("eventVersion", .string("1.0")), ("eventSource", .string("aws:sagemaker")),
            ("eventName", .string("InferenceResult")),
        ])
        try? catalog.appendNotification(endpoint: request.endpoint, topic: topic, message: message.compact, at: now())
    }

    static func eventTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return formatter.string(from: date)
    }
}
