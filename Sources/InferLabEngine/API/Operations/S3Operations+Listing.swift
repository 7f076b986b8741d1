import Foundation

extension S3Operations {
    /// One page of keys and common prefixes, continued with NextContinuationToken.
    public enum ListObjectsV2: S3Operation {
        public static func run(_ input: ListObjectsV2Input, on engine: Engine) throws -> ListObjectsV2Output {
            let maxKeys = try validMaxKeys(input.maxKeys)
            let request = ListObjectsRequest(
                bucket: input.bucket, prefix: input.prefix ?? "", delimiter: input.delimiter.flatMap { $0.isEmpty ? nil : $0 },
                startAfter: input.startAfter, continuationToken: input.continuationToken, maxKeys: min(maxKeys, 1000))
            let page = try engine.store.listObjects(request)
            return ListObjectsV2Output(
                isTruncated: page.isTruncated, contents: page.contents.map(listed), name: input.bucket, prefix: request.prefix,
                delimiter: request.delimiter, maxKeys: maxKeys, commonPrefixes: page.commonPrefixes.map(CommonPrefix.init),
                encodingType: input.encodingType, keyCount: page.keyCount, continuationToken: input.continuationToken,
                nextContinuationToken: page.nextContinuationToken, startAfter: input.startAfter)
        }
    }

    /// The original listing, continued from a Marker.
    public enum ListObjects: S3Operation {
        public static func run(_ input: ListObjectsInput, on engine: Engine) throws -> ListObjectsOutput {
            let maxKeys = try validMaxKeys(input.maxKeys)
            let request = ListObjectsRequest(
                bucket: input.bucket, prefix: input.prefix ?? "", delimiter: input.delimiter.flatMap { $0.isEmpty ? nil : $0 },
                startAfter: input.marker, maxKeys: min(maxKeys, 1000))
            let page = try engine.store.listObjects(request)
            // S3 gives NextMarker only with a delimiter; without, clients use the last key.
            var nextMarker: String?
            if page.isTruncated, request.delimiter != nil {
                nextMarker = [page.contents.last?.key, page.commonPrefixes.last].compactMap { $0 }.max()
            }
            return ListObjectsOutput(
                isTruncated: page.isTruncated, marker: input.marker ?? "", nextMarker: nextMarker, contents: page.contents.map(listed),
                name: input.bucket, prefix: request.prefix, delimiter: request.delimiter, maxKeys: maxKeys,
                commonPrefixes: page.commonPrefixes.map(CommonPrefix.init), encodingType: input.encodingType)
        }
    }

    static func validMaxKeys(_ maxKeys: Int?) throws -> Int {
        let value = maxKeys ?? 1000
        guard value >= 0 else {
            throw AWSError(code: "InvalidArgument", message: "Provided max-keys not an integer or within integer range", operation: "ListObjects")
        }
        return value
    }

    static func listed(_ info: ObjectInfo) -> S3Object {
        S3Object(key: info.key, lastModified: info.lastModified, eTag: "\"\(info.etag)\"", size: info.size, storageClass: "STANDARD")
    }
}
