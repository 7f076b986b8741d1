import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

/// S3's ways of writing dates, ETags, ranges and object headers.
enum S3Formats {
    /// The kit is one region (see `inferlab env`).
    static let region = "us-east-1"
    static let ownerId = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"

    /// `2026-12-01T20:00:00.000Z`, as S3's XML bodies write times.
    static func iso8601(_ date: Date) -> String { WireFormats.iso8601(date) }

    /// `Tue, 01 Dec 2026 20:00:00 GMT`, as HTTP headers write times.
    static func httpDate(_ date: Date) -> String { WireFormats.httpDate(date) }

    static func parseHTTPDate(_ text: String) -> Date? { WireFormats.parseHTTPDate(text) }

    static func quoted(_ etag: String) -> String { "\"\(etag)\"" }

    /// The headers of HeadObject and GetObject.
    static func objectHeaders(_ info: ObjectInfo) -> HTTPFields {
        var headers = HTTPFields()
        headers[.eTag] = quoted(info.etag)
        headers[.lastModified] = httpDate(info.lastModified)
        headers[.contentType] = info.contentType
        headers[.acceptRanges] = "bytes"
        for (name, value) in info.metadata.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name("x-amz-meta-\(name)") { headers[field] = value }
        }
        return headers
    }

    enum ByteRange: Equatable {
        case whole
        case bytes(ClosedRange<Int64>)
        case unsatisfiable
    }

    /// `bytes=0-99`, `bytes=100-`, `bytes=-100`, clamped to the object. A header S3 does not
    /// understand (several ranges, another unit) is ignored, as S3 does: the whole object.
    static func byteRange(_ header: String, size: Int64) -> ByteRange {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return .whole }
        let parts = header.dropFirst("bytes=".count).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .whole }
        if parts[0].isEmpty {
            guard let suffix = Int64(parts[1]), suffix > 0, size > 0 else { return .unsatisfiable }
            return .bytes(max(0, size - suffix)...(size - 1))
        }
        guard let start = Int64(parts[0]) else { return .whole }
        guard start < size else { return .unsatisfiable }
        guard let end = parts[1].isEmpty ? size - 1 : Int64(parts[1]).map({ min($0, size - 1) }), end >= start else { return .whole }
        return .bytes(start...end)
    }
}

/// If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since, with S3's precedence.
enum S3Conditions {
    static func check(_ s3: S3Request, _ info: ObjectInfo) throws {
        try check(s3, info, prefix: "")
    }

    /// CopyObject's `x-amz-copy-source-if-*` headers.
    static func checkCopySource(_ s3: S3Request, _ info: ObjectInfo) throws {
        try check(s3, info, prefix: "x-amz-copy-source-")
    }

    private static func check(_ s3: S3Request, _ info: ObjectInfo, prefix: String) throws {
        let etag = S3Formats.quoted(info.etag)
        let matches = { (header: String) in header.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*" } }
        let failed = S3Error(status: 412, code: "PreconditionFailed", message: "At least one of the pre-conditions you specified did not hold",
                             details: [("Condition", "If-Match")])
        let modified = info.lastModified.timeIntervalSince1970.rounded(.down)
        if let header = s3.header(prefix + "if-match") {
            guard matches(header) else { throw failed }
        } else if let header = s3.header(prefix + "if-unmodified-since"), let date = S3Formats.parseHTTPDate(header),
                  modified > date.timeIntervalSince1970 {
            throw failed
        }
        if let header = s3.header(prefix + "if-none-match") {
            if matches(header) { throw prefix.isEmpty ? S3Error(status: 304, code: "NotModified", message: "") : failed }
        } else if let header = s3.header(prefix + "if-modified-since"), let date = S3Formats.parseHTTPDate(header),
                  modified <= date.timeIntervalSince1970 {
            throw prefix.isEmpty ? S3Error(status: 304, code: "NotModified", message: "") : failed
        }
    }
}
