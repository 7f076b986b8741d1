import Foundation
import InferLabEngine

/// `aws s3api head-object`, `list-objects-v2`, `get-object`, `put-object`, `delete-object`:
/// front ends of the engine's S3 entries, printing their outputs as the AWS CLI's JSON.
enum S3APICommands {
    static var all: [CommandSpec] { [headObject, listObjectsV2, getObject, putObject, deleteObject] }

    /// Help and completion for the generated s3api options.
    static let notes: [String: MemberNote] = [
        "Bucket": MemberNote("the bucket name", completion: bucketNames),
        "Key": MemberNote("the object key"),
        "Body": MemberNote("the file to upload", completion: .localPath, placeholder: "FILE"),
        "CopySource": MemberNote("the source as BUCKET/KEY"),
    ]

    static let bucketNames = CompletionSource.dynamic { session, _ in
        (try? S3Operations.ListBuckets.run(ListBucketsInput(), on: session.engine).buckets.map(\.name)) ?? []
    }

    static let bucket = OptionSpec("bucket", placeholder: "BUCKET", help: "the bucket name", isRequired: true,
                                   completion: .dynamic { session, _ in
                                       (try? S3Operations.ListBuckets.run(ListBucketsInput(), on: session.engine).buckets.map(\.name)) ?? []
                                   })
    static let key = OptionSpec("key", placeholder: "KEY", help: "the object key", isRequired: true)

    static let headObject = CommandSpec(
        ["s3api", "head-object"], family: .s3api, summary: "Show an object's metadata (HeadObject)",
        options: [bucket, key], examples: ["aws s3api head-object --bucket loan-lab --key batch-input/data.csv"]
    ) { invocation in
        let output = try S3Operations.HeadObject.run(HeadObjectInput(bucket: invocation.value("bucket")!, key: invocation.value("key")!),
                                                     on: invocation.session.engine)
        invocation.console.print(S3APIRendering.headObject(output).rendered())
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
        let input = ListObjectsV2Input(
            bucket: invocation.value("bucket")!, delimiter: invocation.value("delimiter"), maxKeys: try invocation.integer("max-keys"),
            prefix: invocation.value("prefix"), continuationToken: invocation.value("continuation-token"),
            startAfter: invocation.value("start-after"))
        let output = try S3Operations.ListObjectsV2.run(input, on: invocation.session.engine)
        invocation.console.print(S3APIRendering.listObjectsV2(output).rendered())
    }

    static let getObject = CommandSpec(
        ["s3api", "get-object"], family: .s3api, summary: "Download an object to a file (GetObject)",
        arguments: [ArgumentSpec("OUTFILE", help: "where the body is written", completion: .localPath)],
        options: [bucket, key, OptionSpec("range", placeholder: "bytes=A-B", help: "only these bytes (HTTP Range)")],
        examples: ["aws s3api get-object --bucket loan-lab --key batch-output/data.csv.out predictions.csv"]
    ) { invocation in
        let range = invocation.value("range")
        if let range { try checkRange(range, spec: invocation.spec) }
        let output = try S3Operations.GetObject.run(
            GetObjectInput(bucket: invocation.value("bucket")!, key: invocation.value("key")!, range: range), on: invocation.session.engine)
        let body = try output.body.readAll()
        try body.write(to: URL(fileURLWithPath: invocation.arguments[0]), options: .atomic)
        invocation.console.print(S3APIRendering.getObject(output).rendered())
    }

    static let putObject = CommandSpec(
        ["s3api", "put-object"], family: .s3api, summary: "Upload a file as an object (PutObject)",
        options: [bucket, key,
                  OptionSpec("body", placeholder: "FILE", help: "the file to upload (omit for an empty object)", completion: .localPath),
                  OptionSpec("content-type", placeholder: "TYPE", help: "the object's Content-Type"),
                  OptionSpec("metadata", placeholder: "KEY=VALUE,...", help: "user metadata (x-amz-meta-*)")],
        examples: ["aws s3api put-object --bucket loan-lab --key async-input/request-1.csv --body datasets/loans/async/request-1.csv"]
    ) { invocation in
        let body: ObjectPayload
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
        let output = try await invocation.session.engine.call(S3Operations.PutObject.self, PutObjectInput(
            bucket: invocation.value("bucket")!, key: invocation.value("key")!, body: body,
            contentType: invocation.value("content-type") ?? "binary/octet-stream", metadata: metadata))
        invocation.console.print(S3APIRendering.eTag(output).rendered())
    }

    static let deleteObject = CommandSpec(
        ["s3api", "delete-object"], family: .s3api, summary: "Delete an object (DeleteObject)",
        discussion: "Prints nothing on success, and succeeds for a key that does not exist, as S3 does.",
        options: [bucket, key], examples: ["aws s3api delete-object --bucket loan-lab --key batch-input/data.csv"]
    ) { invocation in
        _ = try S3Operations.DeleteObject.run(ObjectInput(bucket: invocation.value("bucket")!, key: invocation.value("key")!),
                                              on: invocation.session.engine)
    }

    /// `bytes=0-99`, `bytes=100-` or `bytes=-50` (the last 50 bytes); S3 would ignore any other
    /// form, so the shell says it is wrong instead. Whether it fits the object is S3's to say.
    static func checkRange(_ text: String, spec: CommandSpec) throws {
        let bad = ShellError.usage("--range must look like bytes=0-99, bytes=100- or bytes=-50, not '\(text)'", command: spec)
        guard text.hasPrefix("bytes=") else { throw bad }
        let parts = text.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw bad }
        if parts[0].isEmpty {
            guard let suffix = Int64(parts[1]), suffix > 0 else { throw bad }
            return
        }
        guard let start = Int64(parts[0]) else { throw bad }
        guard parts[1].isEmpty || (Int64(parts[1]).map { $0 >= start } ?? false) else { throw bad }
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
