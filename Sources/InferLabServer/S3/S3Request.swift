import Foundation
import HTTPTypes
import Hummingbird

/// An S3 request as addressed: bucket and key from the path (`/bucket/key`) or, in
/// virtual-host style, from the host (`bucket.localhost:PORT/key`); the query decoded.
struct S3Request {
    let method: HTTPRequest.Method
    let bucket: String?
    let key: String?
    let query: [String: String]
    let headers: HTTPFields
    /// Set once the signature is checked, for a body signed chunk by chunk.
    var chunkSigning: ChunkSigning?
    /// `/bucket/key`, for error documents.
    var resource: String { "/" + [bucket, key].compactMap { $0 }.joined(separator: "/") }

    init(_ request: Request, exchange: HTTPExchange) throws {
        method = request.method
        headers = request.headers
        var pairs: [String: String] = [:]
        for (name, value) in exchange.queryItems { pairs[name] = value }
        query = pairs
        guard let path = URIEncoding.decode(Substring(exchange.rawPath)) else {
            throw S3Error(status: 400, code: "InvalidURI", message: "Couldn't parse the specified URI.")
        }
        let rest = Substring(path.hasPrefix("/") ? String(path.dropFirst()) : path)
        if let host = Self.virtualHostBucket(exchange.host) {
            bucket = host
            key = rest.isEmpty ? nil : String(rest)
        } else if let slash = rest.firstIndex(of: "/") {
            bucket = String(rest[..<slash])
            let tail = rest[rest.index(after: slash)...]
            key = tail.isEmpty ? nil : String(tail)
        } else {
            bucket = rest.isEmpty ? nil : String(rest)
            key = nil
        }
    }

    /// `loan-lab.localhost:4566` → `loan-lab` (also `loan-lab.s3.localhost`); nil for path style.
    static func virtualHostBucket(_ host: String?) -> String? {
        guard var name = host?.split(separator: ":").first.map(String.init)?.lowercased() else { return nil }
        for suffix in [".s3.localhost", ".localhost"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
            return name.isEmpty ? nil : name
        }
        return nil
    }

    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }

    /// `x-amz-meta-*` headers, names lower-cased without the prefix, as S3 keeps them.
    var userMetadata: [String: String] {
        var metadata: [String: String] = [:]
        for field in headers where field.name.canonicalName.hasPrefix("x-amz-meta-") {
            metadata[String(field.name.canonicalName.dropFirst("x-amz-meta-".count))] = field.value
        }
        return metadata
    }
}

/// What arrived, before any service looks at it: method, raw path and query, host, headers.
struct HTTPExchange {
    let method: String
    let rawPath: String
    let rawQuery: String
    let queryItems: [(name: String, value: String)]
    let host: String?
    let headerValues: [String: [String]]

    init(_ request: Request) {
        let target = request.head.path ?? "/"
        if let mark = target.firstIndex(of: "?") {
            rawPath = String(target[..<mark])
            rawQuery = String(target[target.index(after: mark)...])
        } else {
            rawPath = target
            rawQuery = ""
        }
        queryItems = URIEncoding.queryItems(rawQuery)
        method = request.method.rawValue
        host = request.head.authority
        var values: [String: [String]] = [:]
        for field in request.headers { values[field.name.canonicalName, default: []].append(field.value) }
        if values["host"] == nil, let host { values["host"] = [host] }
        headerValues = values
    }

    var signed: SignedRequest {
        SignedRequest(method: method, rawPath: rawPath, rawQuery: rawQuery, queryItems: queryItems, headerValues: headerValues)
    }
}
