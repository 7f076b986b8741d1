import Foundation
import InferLabEngine

/// `aws s3api` bucket commands and the object commands beyond the everyday five: each a front
/// end of one S3 entry of the operation table, its options generated from AWS's model.
enum S3APIBucketCommands {
    static var all: [CommandSpec] { [listBuckets, createBucket, headBucket, deleteBucket, getBucketLocation, listObjects, copyObject, deleteObjects] }

    static func command(_ name: String, _ operation: String, summary: String, discussion: String = "", examples: [String] = [],
                        run: @escaping @Sendable (APIRequest, Engine) async throws -> JSONValue?) -> CommandSpec {
        AWSCommand.makeRaw(.s3api, name, api: AWSModels.operation("s3", operation)!, summary: summary, discussion: discussion,
                           notes: S3APICommands.notes, examples: examples) { request, invocation in
            try await run(APIRequest(json: request), invocation.session.engine)
        }
    }

    /// The AWS CLI leaves out lists the answer does not have.
    static func printed(_ value: Any) -> JSONValue { dropEmptyLists(JSONValue(reflecting: value)) }

    static func dropEmptyLists(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            .object(members.filter { if case .array(let items) = $0.1 { !items.isEmpty } else { true } }.map { ($0.0, dropEmptyLists($0.1)) })
        case .array(let items): .array(items.map(dropEmptyLists))
        default: value
        }
    }

    static let listBuckets = command("list-buckets", "ListBuckets", summary: "List the buckets (ListBuckets)",
                                     examples: ["aws s3api list-buckets --query 'Buckets[].Name' --output text"]) { _, engine in
        printed(try S3Operations.ListBuckets.run(ListBucketsInput(), on: engine))
    }

    static let createBucket = command("create-bucket", "CreateBucket", summary: "Make a bucket (CreateBucket)",
                                      examples: ["aws s3api create-bucket --bucket loan-lab"]) { request, engine in
        printed(try S3Operations.CreateBucket.run(BucketInput(bucket: request.required("Bucket")), on: engine))
    }

    static let headBucket = command("head-bucket", "HeadBucket", summary: "Check that a bucket exists (HeadBucket)") { request, engine in
        printed(try S3Operations.HeadBucket.run(BucketInput(bucket: request.required("Bucket")), on: engine))
    }

    static let deleteBucket = command("delete-bucket", "DeleteBucket", summary: "Delete an empty bucket (DeleteBucket)") { request, engine in
        _ = try S3Operations.DeleteBucket.run(BucketInput(bucket: request.required("Bucket")), on: engine)
        return nil
    }

    static let getBucketLocation = command("get-bucket-location", "GetBucketLocation", summary: "Show a bucket's region (GetBucketLocation)") { request, engine in
        let output = try S3Operations.GetBucketLocation.run(BucketInput(bucket: request.required("Bucket")), on: engine)
        return .object([("LocationConstraint", output.locationConstraint.map(JSONValue.string) ?? .null)])
    }

    static let listObjects = command("list-objects", "ListObjects", summary: "List one page of objects, version 1 (ListObjects)",
                                     discussion: "Prefer list-objects-v2; this is the older form, paged by --marker.") { request, engine in
        printed(try S3Operations.ListObjects.run(ListObjectsInput(
            bucket: request.required("Bucket"), delimiter: request.string("Delimiter"), marker: request.string("Marker"),
            maxKeys: request.int("MaxKeys"), prefix: request.string("Prefix")), on: engine))
    }

    static let copyObject = command("copy-object", "CopyObject", summary: "Copy an object inside S3 (CopyObject)",
                                    examples: ["aws s3api copy-object --copy-source loan-lab/batch-input/data.csv --bucket loan-lab --key archive/data.csv"]) { request, engine in
        printed(try S3Operations.CopyObject.run(CopyObjectInput(
            bucket: request.required("Bucket"), key: request.required("Key"), copySource: request.required("CopySource"),
            metadataDirective: request.string("MetadataDirective"), contentType: request.string("ContentType"),
            metadata: request.map("Metadata")), on: engine))
    }

    static let deleteObjects = command("delete-objects", "DeleteObjects", summary: "Delete several objects at once (DeleteObjects)",
                                       examples: ["aws s3api delete-objects --bucket loan-lab --delete 'Objects=[{Key=a.csv},{Key=b.csv}]'"]) { request, engine in
        let keys = request.objects("Delete", "Objects").compactMap { item -> String? in
            if case .string(let key)? = item["Key"] { return key }
            return nil
        }
        let quiet = request.json["Delete"]?["Quiet"] == .bool(true)
        let output = try S3Operations.DeleteObjects.run(DeleteObjectsInput(bucket: request.required("Bucket"), keys: keys, quiet: quiet), on: engine)
        var members: [(String, JSONValue)] = []
        if !output.deleted.isEmpty { members.append(("Deleted", .array(output.deleted.map { .object([("Key", .string($0))]) }))) }
        if !output.errors.isEmpty { members.append(("Errors", printed(output.errors))) }
        return .object(members)
    }
}
