import Crypto
import Foundation

/// S3's multipart upload: parts uploaded separately (and concurrently), then completed into one
/// object whose ETag is `<md5 of the parts' binary md5s>-<count>`. Parts are kept in the workspace
/// until completed or aborted, so an upload survives the process that received it.
public protocol MultipartObjectStore: ObjectStore {
    func createMultipartUpload(bucket: String, key: String, contentType: String?, metadata: [String: String]) throws -> String
    /// A part's bytes arrive through the upload; its `commit()` keeps the part (replacing an
    /// earlier one of that number) and answers its ETag as `ObjectInfo.etag`.
    func beginPart(uploadId: String, bucket: String, key: String, partNumber: Int) throws -> any ObjectUpload
    func listParts(uploadId: String, bucket: String, key: String) throws -> [UploadedPart]
    func completeMultipartUpload(uploadId: String, bucket: String, key: String, parts: [(number: Int, etag: String)]) throws -> ObjectInfo
    func abortMultipartUpload(uploadId: String, bucket: String, key: String) throws
    func listMultipartUploads(bucket: String) throws -> [MultipartUpload]
}

public struct UploadedPart: Sendable, Equatable, Codable {
    public var number: Int
    public var etag: String
    public var size: Int64
    public var lastModified: Date
    /// The part's data file in the upload's folder.
    public var file: String?

    public init(number: Int, etag: String, size: Int64, lastModified: Date, file: String? = nil) {
        (self.number, self.etag, self.size, self.lastModified, self.file) = (number, etag, size, lastModified, file)
    }
}

public struct MultipartUpload: Sendable, Equatable, Codable {
    public var uploadId: String
    public var bucket: String
    public var key: String
    public var contentType: String?
    public var metadata: [String: String]
    public var initiated: Date
}

/// S3's rules and words for multipart uploads.
public enum MultipartRules {
    /// Every part but the last must be at least 5 MiB.
    public static let minimumPartSize: Int64 = 5 << 20
    public static let partNumbers = 1...10_000

    /// `"<md5 of the concatenated binary md5s>-N"`, without the quotes.
    public static func etag(ofPartETags etags: [String]) -> String {
        var digests = Data()
        for etag in etags { digests.append(Data(hex: etag) ?? Data()) }
        let md5 = Hex.string(Insecure.MD5.hash(data: digests))
        return "\(md5)-\(etags.count)"
    }

    static func noSuchUpload(_ operation: String) -> AWSError {
        AWSError(code: "NoSuchUpload", message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
                 operation: operation, httpStatus: 404)
    }

    static func invalidPart(_ number: Int) -> AWSError {
        AWSError(code: "InvalidPart", message: "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag. (part \(number))",
                 operation: "CompleteMultipartUpload")
    }

    static let invalidPartOrder = AWSError(code: "InvalidPartOrder", message: "The list of parts was not in ascending order. Parts must be ordered by part number.",
                                           operation: "CompleteMultipartUpload")

    static func entityTooSmall(_ number: Int) -> AWSError {
        AWSError(code: "EntityTooSmall", message: "Your proposed upload is smaller than the minimum allowed object size. (part \(number) is under 5 MiB and not the last)",
                 operation: "CompleteMultipartUpload")
    }
}

extension Data {
    /// Bytes from hex digits; nil for anything else.
    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.init(bytes)
    }
}
