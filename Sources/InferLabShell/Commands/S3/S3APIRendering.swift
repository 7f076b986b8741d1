import Foundation
import InferLabEngine

/// The AWS CLI's JSON for the S3 entries' outputs: its member order, `+00:00` timestamps, and
/// empty lists left out, as `aws s3api` prints them.
enum S3APIRendering {
    static func headObject(_ output: HeadObjectOutput) -> JSONValue {
        objectMetadata(acceptRanges: output.acceptRanges, lastModified: output.lastModified, contentLength: output.contentLength,
                       eTag: output.eTag, contentRange: nil, contentType: output.contentType, metadata: output.metadata)
    }

    static func getObject(_ output: GetObjectOutput) -> JSONValue {
        objectMetadata(acceptRanges: output.acceptRanges, lastModified: output.lastModified, contentLength: output.contentLength,
                       eTag: output.eTag, contentRange: output.contentRange, contentType: output.contentType, metadata: output.metadata)
    }

    static func listObjectsV2(_ output: ListObjectsV2Output) -> JSONValue {
        var members: [(String, JSONValue)] = [("IsTruncated", .bool(output.isTruncated))]
        if !output.contents.isEmpty {
            members.append(("Contents", .array(output.contents.map { object in
                .object([("Key", .string(object.key)), ("LastModified", .string(S3Formatting.isoDate(object.lastModified))),
                         ("ETag", .string(object.eTag)), ("Size", .int(object.size)), ("StorageClass", .string(object.storageClass))])
            })))
        }
        members += [("Name", .string(output.name)), ("Prefix", .string(output.prefix))]
        if let delimiter = output.delimiter { members.append(("Delimiter", .string(delimiter))) }
        members.append(("MaxKeys", .int(Int64(output.maxKeys))))
        if !output.commonPrefixes.isEmpty {
            members.append(("CommonPrefixes", .array(output.commonPrefixes.map { .object([("Prefix", .string($0.prefix))]) })))
        }
        members.append(("KeyCount", .int(Int64(output.keyCount))))
        if let token = output.continuationToken { members.append(("ContinuationToken", .string(token))) }
        if let token = output.nextContinuationToken { members.append(("NextContinuationToken", .string(token))) }
        if let startAfter = output.startAfter { members.append(("StartAfter", .string(startAfter))) }
        return .object(members)
    }

    static func eTag(_ output: ETagOutput) -> JSONValue {
        .object([("ETag", .string(output.eTag))])
    }

    private static func objectMetadata(acceptRanges: String, lastModified: Date, contentLength: Int64, eTag: String, contentRange: String?,
                                       contentType: String, metadata: [String: String]) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("AcceptRanges", .string(acceptRanges)),
            ("LastModified", .string(S3Formatting.isoDate(lastModified))),
            ("ContentLength", .int(contentLength)),
            ("ETag", .string(eTag)),
        ]
        if let contentRange { members.append(("ContentRange", .string(contentRange))) }
        members.append(("ContentType", .string(contentType)))
        members.append(("Metadata", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        return .object(members)
    }
}
