/// Guesses a content type from a key's extension, as the AWS CLI does when uploading (it uses
/// Python's mimetypes; unknown extensions get S3's default, `binary/octet-stream`).
public enum ContentTypes {
    static let byExtension: [String: String] = [
        "csv": "text/csv", "txt": "text/plain", "json": "application/json", "jsonl": "binary/octet-stream",
        "gz": "application/gzip", "tar": "application/x-tar", "zip": "application/zip", "md": "text/markdown",
        "html": "text/html", "xml": "application/xml", "yaml": "application/yaml", "yml": "application/yaml",
        "parquet": "binary/octet-stream", "out": "binary/octet-stream", "png": "image/png", "jpg": "image/jpeg",
    ]

    public static func guess(forKey key: String) -> String {
        let name = key.split(separator: "/").last.map(String.init) ?? key
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "binary/octet-stream" }
        return byExtension[name[name.index(after: dot)...].lowercased()] ?? "binary/octet-stream"
    }
}
