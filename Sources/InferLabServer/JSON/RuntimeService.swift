import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

/// sagemaker-runtime's REST JSON protocol, signed as service `sagemaker`:
/// `POST /endpoints/{name}/invocations` (the raw body in, the model's answer out) and
/// `POST /endpoints/{name}/async-invocations` (an empty body, the input's S3 location in
/// `X-Amzn-SageMaker-InputLocation`; 202 with where the result will be). Both are the engine's
/// `RuntimeOperations` entries. Errors carry `x-amzn-ErrorType` and `{"message": …}`, a model's
/// failure as ModelError 424 with the container's message, as the runtime answers.
struct RuntimeService {
    let engine: Engine
    let credentials: AccessCredentials
    let noAuth: Bool

    /// InvokeEndpoint's payload limit, 6 MB; a bit more is read so the refusal can say so.
    static let maximumBody = 6_291_456

    struct Answer {
        var response: Response
        var operation: String
        var errorCode: String?
    }

    func respond(_ request: Request, _ exchange: HTTPExchange, requestId: String) async -> Answer {
        let segments = exchange.rawPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // ["", "endpoints", NAME, "invocations" | "async-invocations"]
        let operation = segments.count == 4 && segments[3] == "async-invocations" ? "InvokeEndpointAsync" : "InvokeEndpoint"
        func fail(_ status: Int, _ type: String, _ message: String) -> Answer {
            Answer(response: Self.error(status: status, type: type, message: message, requestId: requestId), operation: operation, errorCode: type)
        }
        guard request.method == .post, segments.count == 4, ["invocations", "async-invocations"].contains(segments[3]),
              let name = URIEncoding.decode(Substring(segments[2])), !name.isEmpty else {
            return fail(404, "UnknownOperationException", "sagemaker-runtime answers POST /endpoints/NAME/invocations and /async-invocations.")
        }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: Self.maximumBody + 1), buffer.readableBytes <= Self.maximumBody else {
            return fail(413, "ValidationError", "The request body is larger than 6 MB, InvokeEndpoint's limit; use an async endpoint or a transform job for larger payloads.")
        }
        let body = buffer.withUnsafeReadableBytes { Data($0) }
        if !noAuth, let refusal = JSONProtocolService.authenticate(exchange, body: body, service: "sagemaker", credentials: credentials) {
            return fail(Int(refusal.status.code), refusal.type, refusal.message)
        }
        let header = { (field: String) in exchange.headerValues[field]?.first }
        do {
            if operation == "InvokeEndpoint" {
                var input = InvokeEndpointInput(endpointName: name, body: body, contentType: header("content-type"), accept: header("accept"))
                input.targetVariant = header("x-amzn-sagemaker-target-variant")
                let output = try await engine.call(RuntimeOperations.InvokeEndpoint.self, input)
                var headers = HTTPFields()
                headers[.contentType] = output.contentType
                headers[HTTPField.Name("x-amzn-invoked-production-variant")!] = output.invokedProductionVariant
                if let attributes = header("x-amzn-sagemaker-custom-attributes") {
                    headers[HTTPField.Name("x-amzn-sagemaker-custom-attributes")!] = attributes
                }
                headers[HTTPField.Name("x-amzn-RequestId")!] = requestId
                return Answer(response: Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: output.body))),
                              operation: operation, errorCode: nil)
            }
            guard let location = header("x-amzn-sagemaker-inputlocation") else {
                return fail(400, "ValidationError", "InvokeEndpointAsync needs X-Amzn-SageMaker-InputLocation, the S3 URI of the request payload.")
            }
            var input = InvokeEndpointAsyncInput(endpointName: name, inputLocation: location)
            input.contentType = header("x-amzn-sagemaker-content-type")
            input.accept = header("x-amzn-sagemaker-accept")
            input.customAttributes = header("x-amzn-sagemaker-custom-attributes")
            input.inferenceId = header("x-amzn-sagemaker-inferenceid")
            input.requestTTLSeconds = header("x-amzn-sagemaker-requestttlseconds").flatMap { Int($0) }
            input.invocationTimeoutSeconds = header("x-amzn-sagemaker-invocationtimeoutseconds").flatMap { Int($0) }
            let output = try await engine.call(RuntimeOperations.InvokeEndpointAsync.self, input)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[HTTPField.Name("x-amzn-sagemaker-outputlocation")!] = output.outputLocation
            if let failure = output.failureLocation { headers[HTTPField.Name("x-amzn-sagemaker-failurelocation")!] = failure }
            headers[HTTPField.Name("x-amzn-RequestId")!] = requestId
            let json = (try? JSONSerialization.data(withJSONObject: ["InferenceId": output.inferenceId])) ?? Data()
            return Answer(response: Response(status: .accepted, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: json))),
                          operation: operation, errorCode: nil)
        } catch let error as AWSError {
            return fail(error.httpStatus, error.code, error.message)
        } catch {
            return fail(500, "InternalFailure", ErrorSentence.of(error))
        }
    }

    /// REST JSON's error: the code in `x-amzn-ErrorType`, the words in the body.
    static func error(status: Int, type: String, message: String, requestId: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("x-amzn-ErrorType")!] = type
        headers[HTTPField.Name("x-amzn-RequestId")!] = requestId
        let body = (try? JSONSerialization.data(withJSONObject: ["message": message, "Message": message])) ?? Data()
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
