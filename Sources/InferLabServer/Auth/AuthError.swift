import Foundation

/// Why a request's signature was refused. Each service's front end words it in its own error
/// format (S3's XML documents; JSON services' `__type`).
enum AuthError: Error, Equatable {
    /// No `Authorization` header and no presigned query.
    case missing
    case malformed(String)
    case invalidAccessKeyId(String)
    case signatureDoesNotMatch(stringToSign: String, canonicalRequest: String)
    case timeTooSkewed(requestTime: Date, serverTime: Date)
    case expired(Date, now: Date)
    case notYetValid
}
