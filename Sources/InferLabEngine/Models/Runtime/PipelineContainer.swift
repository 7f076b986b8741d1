import Foundation

/// A serial inference pipeline on one instance: each container's response is the next one's
/// request. The client's ContentType goes to the first container and its Accept to the last; in
/// between, a response's Content-Type is the next request's, and an intermediate container gets
/// no Accept, so it answers in its default (SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT for the
/// framework containers, which is why pipelines set it on their preprocessors).
///
/// A failure names the container that failed (ContainerError.origin, its hostname), as
/// SageMaker's `Received client error (400) from <container> with message …` does.
struct PipelineContainer: InferenceContainer {
    let containers: [(hostname: String, container: any InferenceContainer)]

    var addedLatency: Duration { containers.reduce(.zero) { $0 + $1.container.addedLatency } }

    func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode) throws -> ContainerResponse {
        try invoke(body: body, contentType: contentType, accept: accept, mode: mode, timeout: .seconds(60))
    }

    func invoke(body: Data, contentType: String?, accept: String?, mode: InvocationMode, timeout: Duration) throws -> ContainerResponse {
        var response = ContainerResponse(body: body, contentType: contentType ?? "")
        for (index, step) in containers.enumerated() {
            let isLast = index == containers.count - 1
            let requestType = index == 0 ? contentType : response.contentType
            do {
                response = try step.container.invoke(body: response.body, contentType: requestType, accept: isLast ? accept : nil,
                                                     mode: mode, timeout: timeout)
            } catch var error as ContainerError {
                error.origin = error.origin ?? step.hostname
                throw error
            }
        }
        return response
    }

    func stop() {
        for step in containers { step.container.stop() }
    }
}
