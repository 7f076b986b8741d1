import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

/// AWS's query protocol (`POST /`, a form body `Action=…&Version=…`, XML answers) for STS
/// GetCallerIdentity and IAM GetRole: the engine's `IdentityOperations` entries.
struct QueryProtocolService {
    let engine: Engine
    let credentials: AccessCredentials
    let noAuth: Bool

    struct Answer {
        var response: Response
        var service: String
        var operation: String
        var errorCode: String?
    }

    static let namespaces: [AWSService: String] = [
        .sts: "https://sts.amazonaws.com/doc/2011-06-15/", .iam: "https://iam.amazonaws.com/doc/2010-05-08/",
    ]

    func respond(_ request: Request, _ exchange: HTTPExchange, requestId: String) async -> Answer {
        var request = request
        let body = (try? await request.collectBody(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
        var form: [String: String] = [:]
        for (name, value) in URIEncoding.queryItems(body.replacingOccurrences(of: "+", with: "%20")) { form[name] = value }
        for (name, value) in exchange.queryItems where form[name] == nil { form[name] = value }
        let action = form["Action"] ?? ""
        let service: AWSService = action == "GetRole" ? .iam : .sts
        func fail(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Answer {
            Answer(response: Self.error(status: status, code: code, message: message, service: service, requestId: requestId),
                   service: service.rawValue, operation: action.isEmpty ? "Unknown" : action, errorCode: code)
        }
        if !noAuth, let refusal = JSONProtocolService.authenticate(exchange, body: Data(body.utf8), service: service.rawValue, credentials: credentials) {
            let code = ["UnrecognizedClientException": "InvalidClientTokenId", "InvalidSignatureException": "SignatureDoesNotMatch"][refusal.type] ?? refusal.type
            return fail(refusal.status, code, refusal.message)
        }
        do {
            let result: String
            switch action {
            case "GetCallerIdentity":
                let identity = try await engine.call(IdentityOperations.GetCallerIdentity.self, EmptyOutput())
                result = XMLWriter.fragment { xml in
                    xml.element("Arn", identity.arn)
                    xml.element("UserId", identity.userId)
                    xml.element("Account", identity.account)
                }
            case "GetRole":
                let role = try await engine.call(IdentityOperations.GetRole.self, GetRoleInput(roleName: form["RoleName"] ?? ""))
                result = XMLWriter.fragment { xml in
                    xml.element("Role") { item in
                        item.element("Path", role.path)
                        item.element("RoleName", role.roleName)
                        item.element("RoleId", role.roleId)
                        item.element("Arn", role.arn)
                        item.element("CreateDate", WireFormats.iso8601(role.createDate))
                        item.element("AssumeRolePolicyDocument", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
                    }
                }
            default:
                return fail(.badRequest, "InvalidAction", "The action \(VisibleText.escaped(action)) is not valid for this web service (the kit answers GetCallerIdentity and GetRole).")
            }
            let document = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
                + "<\(action)Response xmlns=\"\(Self.namespaces[service]!)\"><\(action)Result>\(result)</\(action)Result>"
                + "<ResponseMetadata><RequestId>\(requestId)</RequestId></ResponseMetadata></\(action)Response>"
            var headers = HTTPFields()
            headers[.contentType] = "text/xml"
            headers[HTTPField.Name("x-amzn-RequestId")!] = requestId
            return Answer(response: Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: document))),
                          service: service.rawValue, operation: action, errorCode: nil)
        } catch let error as AWSError {
            return fail(HTTPResponse.Status(code: error.httpStatus), error.code, error.message)
        } catch {
            return fail(.internalServerError, "InternalFailure", ErrorSentence.of(error))
        }
    }

    static func error(status: HTTPResponse.Status, code: String, message: String, service: AWSService, requestId: String) -> Response {
        let document = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
            + "<ErrorResponse xmlns=\"\(namespaces[service]!)\"><Error><Type>Sender</Type><Code>\(XMLWriter.escape(code))</Code>"
            + "<Message>\(XMLWriter.escape(message))</Message></Error><RequestId>\(requestId)</RequestId></ErrorResponse>"
        var headers = HTTPFields()
        headers[.contentType] = "text/xml"
        headers[HTTPField.Name("x-amzn-RequestId")!] = requestId
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: document)))
    }
}
