import Crypto
import Foundation
import InferLabEngine
import Synchronization

/// AWS Signature Version 4, checked as AWS checks it: the canonical request rebuilt from what
/// arrived, the signing key derived from the workspace's secret, the signature compared in
/// constant time. Both forms: the `Authorization` header and presigned query strings.
///
/// Written by hand because no package here verifies SigV4 (client libraries only sign), and the
/// rules are short: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html>.
struct SignatureV4 {
    static let algorithm = "AWS4-HMAC-SHA256"
    /// AWS refuses a request whose time is further than this from its own clock.
    static let allowedSkew: TimeInterval = 15 * 60

    let credentials: AccessCredentials

    /// What the signature covers, parsed from the header or the query string.
    struct Claim: Equatable {
        var accessKey: String
        var date: String          // yyyyMMdd, from the scope
        var region: String
        var service: String
        var signedHeaders: [String]
        var signature: String
        var timestamp: String     // yyyyMMdd'T'HHmmss'Z'
        var expires: Int?         // presigned only
    }

    /// Checks a request; returns the claim it was signed with (service, region, access key).
    /// - Parameter payloadHash: the hex SHA-256 of the body, or the `x-amz-content-sha256` value
    ///   (`UNSIGNED-PAYLOAD`, `STREAMING-…`) the client signed instead.
    func verify(_ request: SignedRequest, payloadHash: String, now: Date) throws(AuthError) -> Claim {
        let claim = try Self.claim(of: request)
        guard claim.accessKey == credentials.accessKeyId else { throw .invalidAccessKeyId(claim.accessKey) }
        guard let time = Self.parseTimestamp(claim.timestamp), claim.timestamp.hasPrefix(claim.date) else {
            throw .malformed("X-Amz-Date must be in the form yyyyMMdd'T'HHmmss'Z' and match the credential's date")
        }
        if let expires = claim.expires {
            guard (1...604_800).contains(expires) else {
                throw .malformed("X-Amz-Expires must be between 1 and 604800 seconds")
            }
            if now.timeIntervalSince(time) > Double(expires) { throw .expired(time.addingTimeInterval(Double(expires)), now: now) }
            if time.timeIntervalSince(now) > Self.allowedSkew { throw .notYetValid }
        } else if abs(now.timeIntervalSince(time)) > Self.allowedSkew {
            throw .timeTooSkewed(requestTime: time, serverTime: now)
        }
        guard claim.signedHeaders.contains("host") else { throw .malformed("the signed headers must include host") }
        let canonical = canonicalRequest(request, claim: claim, payloadHash: payloadHash)
        let stringToSign = stringToSign(canonical, claim: claim)
        let expected = signature(of: stringToSign, claim: claim)
        guard Self.constantTimeEquals(expected, claim.signature.lowercased()) else {
            throw .signatureDoesNotMatch(stringToSign: stringToSign, canonicalRequest: canonical)
        }
        return claim
    }

    /// The key that signs a string-to-sign; also the seed of aws-chunked chunk signatures. Derived
    /// once per day, region and service (four HMACs), as clients cache it too.
    func signingKey(date: String, region: String, service: String) -> SymmetricKey {
        let name = "\(credentials.accessKeyId)/\(date)/\(region)/\(service)"
        if let known = SigningKeys.shared.key(name, secret: credentials.secretAccessKey) { return known }
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        SigningKeys.shared.keep(name, secret: credentials.secretAccessKey, key: key)
        return key
    }

    func signature(of stringToSign: String, claim: Claim) -> String {
        let key = signingKey(date: claim.date, region: claim.region, service: claim.service)
        return Hex.string(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    func stringToSign(_ canonicalRequest: String, claim: Claim) -> String {
        [Self.algorithm, claim.timestamp, "\(claim.date)/\(claim.region)/\(claim.service)/aws4_request",
         Hex.string(SHA256.hash(data: Data(canonicalRequest.utf8)))].joined(separator: "\n")
    }

    func canonicalRequest(_ request: SignedRequest, claim: Claim, payloadHash: String) -> String {
        let headers = claim.signedHeaders.map { name in
            "\(name):\(Self.canonicalHeaderValue(request.headers(named: name)))\n"
        }.joined()
        // S3 signs the path as sent; every other service encodes it once more (botocore does).
        let path = request.rawPath.isEmpty ? "/" : request.rawPath
        let uri = claim.service == "s3" ? path : URIEncoding.encode(path, keepSlash: true)
        return [request.method, uri, Self.canonicalQuery(request.queryItems, presigned: claim.expires != nil),
                headers, claim.signedHeaders.joined(separator: ";"), payloadHash].joined(separator: "\n")
    }

    // MARK: Parsing

    static func claim(of request: SignedRequest) throws(AuthError) -> Claim {
        if let header = request.headers(named: "authorization").first {
            return try claim(fromHeader: header, timestamp: request.headers(named: "x-amz-date").first)
        }
        let query = request.queryItems
        if let algorithm = query.first(where: { $0.name == "X-Amz-Algorithm" })?.value {
            guard algorithm == Self.algorithm else { throw .malformed("X-Amz-Algorithm must be \(Self.algorithm)") }
            func value(_ name: String) throws(AuthError) -> String {
                guard let value = query.first(where: { $0.name == name })?.value else {
                    throw .malformed("the presigned URL has no \(name)")
                }
                return value
            }
            var claim = try credentialScope(try value("X-Amz-Credential"))
            claim.signedHeaders = try value("X-Amz-SignedHeaders").split(separator: ";").map(String.init)
            claim.signature = try value("X-Amz-Signature")
            claim.timestamp = try value("X-Amz-Date")
            guard let expires = Int(try value("X-Amz-Expires")) else { throw .malformed("X-Amz-Expires must be a number of seconds") }
            claim.expires = expires
            return claim
        }
        throw .missing
    }

    private static func claim(fromHeader header: String, timestamp: String?) throws(AuthError) -> Claim {
        guard header.hasPrefix(algorithm + " ") else {
            throw .malformed("the Authorization header must start with \(algorithm) (Signature Version 4)")
        }
        var fields: [String: String] = [:]
        for part in header.dropFirst(algorithm.count + 1).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        guard let credential = fields["Credential"], let signed = fields["SignedHeaders"], let signature = fields["Signature"] else {
            throw .malformed("the Authorization header needs Credential, SignedHeaders and Signature")
        }
        guard let timestamp else { throw .malformed("a signed request needs an X-Amz-Date header") }
        var claim = try credentialScope(credential)
        claim.signedHeaders = signed.split(separator: ";").map(String.init)
        claim.signature = signature
        claim.timestamp = timestamp
        return claim
    }

    /// `AKID/20261201/us-east-1/s3/aws4_request`
    private static func credentialScope(_ credential: String) throws(AuthError) -> Claim {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[4] == "aws4_request", parts[1].count == 8 else {
            throw .malformed("the credential must be ACCESS_KEY/yyyyMMdd/REGION/SERVICE/aws4_request, not \(credential)")
        }
        return Claim(accessKey: parts[0], date: parts[1], region: parts[2], service: parts[3],
                     signedHeaders: [], signature: "", timestamp: "", expires: nil)
    }

    // MARK: Canonical forms

    /// Values trimmed, inner runs of spaces made one, several values joined by commas.
    static func canonicalHeaderValue(_ values: [String]) -> String {
        values.map { value in
            value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: ",")
    }

    /// Names and values decoded, then encoded the AWS way, sorted by name then value; a presigned
    /// URL's own signature is left out.
    static func canonicalQuery(_ items: [(name: String, value: String)], presigned: Bool) -> String {
        var pairs: [(name: String, value: String)] = []
        for item in items where !(presigned && item.name == "X-Amz-Signature") {
            pairs.append((URIEncoding.encode(item.name, keepSlash: false), URIEncoding.encode(item.value, keepSlash: false)))
        }
        pairs.sort { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        return pairs.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let digits = Array(text.utf8)
        guard digits.count == 16, digits[8] == UInt8(ascii: "T"), digits[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: digits[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15) else { return nil }
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        components.hour = hour
        components.minute = minute
        components.second = second
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }


    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Derived signing keys, by access key, day, region and service (a few a day).
final class SigningKeys: Sendable {
    static let shared = SigningKeys()
    private let keys = Mutex<[String: (secret: String, key: Data)]>([:])

    func key(_ name: String, secret: String) -> SymmetricKey? {
        keys.withLock { $0[name] }.flatMap { $0.secret == secret ? SymmetricKey(data: $0.key) : nil }
    }

    func keep(_ name: String, secret: String, key: SymmetricKey) {
        let bytes = key.withUnsafeBytes { Data($0) }
        keys.withLock { keys in
            if keys.count > 64 { keys.removeAll() }
            keys[name] = (secret, bytes)
        }
    }
}

/// The parts of an HTTP request a signature covers, as they arrived.
struct SignedRequest {
    var method: String
    /// The path as sent, still percent-encoded.
    var rawPath: String
    /// The query string as sent, without `?`.
    var rawQuery: String
    /// The query decoded, once: the signature checks and S3's routing all read it.
    var queryItems: [(name: String, value: String)]
    /// Header values by lower-cased name, in the order they came.
    var headerValues: [String: [String]]

    func headers(named name: String) -> [String] { headerValues[name] ?? [] }
}
