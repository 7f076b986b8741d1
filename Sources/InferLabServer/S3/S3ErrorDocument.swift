import Foundation
import InferLabEngine

/// An error as S3 sends it: an HTTP status and `<Error><Code>…</Code><Message>…</Message>…</Error>`.
struct S3Error: Error {
    var status: Int
    var code: String
    var message: String
    /// More elements S3 adds for some codes (`BucketName`, `Key`, `StringToSign`…).
    var details: [(String, String)] = []

    init(status: Int, code: String, message: String, details: [(String, String)] = []) {
        (self.status, self.code, self.message, self.details) = (status, code, message, details)
    }

    /// The engine's errors carry S3's codes already; the status is S3's for that code.
    init(_ error: AWSError, bucket: String? = nil, key: String? = nil) {
        // The store answers a missing HeadObject as the CLI shows it ("404"); S3's code is NoSuchKey.
        let code = error.code == "404" ? "NoSuchKey" : error.code
        let status = Self.statusByCode[code] ?? error.httpStatus
        var message = error.message
        // The engine words a missing key for the shell; S3 says it its own way.
        if code == "NoSuchKey" { message = "The specified key does not exist." }
        if code == "NoSuchBucket" { message = "The specified bucket does not exist" }
        var details: [(String, String)] = []
        if let bucket, ["NoSuchBucket", "BucketNotEmpty", "BucketAlreadyOwnedByYou", "InvalidBucketName"].contains(code) {
            details.append(("BucketName", bucket))
        }
        if let key, code == "NoSuchKey" { details.append(("Key", key)) }
        if code == "PreconditionFailed" { details.append(("Condition", "If-Match")) }
        self.init(status: status, code: code, message: message, details: details)
    }

    static let statusByCode: [String: Int] = [
        "NoSuchBucket": 404, "NoSuchKey": 404, "NoSuchUpload": 404, "BucketNotEmpty": 409,
        "BucketAlreadyOwnedByYou": 409, "BucketAlreadyExists": 409, "InvalidBucketName": 400,
        "InvalidArgument": 400, "InvalidRange": 416, "AccessDenied": 403, "InternalError": 500,
        "PreconditionFailed": 412, "KeyTooLongError": 400,
    ]

    func document(requestId: String, resource: String) -> String {
        XMLWriter(root: "Error", namespace: false) { xml in
            xml.element("Code", code)
            xml.element("Message", message)
            for (name, value) in details { xml.element(name, value) }
            xml.element("Resource", resource)
            xml.element("RequestId", requestId)
        }.text
    }

    static func auth(_ error: AuthError) -> S3Error {
        switch error {
        case .missing:
            S3Error(status: 403, code: "AccessDenied", message: "Access Denied")
        case .malformed(let why):
            S3Error(status: 400, code: "AuthorizationHeaderMalformed", message: "The authorization header is malformed; \(why).")
        case .invalidAccessKeyId(let key):
            S3Error(status: 403, code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records.",
                    details: [("AWSAccessKeyId", key)])
        case .signatureDoesNotMatch(let stringToSign, let canonicalRequest):
            S3Error(status: 403, code: "SignatureDoesNotMatch",
                    message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                    details: [("StringToSign", stringToSign), ("CanonicalRequest", canonicalRequest)])
        case .timeTooSkewed(let requestTime, let serverTime):
            S3Error(status: 403, code: "RequestTimeTooSkewed", message: "The difference between the request time and the current time is too large.",
                    details: [("RequestTime", requestTime.formatted(.iso8601)), ("ServerTime", serverTime.formatted(.iso8601)),
                              ("MaxAllowedSkewMilliseconds", "900000")])
        case .expired(let expires, let now):
            S3Error(status: 403, code: "AccessDenied", message: "Request has expired",
                    details: [("Expires", expires.formatted(.iso8601)), ("ServerTime", now.formatted(.iso8601))])
        case .notYetValid:
            S3Error(status: 403, code: "AccessDenied", message: "Request is not valid yet")
        }
    }
}
