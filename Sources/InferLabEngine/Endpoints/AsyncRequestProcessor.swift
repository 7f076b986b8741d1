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
        guard let output = S3Location(request.outputLocation), let failure = S3Location(request.failureLocation) else {
            // Not reachable from InvokeEndpointAsync, which builds both; ended rather than left in flight.
            return finish(request, success: false, received: now(), config: nil, extra: [])
        }
        // Answered before a crash? Then only the bookkeeping (and the notification) was lost.
        if let answered = try? store.headObject(bucket: output.bucket, key: output.key) {
            return succeed(request, contentType: answered.contentType, received: now(), config: config)
        }
        if (try? store.headObject(bucket: failure.bucket, key: failure.key)) != nil {
            let reason = "ServerError: The request was answered with an error before InferLab stopped; the error is at \(request.failureLocation)."
            return finish(request, success: false, received: now(), config: config, extra: Self.failureDetails(request, reason: reason))
        }
        let received = now()
        if received.timeIntervalSince(request.enqueued) > Double(request.ttlSeconds) {
            return fail(request, reason: "ClientError: The request expired after waiting longer than RequestTTLSeconds (\(request.ttlSeconds) s) in the queue.",
                        body: "Request expired in queue after \(request.ttlSeconds) seconds.", at: failure, received: received, config: config)
        }
        guard let input = S3Location(request.inputLocation),
              let body = try? store.readObject(bucket: input.bucket, key: input.key) else {
            return fail(request, reason: "ClientError: Failed to download the request input from \(request.inputLocation).",
                        body: "Failed to download the input \(request.inputLocation): NoSuchKey", at: failure, received: received, config: config)
        }
        // A model slower than InvocationTimeoutSeconds is cut off when the timeout passes.
        if container.addedLatency > .seconds(request.timeoutSeconds) {
            Thread.sleep(forTimeInterval: Double(request.timeoutSeconds))
            let message = "Your invocation timed out while waiting for a response from container primary. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again."
            return fail(request, reason: "ClientError: Received server error (0) from primary with message \"\(message)\".",
                        body: message, at: failure, received: received, config: config)
        }
        do {
            let response = try container.invoke(body: body, contentType: request.contentType, accept: request.accept, mode: .endpoint,
                                                timeout: .seconds(request.timeoutSeconds))
            try store.putObject(bucket: output.bucket, key: output.key, body: .data(response.body), contentType: response.contentType, metadata: [:])
            succeed(request, contentType: response.contentType, received: received, config: config)
        } catch let error as ContainerError {
            let kind = (400..<500).contains(error.status) ? "client" : "server"  // a timeout (0) is a server error
            fail(request, reason: "ClientError: Received \(kind) error (\(error.status)) from \(error.origin ?? "primary") with message \"\(error.message)\". See the SageMaker Endpoint logs in your account for more information.",
                 body: error.message, at: failure, received: received, config: config)
        } catch {
            fail(request, reason: "ServerError: \(ErrorSentence.of(error))", body: ErrorSentence.of(error), at: failure, received: received, config: config)
        }
    }

    private func succeed(_ request: AsyncRequestRecord, contentType: String, received: Date, config: AsyncInferenceConfig?) {
        finish(request, success: true, received: received, config: config, extra: [
            ("responseParameters", .object([("contentType", .string(contentType)), ("outputLocation", .string(request.outputLocation))])),
        ])
    }

    /// The error object and the notification's reason quote the input only escaped (VisibleText).
    private func fail(_ request: AsyncRequestRecord, reason: String, body: String, at failure: S3Location, received: Date,
                      config: AsyncInferenceConfig?) {
        let body = VisibleText.escaped(body)
        _ = try? store.putObject(bucket: failure.bucket, key: failure.key, body: .data(Data(body.utf8)), contentType: "text/plain", metadata: [:])
        finish(request, success: false, received: received, config: config, extra: Self.failureDetails(request, reason: VisibleText.escaped(reason)))
    }

    private static func failureDetails(_ request: AsyncRequestRecord, reason: String) -> [(String, JSONValue)] {
        [("failureReason", .string(reason)), ("failureLocation", .string(request.failureLocation))]
    }

    /// Marks the request done and records the SNS message AWS would publish, in its documented
    /// shape, in one transaction: a request is notified exactly once.
    private func finish(_ request: AsyncRequestRecord, success: Bool, received: Date, config: AsyncInferenceConfig?,
                        extra: [(String, JSONValue)]) {
        let time = now()
        let topics = config?.outputConfig.notificationConfig
        let notification = (success ? topics?.successTopic : topics?.errorTopic).map { topic in
            var parameters: [(String, JSONValue)] = [("endpointName", .string(request.endpoint)), ("inputLocation", .string(request.inputLocation))]
            if let type = request.contentType { parameters.insert(("contentType", .string(type)), at: 0) }
            let message = JSONValue.object([
                ("awsRegion", .string(region)), ("eventTime", .string(Self.eventTime(time))), ("receivedTime", .string(Self.eventTime(received))),
                ("invocationStatus", .string(success ? "Completed" : "Failed")), ("requestParameters", .object(parameters)),
            ] + extra + [
                ("inferenceId", .string(request.inferenceId)), ("eventVersion", .string("1.0")), ("eventSource", .string("aws:sagemaker")),
                ("eventName", .string("InferenceResult")),
            ])
            return (topic: topic, message: message.compact)
        }
        try? catalog.finishRequest(request, succeeded: success, at: time, notification: notification)
    }

    static func eventTime(_ date: Date) -> String { AWSCoding.format(date, "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") }
}
