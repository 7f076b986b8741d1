import Foundation
import InferLabEngine

/// `aws s3api head-object`, `list-objects-v2`, `get-object`, `put-object`, `delete-object`:
/// the API operations themselves, printing their response shapes as JSON.
enum S3APICommands {
    static var all: [CommandSpec] { [headObject, listObjectsV2, getObject, putObject, deleteObject] }

    static let bucket = OptionSpec("bucket", placeholder: "BUCKET", help: "the bucket name", isRequired: true,
                                   completion: .dynamic { session, _ in (try? session.engine.store.listBuckets().map(\.name)) ?? [] })
    static let key = OptionSpec("key", placeholder: "KEY", help: "the object key", isRequired: true)

    static let headObject = CommandSpec(
        ["s3api", "head-object"], family: .s3api, summary: "Show an object's metadata (HeadObject)",
        options: [bucket, key], examples: ["aws s3api head-object --bucket loan-lab --key batch-input/data.csv"]
    ) { invocation in
        let info = try invocation.session.engine.store.headObject(bucket: invocation.value("bucket")!, key: invocation.value("key")!)
        invocation.console.print(objectMetadata(info, range: nil).rendered())
    }

    static let listObjectsV2 = CommandSpec(
        ["s3api", "list-objects-v2"], family: .s3api, summary: "List one page of objects (ListObjectsV2)",
        discussion: """
        Prints one page, as the API returns it: pass NextContinuationToken back with --continuation-token \
        for the next. The prefix is a raw string prefix; --delimiter / groups keys into CommonPrefixes.
        """,
        options: [bucket,
                  OptionSpec("prefix", placeholder: "PREFIX", help: "only keys that begin with this"),
                  OptionSpec("delimiter", placeholder: "CHAR", help: "group keys at this character into CommonPrefixes"),
                  OptionSpec("max-keys", placeholder: "N", help: "at most N keys and prefixes (default 1000)"),
                  OptionSpec("start-after", placeholder: "KEY", help: "only keys after this one"),
                  OptionSpec("continuation-token", placeholder: "TOKEN", help: "the NextContinuationToken of the previous page")],
        examples: ["aws s3api list-objects-v2 --bucket loan-lab --prefix batch-input/ --max-keys 2"]
    ) { invocation in
        let request = ListObjectsRequest(
            bucket: invocation.value("bucket")!, prefix: invocation.value("prefix") ?? "",
            delimiter: invocation.value("delimiter"), startAfter: invocation.value("start-after"),
            continuationToken: invocation.value("continuation-token"), maxKeys: try invocation.integer("max-keys") ?? 1000)
        let page = try invocation.session.engine.store.listObjects(request)
        var members: [(String, JSONValue)] = [("IsTruncated", .bool(page.isTruncated))]
        if !page.contents.isEmpty {
            members.append(("Contents", .array(page.contents.map { object in
                .object([("Key", .string(object.key)), ("LastModified", .string(S3Formatting.isoDate(object.lastModified))),
                         ("ETag", .string("\"\(object.etag)\"")), ("Size", .int(object.size)), ("StorageClass", .string("STANDARD"))])
            })))
        }
        members += [("Name", .string(request.bucket)), ("Prefix", .string(request.prefix))]
        if let delimiter = request.delimiter { members.append(("Delimiter", .string(delimiter))) }
        members.append(("MaxKeys", .int(Int64(request.maxKeys))))
        if !page.commonPrefixes.isEmpty {
            members.append(("CommonPrefixes", .array(page.commonPrefixes.map { .object([("Prefix", .string($0))]) })))
        }
        members.append(("KeyCount", .int(Int64(page.keyCount))))
        if let token = request.continuationToken { members.append(("ContinuationToken", .string(token))) }
        if let token = page.nextContinuationToken { members.append(("NextContinuationToken", .string(token))) }
        if let startAfter = request.startAfter { members.append(("StartAfter", .string(startAfter))) }
        invocation.console.print(JSONValue.object(members).rendered())
    }

    static let getObject = CommandSpec(
        ["s3api", "get-object"], family: .s3api, summary: "Download an object to a file (GetObject)",
        arguments: [ArgumentSpec("OUTFILE", help: "where the body is written", completion: .localPath)],
        options: [bucket, key, OptionSpec("range", placeholder: "bytes=A-B", help: "only these bytes (HTTP Range)")],
        examples: ["aws s3api get-object --bucket loan-lab --key batch-output/data.csv.out predictions.csv"]
    ) { invocation in
        let store = invocation.session.engine.store
        let bucketName = invocation.value("bucket")!, keyName = invocation.value("key")!
        let info = try store.headObject(bucket: bucketName, key: keyName)
        let range = try invocation.value("range").map { try parseRange($0, size: info.size, spec: invocation.spec) }
        let body = try store.readObject(bucket: bucketName, key: keyName, range: range)
        try body.write(to: URL(fileURLWithPath: invocation.arguments[0]), options: .atomic)
        invocation.console.print(objectMetadata(info, range: range.map { ($0, info.size) }, length: Int64(body.count)).rendered())
    }

    static let putObject = CommandSpec(
        ["s3api", "put-object"], family: .s3api, summary: "Upload a file as an object (PutObject)",
        options: [bucket, key,
                  OptionSpec("body", placeholder: "FILE", help: "the file to upload (omit for an empty object)", completion: .localPath),
                  OptionSpec("content-type", placeholder: "TYPE", help: "the object's Content-Type"),
                  OptionSpec("metadata", placeholder: "KEY=VALUE,...", help: "user metadata (x-amz-meta-*)")],
        examples: ["aws s3api put-object --bucket loan-lab --key async-input/request-1.csv --body datasets/loans/async/request-1.csv"]
    ) { invocation in
        let body: ObjectBody
        if let path = invocation.value("body") {
            guard FileManager.default.fileExists(atPath: path) else {
                throw CLIFailure("Error parsing parameter '--body': Blob values must be a path to a file. File does not exist: \(path)",
                                 exitCode: ExitCode.usage)
            }
            body = .file(URL(fileURLWithPath: path))
        } else {
            body = .data(Data())
        }
        let metadata = try parseMetadata(invocation.value("metadata"), spec: invocation.spec)
        let info = try invocation.session.engine.store.putObject(
            bucket: invocation.value("bucket")!, key: invocation.value("key")!, body: body,
            contentType: invocation.value("content-type") ?? "binary/octet-stream", metadata: metadata)
        invocation.console.print(JSONValue.object([("ETag", .string("\"\(info.etag)\""))]).rendered())
    }

    static let deleteObject = CommandSpec(
        ["s3api", "delete-object"], family: .s3api, summary: "Delete an object (DeleteObject)",
        discussion: "Prints nothing on success, and succeeds for a key that does not exist, as S3 does.",
        options: [bucket, key], examples: ["aws s3api delete-object --bucket loan-lab --key batch-input/data.csv"]
    ) { invocation in
        try invocation.session.engine.store.deleteObject(bucket: invocation.value("bucket")!, key: invocation.value("key")!)
    }

    static func objectMetadata(_ info: ObjectInfo, range: (ClosedRange<Int64>, Int64)?, length: Int64? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("AcceptRanges", .string("bytes")),
            ("LastModified", .string(S3Formatting.isoDate(info.lastModified))),
            ("ContentLength", .int(length ?? info.size)),
            ("ETag", .string("\"\(info.etag)\"")),
        ]
        if let (bytes, total) = range {
            members.append(("ContentRange", .string("bytes \(bytes.lowerBound)-\(min(bytes.upperBound, total - 1))/\(total)")))
        }
        members.append(("ContentType", .string(info.contentType)))
        members.append(("Metadata", .object(info.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        return .object(members)
    }

    /// `bytes=0-99`, `bytes=100-` or `bytes=-50` (the last 50 bytes).
    static func parseRange(_ text: String, size: Int64, spec: CommandSpec) throws -> ClosedRange<Int64> {
        let bad = ShellError.usage("--range must look like bytes=0-99, bytes=100- or bytes=-50, not '\(text)'", command: spec)
        guard text.hasPrefix("bytes=") else { throw bad }
        let parts = text.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw bad }
        if parts[0].isEmpty {
            guard let suffix = Int64(parts[1]), suffix > 0 else { throw bad }
            return max(0, size - suffix)...max(0, size - 1)
        }
        guard let start = Int64(parts[0]) else { throw bad }
        let end = parts[1].isEmpty ? size - 1 : (Int64(parts[1]) ?? -1)
        guard end >= start else { throw bad }
        guard start < size else { throw AWSError.invalidRange(operation: "GetObject") }
        return start...end
    }

    static func parseMetadata(_ text: String?, spec: CommandSpec) throws -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var metadata: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else {
                throw ShellError.usage("--metadata takes KEY=VALUE pairs separated by commas, not '\(pair)'", command: spec)
            }
            metadata[String(parts[0]).lowercased()] = String(parts[1])
        }
        return metadata
    }
}
