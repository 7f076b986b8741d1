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

    private static let command = S3APIBucketCommands.command

    static let headObject = command("head-object", "HeadObject", "Show an object's metadata (HeadObject)", "",
                                    ["aws s3api head-object --bucket loan-lab --key batch-input/data.csv"]) { request, engine in
        S3APIRendering.headObject(try S3Operations.HeadObject.run(HeadObjectInput(bucket: request.required("Bucket"), key: request.required("Key")),
                                                                  on: engine))
    }

    static let listObjectsV2 = command("list-objects-v2", "ListObjectsV2", "List one page of objects (ListObjectsV2)", """
        Prints one page, as the API returns it: pass NextContinuationToken back with --continuation-token \
        for the next. The prefix is a raw string prefix; --delimiter / groups keys into CommonPrefixes.
        """, ["aws s3api list-objects-v2 --bucket loan-lab --prefix batch-input/ --max-keys 2"]) { request, engine in
        let input = ListObjectsV2Input(
            bucket: request.required("Bucket"), delimiter: request.string("Delimiter"), maxKeys: request.int("MaxKeys"),
            prefix: request.string("Prefix"), continuationToken: request.string("ContinuationToken"), startAfter: request.string("StartAfter"))
        return S3APIRendering.listObjectsV2(try S3Operations.ListObjectsV2.run(input, on: engine))
    }

    /// `get-object … OUTFILE`: the body goes to the file, the metadata is printed, as the CLI does.
    static let getObject = AWSCommand.makeRaw(
        .s3api, "get-object", api: AWSModels.operation("s3", "GetObject")!, summary: "Download an object to a file (GetObject)",
        notes: notes.merging(["Range": MemberNote("only these bytes (HTTP Range: bytes=A-B)", placeholder: "bytes=A-B")]) { $1 },
        arguments: [ArgumentSpec("OUTFILE", help: "where the body is written", completion: .localPath)],
        examples: ["aws s3api get-object --bucket loan-lab --key batch-output/data.csv.out predictions.csv"]
    ) { json, invocation in
        let request = APIRequest(json: json)
        let range = request.string("Range")
        if let range { try checkRange(range, spec: invocation.spec) }
        let output = try S3Operations.GetObject.run(
            GetObjectInput(bucket: request.required("Bucket"), key: request.required("Key"), range: range), on: invocation.session.engine)
        let body = try output.body.readAll()
        try body.write(to: invocation.localURL(invocation.arguments[0], for: .writing), options: .atomic)
        return S3APIRendering.getObject(output)
    }

    static let putObject = command("put-object", "PutObject", "Upload a file as an object (PutObject)",
                                   "--body is a path to a file (omit it for an empty object); --metadata takes KEY=VALUE,... (x-amz-meta-*).",
                                   ["aws s3api put-object --bucket loan-lab --key async-input/request-1.csv --body datasets/loans/async/request-1.csv"]) { request, engine in
        let body: ObjectPayload = request.string("Body").map { .file(URL(fileURLWithPath: $0)) } ?? .data(Data())
        let output = try await engine.call(S3Operations.PutObject.self, PutObjectInput(
            bucket: request.required("Bucket"), key: request.required("Key"), body: body,
            contentType: request.string("ContentType") ?? "binary/octet-stream", metadata: request.map("Metadata")))
        return S3APIRendering.eTag(output)
    }

    static let deleteObject = command("delete-object", "DeleteObject", "Delete an object (DeleteObject)",
                                      "Prints nothing on success, and succeeds for a key that does not exist, as S3 does.",
                                      ["aws s3api delete-object --bucket loan-lab --key batch-input/data.csv"]) { request, engine in
        _ = try S3Operations.DeleteObject.run(ObjectInput(bucket: request.required("Bucket"), key: request.required("Key")), on: engine)
        return nil
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
}
