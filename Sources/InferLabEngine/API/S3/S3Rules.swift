import Foundation

/// S3's rules for ranges and conditional requests, as the service applies them.
public enum S3Rules {
    public enum ByteRange: Equatable, Sendable {
        case whole
        case bytes(ClosedRange<Int64>)
        case unsatisfiable
    }

    /// `bytes=0-99`, `bytes=100-`, `bytes=-100`, clamped to the object. A header S3 does not
    /// understand (several ranges, another unit) is ignored, as S3 does: the whole object.
    public static func byteRange(_ header: String, size: Int64) -> ByteRange {
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

    /// If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since, with S3's precedence.
    /// A failed condition is `PreconditionFailed` (412), or `NotModified` (304) for If-None-Match
    /// and If-Modified-Since — which a copy source reports as PreconditionFailed too.
    static func check(_ conditions: ObjectConditions, _ info: ObjectInfo, operation: String, copySource: Bool = false) throws {
        let etag = "\"\(info.etag)\""
        let matches = { (header: String) in
            header.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*" }
        }
        let failed = AWSError(code: "PreconditionFailed", message: "At least one of the pre-conditions you specified did not hold",
                              operation: operation, httpStatus: 412)
        let notModified = copySource ? failed : AWSError(code: "NotModified", message: "Not Modified", operation: operation, httpStatus: 304)
        let modified = info.lastModified.timeIntervalSince1970.rounded(.down)
        if let header = conditions.ifMatch {
            guard matches(header) else { throw failed }
        } else if let date = conditions.ifUnmodifiedSince, modified > date.timeIntervalSince1970 {
            throw failed
        }
        if let header = conditions.ifNoneMatch {
            if matches(header) { throw notModified }
        } else if let date = conditions.ifModifiedSince, modified <= date.timeIntervalSince1970 {
            throw notModified
        }
    }
}
