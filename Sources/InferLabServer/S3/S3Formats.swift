import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

/// S3's ways of writing dates, ETags, object headers and conditions on the wire.
enum S3Formats {

    /// The headers of HeadObject and GetObject (the ETag already quoted).
    static func objectHeaders(eTag: String, lastModified: Date, contentType: String, metadata: [String: String]) -> HTTPFields {
        var headers = HTTPFields()
        headers[.eTag] = eTag
        headers[.lastModified] = WireFormats.httpDate(lastModified)
        headers[.contentType] = contentType
        headers[.acceptRanges] = "bytes"
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name("x-amz-meta-\(name)") { headers[field] = value }
        }
        return headers
    }

    /// If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since (CopyObject's with the
    /// `x-amz-copy-source-` prefix); a date that does not parse is ignored, as S3 does.
    /// The stored checksums, when the client asked for them (`x-amz-checksum-mode: ENABLED`), with
    /// `x-amz-checksum-type: FULL_OBJECT`, as S3 answers a whole-object GET or HEAD.
    static func addChecksums(_ checksums: [String: String], to headers: inout HTTPFields, _ s3: S3Request) {
        guard !checksums.isEmpty, s3.header("x-amz-checksum-mode")?.uppercased() == "ENABLED" else { return }
        for (name, value) in checksums.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        headers[HTTPField.Name("x-amz-checksum-type")!] = "FULL_OBJECT"
    }

    static func conditions(_ s3: S3Request, prefix: String = "") -> ObjectConditions {
        ObjectConditions(ifMatch: s3.header(prefix + "if-match"),
                         ifModifiedSince: s3.header(prefix + "if-modified-since").flatMap(WireFormats.parseHTTPDate),
                         ifNoneMatch: s3.header(prefix + "if-none-match"),
                         ifUnmodifiedSince: s3.header(prefix + "if-unmodified-since").flatMap(WireFormats.parseHTTPDate))
    }
}
