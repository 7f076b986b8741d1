import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

/// AWS's JSON 1.1 protocol (`POST /`, `X-Amz-Target: SageMaker.CreateModel`,
/// `application/x-amz-json-1.1`): the body is the operation's input in AWS's member names, the
/// answer its output, an error `{"__type": …, "message": …}` with the operation's status. Each
/// call is an entry of the engine's operation table (`JSONOperation`), as the shell's are.
struct JSONProtocolService {
    let engine: Engine
    let credentials: AccessCredentials
    let noAuth: Bool

    /// The services served this way, by their target prefix.
    static let services: [String: AWSService] = [
        "SageMaker": .sagemaker, "Logs_20140328": .logs, "AnyScaleFrontendService": .applicationAutoscaling,
    ]

    /// Bodies are small JSON documents; a bigger one is refused before it is read whole.
    static let maximumBody = 16 << 20

    struct Answer {
        var response: Response
        var service: String
        var operation: String
        var errorCode: String?
    }

    func respond(_ request: Request, _ exchange: HTTPExchange, target: String, requestId: String) async -> Answer {
        let parts = target.split(separator: ".", maxSplits: 1).map(String.init)
        let prefix = parts.first ?? target, name = parts.count > 1 ? parts[1] : ""
        let serviceName = Self.services[prefix]?.rawValue ?? prefix.lowercased()
        func fail(_ status: HTTPResponse.Status, _ type: String, _ message: String) -> Answer {
            Answer(response: AWSResponder.jsonError(status: status, type: type, message: message, requestId: requestId),
                   service: serviceName, operation: name.isEmpty ? target : name, errorCode: type)
        }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: Self.maximumBody) else {
            return fail(.contentTooLarge, "SerializationException", "The request body is larger than \(Self.maximumBody >> 20) MiB, or ended early.")
        }
        let body = buffer.withUnsafeReadableBytes { Data($0) }
        if !noAuth, let refusal = Self.authenticate(exchange, body: body, service: Self.services[prefix]?.rawValue, credentials: credentials) {
            return fail(refusal.status, refusal.type, refusal.message)
        }
        guard let service = Self.services[prefix],
              let entry = OperationTable.entry(service, name) as? any JSONOperation.Type else {
            return fail(.badRequest, "UnknownOperationException",
                        "InferLab's endpoint does not serve \(VisibleText.escaped(target)) (yet); of \(serviceName) it answers \(Self.names(Self.services[prefix])).")
        }
        do {
            let output = try await entry.callJSON(body, on: engine)
            var headers = HTTPFields()
            headers[.contentType] = "application/x-amz-json-1.1"
            headers[HTTPField.Name("x-amzn-RequestId")!] = requestId
            return Answer(response: Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: output))),
                          service: serviceName, operation: name, errorCode: nil)
        } catch let error as AWSError {
            return fail(HTTPResponse.Status(code: error.httpStatus), error.code, error.message)
        } catch {
            return fail(.internalServerError, "InternalFailure", ErrorSentence.of(error))
        }
    }

    static func names(_ service: AWSService?) -> String {
        guard let service, let names = OperationTable.names[service], !names.isEmpty else { return "nothing" }
        return names.joined(separator: ", ")
    }

    /// Signature V4 over the body's SHA-256, with the JSON services' error words. `service` is the
    /// name the signature must be scoped to (sagemaker-runtime signs as `sagemaker`).
    static func authenticate(_ exchange: HTTPExchange, body: Data, service: String?,
                             credentials: AccessCredentials) -> (status: HTTPResponse.Status, type: String, message: String)? {
        let signed = exchange.signed
        guard !signed.headers(named: "authorization").isEmpty else {
            return (.forbidden, "MissingAuthenticationTokenException", "Missing Authentication Token")
        }
        let payloadHash = Hex.string(SHA256.hash(data: body))
        do {
            let claim = try SignatureV4(credentials: credentials).verify(signed, payloadHash: payloadHash, now: Date())
            if claim.region != S3Account.region {
                return (.badRequest, "InvalidSignatureException",
                        "Credential should be scoped to a valid region, not '\(VisibleText.escaped(claim.region))'. The kit is \(S3Account.region).")
            }
            if let service, claim.service != service {
                return (.badRequest, "InvalidSignatureException",
                        "Credential should be scoped to correct service: '\(service)'.")
            }
            return nil
        } catch {
            switch error {
            case .invalidAccessKeyId:
                return (.badRequest, "UnrecognizedClientException", "The security token included in the request is invalid.")
            case .signatureDoesNotMatch:
                return (.forbidden, "InvalidSignatureException",
                        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
            case .timeTooSkewed(let requestTime, let serverTime):
                return (.forbidden, "InvalidSignatureException",
                        "Signature expired: \(WireFormats.iso8601(requestTime)) is now earlier than \(WireFormats.iso8601(serverTime.addingTimeInterval(-SignatureV4.allowedSkew))) (15 minutes of skew are allowed).")
            case .malformed(let why):
                return (.badRequest, "IncompleteSignatureException", "The request signature is incomplete: \(why).")
            case .missing, .expired, .notYetValid:
                return (.forbidden, "MissingAuthenticationTokenException", "Missing Authentication Token")
            }
        }
    }
}
