import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

/// Every request's way in: who signed it (Signature V4, unless `--no-auth`), which service it is
/// for, and the answer in that service's own format. Part 1 serves S3; requests for other
/// services get S3's NotImplemented until they are added.
struct AWSResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let workspace: @Sendable () -> ServedWorkspace
    let noAuth: Bool

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let requestId = Self.requestId()
        let exchange = HTTPExchange(request)
        let served = workspace()
        var resource = exchange.rawPath
        var operation = "Unknown"
        let response: Response
        var errorCode: String?
        // JSON 1.1 services (X-Amz-Target: SageMaker.…) and sagemaker-runtime (/endpoints/…).
        if let target = exchange.headerValues["x-amz-target"]?.first {
            let answer = await JSONProtocolService(engine: served.engine, credentials: served.credentials, noAuth: noAuth)
                .respond(request, exchange, target: target, requestId: requestId)
            record(answer.response, service: answer.service, operation: answer.operation, errorCode: answer.errorCode,
                   resource: exchange.rawPath, request: request, started: started, engine: served.engine)
            return answer.response
        }
        // The query protocol (STS, IAM): a form posted to `/`.
        if request.method == .post, exchange.rawPath == "/",
           exchange.headerValues["content-type"]?.first?.hasPrefix("application/x-www-form-urlencoded") == true {
            let answer = await QueryProtocolService(engine: served.engine, credentials: served.credentials, noAuth: noAuth)
                .respond(request, exchange, requestId: requestId)
            record(answer.response, service: answer.service, operation: answer.operation, errorCode: answer.errorCode,
                   resource: exchange.rawPath, request: request, started: started, engine: served.engine)
            return answer.response
        }
        if exchange.rawPath.hasPrefix("/endpoints/") {
            let answer = await RuntimeService(engine: served.engine, credentials: served.credentials, noAuth: noAuth)
                .respond(request, exchange, requestId: requestId)
            record(answer.response, service: "sagemaker-runtime", operation: answer.operation, errorCode: answer.errorCode,
                   resource: exchange.rawPath, request: request, started: started, engine: served.engine)
            return answer.response
        }
        do {
            var s3 = try S3Request(request, exchange: exchange)
            resource = s3.resource
            let named = try S3Operation(s3)
            operation = named.rawValue
            s3.chunkSigning = try authenticate(exchange, credentials: served.credentials)
            var answer = try await S3Service(engine: served.engine).respond(request, s3, named)
            answer.headers[HTTPField.Name("x-amz-request-id")!] = requestId
            response = answer
        } catch {
            let s3Error = error as? S3Error
                ?? S3Error(status: 500, code: "InternalError", message: "We encountered an internal error. Please try again.")
            errorCode = s3Error.code
            response = Self.errorResponse(s3Error, requestId: requestId, resource: resource, head: request.method == .head)
        }
        record(response, service: "s3", operation: operation, errorCode: errorCode, resource: resource,
               request: request, started: started, engine: served.engine)
        return response
    }

    /// Checks the request's signature; answers what its aws-chunked body's chunk signatures must
    /// chain from, when it is signed chunk by chunk.
    private func authenticate(_ exchange: HTTPExchange, credentials: AccessCredentials) throws -> ChunkSigning? {
        guard !noAuth else { return nil }
        let signed = exchange.signed
        if SignatureV2.isV2(signed) {
            do { try SignatureV2(credentials: credentials).verify(signed, now: Date()) } catch { throw S3Error.auth(error) }
            return nil
        }
        let presigned = signed.headers(named: "authorization").isEmpty
        // S3 signs the payload's SHA-256 as the client declared it (or UNSIGNED-PAYLOAD); the
        // body itself is checked against a hex value as it streams (see BodyDigests).
        let payloadHash = presigned ? "UNSIGNED-PAYLOAD" : (signed.headers(named: "x-amz-content-sha256").first ?? "")
        if !presigned, payloadHash.isEmpty {
            throw S3Error(status: 400, code: "InvalidRequest", message: "Missing required header for this request: x-amz-content-sha256")
        }
        let claim: SignatureV4.Claim
        do {
            claim = try SignatureV4(credentials: credentials).verify(signed, payloadHash: payloadHash, now: Date())
        } catch {
            throw S3Error.auth(error)
        }
        // The kit is one region, and this is S3: a request signed for another says which to use.
        guard claim.region == S3Account.region else {
            throw S3Error(status: 400, code: "AuthorizationHeaderMalformed",
                          message: "The authorization header is malformed; the region '\(VisibleText.escaped(claim.region))' is wrong; expecting '\(S3Account.region)'",
                          details: [("Region", S3Account.region)])
        }
        guard claim.service == "s3" else {
            throw S3Error(status: 400, code: "AuthorizationHeaderMalformed",
                          message: "The authorization header is malformed; the service '\(VisibleText.escaped(claim.service))' is wrong; expecting 's3'")
        }
        // S3 refuses x-amz- headers the signature does not cover: a presigned URL must not be
        // turned into another request (x-amz-copy-source, x-amz-meta-…) by whoever holds it.
        let unsigned = signed.headerValues.keys.filter { $0.hasPrefix("x-amz-") && !claim.signedHeaders.contains($0) }.sorted()
        if !unsigned.isEmpty {
            throw S3Error(status: 403, code: "AccessDenied", message: "There were headers present in the request which were not signed",
                          details: [("HeadersNotSigned", unsigned.joined(separator: ", "))])
        }
        guard payloadHash.hasPrefix("STREAMING-AWS4-HMAC-SHA256-PAYLOAD") else { return nil }
        let signer = SignatureV4(credentials: credentials)
        return ChunkSigning(key: signer.signingKey(date: claim.date, region: claim.region, service: claim.service),
                            timestamp: claim.timestamp, scope: "\(claim.date)/\(claim.region)/\(claim.service)/aws4_request",
                            seed: claim.signature.lowercased())
    }

    /// Logged when the answer is ready; a streamed body's own transfer time is not counted.
    private func record(_ response: Response, service: String, operation: String, errorCode: String?, resource: String,
                        request: Request, started: ContinuousClock.Instant, engine: Engine) {
        let elapsed = ContinuousClock.now - started
        engine.requests.record(APIRequestRecord(
            time: Date(), client: APIRequestRecord.client(fromUserAgent: request.headers[.userAgent]), service: service,
            operation: operation, status: Int(response.status.code),
            durationMilliseconds: Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000,
            errorCode: errorCode, resource: resource))
    }

    /// An error in the JSON protocols' form: `{"__type": …, "message": …}`.
    static func jsonError(status: HTTPResponse.Status, type: String, message: String, requestId: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-amz-json-1.1"
        headers[HTTPField.Name("x-amzn-RequestId")!] = requestId
        let body = (try? JSONSerialization.data(withJSONObject: ["__type": type, "message": message])) ?? Data()
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func errorResponse(_ error: S3Error, requestId: String, resource: String, head: Bool) -> Response {
        var headers = HTTPFields()
        headers[HTTPField.Name("x-amz-request-id")!] = requestId
        let status = HTTPResponse.Status(code: error.status)
        guard !head, error.status != 304 else {
            headers[.contentLength] = "0"
            return Response(status: status, headers: headers)
        }
        headers[.contentType] = "application/xml"
        let body = error.document(requestId: requestId, resource: resource)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// 16 upper-case hex digits, as S3's request ids look.
    static func requestId() -> String {
        Hex.string(withUnsafeBytes(of: UInt64.random(in: .min ... .max)) { Array($0) }).uppercased()
    }
}
