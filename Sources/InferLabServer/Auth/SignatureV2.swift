import Crypto
import Foundation
import InferLabEngine

/// S3's older Signature Version 2, which boto3 still uses by default for presigned S3 URLs
/// (`?AWSAccessKeyId=…&Signature=…&Expires=…`), and some tools in the `Authorization: AWS id:sig`
/// header. Checked as S3 checks it: <https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html>.
struct SignatureV2 {
    let credentials: AccessCredentials

    /// The sub-resources S3 includes in the string to sign, in this order.
    static let subresources: Set<String> = [
        "acl", "delete", "lifecycle", "location", "logging", "notification", "partNumber", "policy",
        "requestPayment", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions",
        "website", "response-content-type", "response-content-language", "response-expires",
        "response-cache-control", "response-content-disposition", "response-content-encoding",
    ]

    static func isV2(_ request: SignedRequest) -> Bool {
        if let header = request.headers(named: "authorization").first { return header.hasPrefix("AWS ") }
        return request.queryItems.contains { $0.name == "AWSAccessKeyId" }
    }

    func verify(_ request: SignedRequest, now: Date) throws(AuthError) {
        let query = request.queryItems
        let accessKey: String, signature: String, dateLine: String
        if let header = request.headers(named: "authorization").first {
            let parts = header.dropFirst("AWS ".count).split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw .malformed("the Authorization header must be AWS ACCESS_KEY:SIGNATURE") }
            (accessKey, signature) = (parts[0], parts[1])
            // x-amz-date, when given, stands in for Date (and Date is then signed as empty).
            dateLine = request.headers(named: "x-amz-date").isEmpty ? (request.headers(named: "date").first ?? "") : ""
            guard let date = request.headers(named: "x-amz-date").first ?? request.headers(named: "date").first,
                  let time = WireFormats.parseHTTPDate(date) else { throw .malformed("a signed request needs a Date or X-Amz-Date header") }
            if abs(now.timeIntervalSince(time)) > SignatureV4.allowedSkew { throw .timeTooSkewed(requestTime: time, serverTime: now) }
        } else {
            func value(_ name: String) throws(AuthError) -> String {
                guard let value = query.first(where: { $0.name == name })?.value else { throw .malformed("the presigned URL has no \(name)") }
                return value
            }
            (accessKey, signature) = (try value("AWSAccessKeyId"), try value("Signature"))
            dateLine = try value("Expires")
            guard let expires = TimeInterval(dateLine) else { throw .malformed("Expires must be seconds since 1970") }
            if now.timeIntervalSince1970 > expires { throw .expired(Date(timeIntervalSince1970: expires), now: now) }
        }
        guard accessKey == credentials.accessKeyId else { throw .invalidAccessKeyId(accessKey) }
        let stringToSign = Self.stringToSign(request, dateLine: dateLine, query: query)
        let key = SymmetricKey(data: Data(credentials.secretAccessKey.utf8))
        let expected = Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(stringToSign.utf8), using: key)).base64EncodedString()
        guard SignatureV4.constantTimeEquals(expected, signature) else {
            throw .signatureDoesNotMatch(stringToSign: stringToSign, canonicalRequest: "")
        }
    }

    static func stringToSign(_ request: SignedRequest, dateLine: String, query: [(name: String, value: String)]) -> String {
        // With x-amz-date in the header form it is signed among the x-amz- headers.
        let amzHeaders = request.headerValues.keys.filter { $0.hasPrefix("x-amz-") }
            .sorted()
            .map { "\($0):\(SignatureV4.canonicalHeaderValue(request.headers(named: $0)))\n" }
            .joined()
        let signedQuery = query.filter { subresources.contains($0.name) }.sorted { $0.name < $1.name }
            .map { $0.value.isEmpty ? $0.name : "\($0.name)=\($0.value)" }
        let resource = request.rawPath + (signedQuery.isEmpty ? "" : "?" + signedQuery.joined(separator: "&"))
        return [request.method, request.headers(named: "content-md5").first ?? "", request.headers(named: "content-type").first ?? "",
                dateLine].joined(separator: "\n") + "\n" + amzHeaders + resource
    }

}
