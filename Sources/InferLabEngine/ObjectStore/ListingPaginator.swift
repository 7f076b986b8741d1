import Foundation

/// ListObjectsV2 over a sorted list of objects: prefix, delimiter, start-after, continuation
/// token and max-keys, exactly as S3 applies them. Shared by every store so they agree.
enum ListingPaginator {
    /// - Parameter objects: every object in the bucket, in ascending UTF-8 byte order of key
    ///   (`precedes`).
    static func page(_ objects: [ObjectInfo], request: ListObjectsRequest) throws -> ListObjectsPage {
        guard request.maxKeys >= 0 else {
            throw AWSError(code: "InvalidArgument", message: "max-keys must be a non-negative integer", operation: "ListObjectsV2")
        }
        var after = request.startAfter ?? ""
        var skippedPrefix: String?
        if let token = request.continuationToken {
            guard let position = Position(token: token) else {
                throw AWSError(code: "InvalidArgument", message: "The continuation token provided is incorrect",
                               operation: "ListObjectsV2")
            }
            switch position {
            case .key(let key): if precedes(after, key) { after = key }
            case .commonPrefix(let prefix): if precedes(after, prefix) { after = prefix }; skippedPrefix = prefix
            }
        }
        var index = max(firstIndex(notBefore: request.prefix, in: objects), firstIndex(after: after, in: objects))
        if let skippedPrefix {
            while index < objects.count, objects[index].key.hasPrefix(skippedPrefix) { index += 1 }
        }
        var contents: [ObjectInfo] = []
        var prefixes: [String] = []
        var last: Position?
        var truncated = false
        // Keys sharing the prefix are contiguous in sorted order: stop at the first that does not.
        while index < objects.count, objects[index].key.hasPrefix(request.prefix) {
            if contents.count + prefixes.count == request.maxKeys {
                truncated = true
                break
            }
            let object = objects[index]
            index += 1
            if let delimiter = request.delimiter, !delimiter.isEmpty,
               let range = object.key.dropFirst(request.prefix.count).range(of: delimiter) {
                let common = String(object.key[..<range.upperBound])
                prefixes.append(common)
                last = .commonPrefix(common)
                while index < objects.count, objects[index].key.hasPrefix(common) { index += 1 }
            } else {
                contents.append(object)
                last = .key(object.key)
            }
        }
        return ListObjectsPage(contents: contents, commonPrefixes: prefixes, isTruncated: truncated,
                               nextContinuationToken: truncated ? last?.token : nil)
    }

    /// Keys compare as UTF-8 bytes, as S3 orders them.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Index of the first key strictly after `key`.
    private static func firstIndex(after key: String, in objects: [ObjectInfo]) -> Int {
        guard !key.isEmpty else { return 0 }
        return partition(objects) { !precedes(key, $0.key) }
    }

    /// Index of the first key not before `key`.
    private static func firstIndex(notBefore key: String, in objects: [ObjectInfo]) -> Int {
        guard !key.isEmpty else { return 0 }
        return partition(objects) { precedes($0.key, key) }
    }

    /// Binary search: the first index where `isBefore` turns false.
    private static func partition(_ objects: [ObjectInfo], isBefore: (ObjectInfo) -> Bool) -> Int {
        var low = 0, high = objects.count
        while low < high {
            let mid = (low + high) / 2
            if isBefore(objects[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Where a page ended. The token is opaque to clients; ours is this, base64-encoded.
    private enum Position {
        case key(String), commonPrefix(String)

        init?(token: String) {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else { return nil }
            if text.hasPrefix("K:") { self = .key(String(text.dropFirst(2))) }
            else if text.hasPrefix("P:") { self = .commonPrefix(String(text.dropFirst(2))) }
            else { return nil }
        }

        var token: String {
            switch self {
            case .key(let key): Data(("K:" + key).utf8).base64EncodedString()
            case .commonPrefix(let prefix): Data(("P:" + prefix).utf8).base64EncodedString()
            }
        }
    }
}
