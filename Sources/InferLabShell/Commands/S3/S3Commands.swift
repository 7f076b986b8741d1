import Foundation
import InferLabEngine

/// `aws s3 mb`, `rb`, `ls`: buckets and listings, with the AWS CLI's output, on the engine's S3
/// entries (CreateBucket, DeleteBucket, ListBuckets, ListObjectsV2, DeleteObject), as the CLI calls them.
enum S3Commands {
    static var all: [CommandSpec] { [mb, rb, ls] + S3TransferCommands.all + [S3ViewCommands.head] }

    static let bucketArgument = ArgumentSpec("S3_URI", help: "s3://bucket", completion: .s3Path)

    static let mb = CommandSpec(
        ["s3", "mb"], family: .s3, summary: "Make a bucket",
        discussion: """
        Bucket names follow S3's rules: 3–63 characters of lowercase letters, digits, dots and hyphens, \
        beginning and ending with a letter or digit. Making a bucket you already have fails with \
        BucketAlreadyOwnedByYou (AWS's us-east-1 region answers success instead; InferLab follows the other regions).
        """,
        arguments: [bucketArgument], examples: ["aws s3 mb s3://loan-lab"]
    ) { invocation in
        let location = try s3Location(invocation.arguments[0], spec: invocation.spec)
        do {
            _ = try S3Operations.CreateBucket.run(BucketInput(bucket: location.bucket), on: invocation.session.engine)
            invocation.console.print("make_bucket: \(location.bucket)")
        } catch let error as AWSError {
            throw CLIFailure("make_bucket failed: s3://\(location.bucket) \(error.renderedMessage)", hint: error.hint)
        }
    }

    static let rb = CommandSpec(
        ["s3", "rb"], family: .s3, summary: "Remove an empty bucket (--force empties it first)",
        arguments: [bucketArgument],
        options: [.flag("force", help: "delete every object in the bucket first")],
        examples: ["aws s3 rb s3://loan-lab", "aws s3 rb s3://loan-lab --force"]
    ) { invocation in
        let location = try s3Location(invocation.arguments[0], spec: invocation.spec)
        let engine = invocation.session.engine
        do {
            if invocation.flag("force") {
                var listing = ListObjectsV2Input(bucket: location.bucket)
                repeat {
                    let page = try S3Operations.ListObjectsV2.run(listing, on: engine)
                    for object in page.contents {
                        _ = try S3Operations.DeleteObject.run(ObjectInput(bucket: location.bucket, key: object.key), on: engine)
                        invocation.console.print("delete: s3://\(location.bucket)/\(object.key)")
                    }
                    listing.continuationToken = page.isTruncated ? page.nextContinuationToken : nil
                } while listing.continuationToken != nil
            }
            _ = try S3Operations.DeleteBucket.run(BucketInput(bucket: location.bucket), on: engine)
            invocation.console.print("remove_bucket: \(location.bucket)")
        } catch let error as AWSError {
            throw CLIFailure("remove_bucket failed: s3://\(location.bucket) \(error.renderedMessage)", hint: error.hint)
        }
    }

    static let ls = CommandSpec(
        ["s3", "ls"], family: .s3, summary: "List buckets, or the objects and prefixes under an S3 URI",
        discussion: """
        The prefix is a raw string, as on S3: `s3://b/test` also matches `test_output/…`. Without \
        --recursive, keys are grouped at the next `/` into `PRE` lines. Like the AWS CLI, it exits with \
        status 1 when a prefix matches nothing.
        """,
        arguments: [ArgumentSpec("S3_URI", help: "s3://bucket[/prefix]; omit to list buckets", isOptional: true, completion: .s3Path)],
        options: [.flag("recursive", help: "list every object under the prefix"),
                  .flag("human-readable", help: "sizes as KiB, MiB, GiB"),
                  .flag("summarize", help: "print the total number of objects and their size")],
        examples: ["aws s3 ls", "aws s3 ls s3://loan-lab", "aws s3 ls s3://loan-lab --recursive --human-readable --summarize"]
    ) { invocation in
        let engine = invocation.session.engine
        let console = invocation.console
        guard let uri = invocation.argument(0) else {
            for bucket in try S3Operations.ListBuckets.run(ListBucketsInput(), on: engine).buckets {
                console.print("\(S3Formatting.listingDate(bucket.creationDate)) \(bucket.name)")
            }
            return
        }
        let location = try s3Location(uri, spec: invocation.spec)
        let recursive = invocation.flag("recursive")
        let human = invocation.flag("human-readable")
        var request = ListObjectsV2Input(bucket: location.bucket, delimiter: recursive ? nil : "/", prefix: location.key)
        // Names are shown relative to the last `/` of the prefix, as the AWS CLI does.
        let shownFrom = recursive ? "" : location.key.range(of: "/", options: .backwards).map { String(location.key[..<$0.upperBound]) } ?? ""
        var count = 0
        var total: Int64 = 0
        var shownAnything = false
        while true {
            let page = try S3Operations.ListObjectsV2.run(request, on: engine)
            for prefix in page.commonPrefixes {
                console.print(String(repeating: " ", count: 27) + "PRE " + String(prefix.prefix.dropFirst(shownFrom.count)))
            }
            for object in page.contents {
                let size = human ? S3Formatting.humanSize(object.size) : String(object.size)
                let padded = String(repeating: " ", count: max(0, 10 - size.count)) + size
                console.print("\(S3Formatting.listingDate(object.lastModified)) \(padded) \(object.key.dropFirst(shownFrom.count))")
                count += 1
                total += object.size
            }
            shownAnything = shownAnything || page.keyCount > 0
            guard page.isTruncated, let token = page.nextContinuationToken else { break }
            request.continuationToken = token
        }
        if !shownAnything && !location.key.isEmpty {
            throw CLIFailure("", exitCode: ExitCode.failure)  // silent, as the AWS CLI
        }
        if invocation.flag("summarize") {
            console.print()
            console.print("Total Objects: \(count)")
            console.print("   Total Size: \(human ? S3Formatting.humanSize(total) : String(total))")
        }
    }

    /// Parses an `s3://` argument or explains the expected form.
    static func s3Location(_ text: String, spec: CommandSpec) throws -> S3Location {
        guard let location = S3Location(text) else {
            throw ShellError.usage("'\(text)' is not an S3 URI; write s3://bucket[/key]", command: spec)
        }
        return location
    }
}
