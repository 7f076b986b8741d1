/// A parsed `s3://bucket/key` URI. The key may be empty (a bucket or a prefix).
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://bucket[/key]`; `nil` when the text is not an S3 URI.
    public init?(_ text: String) {
        guard text.hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/") else {
            guard !rest.isEmpty else { return nil }
            self.init(bucket: String(rest), key: "")
            return
        }
        let bucket = String(rest[..<slash])
        guard !bucket.isEmpty else { return nil }
        self.init(bucket: bucket, key: String(rest[rest.index(after: slash)...]))
    }

    public var description: String { "s3://\(bucket)/\(key)" }

    /// The last path segment of the key (`data.csv` for `batch-input/data.csv`).
    public var fileName: String { key.split(separator: "/").last.map(String.init) ?? "" }

    public func appending(_ relativeKey: String) -> S3Location {
        if key.isEmpty || key.hasSuffix("/") { return S3Location(bucket: bucket, key: key + relativeKey) }
        return S3Location(bucket: bucket, key: key + "/" + relativeKey)
    }
}

/// S3's naming rules, checked before anything touches the disk.
public enum S3Names {
    /// Why a bucket name breaks S3's rules, or `nil` when it is valid.
    /// Rules: 3–63 characters; lowercase letters, digits, dots and hyphens; starts and ends with
    /// a letter or digit; no two adjacent dots; not an IP address; no reserved prefixes/suffixes.
    public static func bucketNameProblem(_ name: String) -> String? {
        guard (3...63).contains(name.count) else { return "a bucket name must be 3 to 63 characters long" }
        let allowed = { (byte: UInt8) in (97...122).contains(byte) || (48...57).contains(byte) || byte == 46 || byte == 45 }
        guard name.utf8.allSatisfy(allowed) else {
            return "use only lowercase letters, digits, dots (.) and hyphens (-)"
        }
        guard let first = name.first, let last = name.last, first.isLetter || first.isNumber, last.isLetter || last.isNumber else {
            return "a bucket name must begin and end with a letter or digit"
        }
        if name.contains("..") { return "a bucket name must not contain two adjacent dots" }
        let parts = name.split(separator: ".")
        if parts.count == 4, parts.allSatisfy({ Int($0).map { (0...255).contains($0) } ?? false }) {
            return "a bucket name must not look like an IP address"
        }
        for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] where name.hasPrefix(prefix) {
            return "a bucket name must not start with '\(prefix)'"
        }
        for suffix in ["-s3alias", "--ol-s3", "--x-s3", ".mrap"] where name.hasSuffix(suffix) {
            return "a bucket name must not end with '\(suffix)'"
        }
        return nil
    }

    /// Why a key cannot be stored, or `nil` when it can.
    ///
    /// S3 allows almost any key; InferLab keeps objects as files, so a key must also be a safe
    /// relative path: no empty, `.` or `..` segments, no leading slash, no backslash or NUL, and
    /// no segment longer than the filesystem's 255-byte name limit.
    public static func keyProblem(_ key: String) -> String? {
        let bytes = key.utf8.count
        guard bytes >= 1 else { return "the key is empty" }
        guard bytes <= 1024 else { return "the key is \(bytes) bytes; S3 allows at most 1024" }
        if key.contains("\0") { return "the key contains a NUL character" }
        if key.contains("\\") { return "the key contains a backslash; use / to separate folders" }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "the key contains a control character"
        }
        if key.hasPrefix("/") { return "the key starts with '/'; keys are relative to the bucket" }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "the key has an empty segment ('//' or a trailing '/'); InferLab stores objects as files and cannot keep folder markers" }
            if segment == "." || segment == ".." { return "the key has a '\(segment)' segment, which could reach outside the bucket" }
            if segment.utf8.count > 255 { return "a segment of the key is longer than 255 bytes, the filesystem's limit" }
        }
        return nil
    }
}
