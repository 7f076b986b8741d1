import Crypto
import Foundation
import InferLabEngine

/// The digests a client sent with a body, checked as the body streams: `Content-MD5`, a hex
/// `x-amz-content-sha256`, and the `x-amz-checksum-*` headers (or, for aws-chunked bodies, the
/// trailer that carries them).
struct BodyDigests {
    private var md5: (expected: String, hasher: Insecure.MD5)?
    private var sha256: (expected: String, hasher: SHA256)?
    private var checksums: [(expected: String?, hasher: ChecksumHasher)] = []

    init(_ s3: S3Request) throws {
        if let header = s3.header("content-md5") {
            guard let data = Data(base64Encoded: header), data.count == 16 else {
                throw S3Error(status: 400, code: "InvalidDigest", message: "The Content-MD5 you specified was invalid.")
            }
            md5 = (Hex.string(data), Insecure.MD5())
        }
        if let header = s3.header("x-amz-content-sha256"), header.count == 64, header.allSatisfy(\.isHexDigit) {
            sha256 = (header.lowercased(), SHA256())
        }
        let trailer = s3.header("x-amz-trailer")?.lowercased()
        for algorithm in ChecksumAlgorithm.allCases {
            if let value = s3.header(algorithm.header) {
                checksums.append((value, algorithm.makeHasher()))
            } else if trailer == algorithm.header {
                checksums.append((nil, algorithm.makeHasher()))  // the value comes in the trailer
            }
        }
        if checksums.isEmpty, let name = s3.header("x-amz-sdk-checksum-algorithm"),
           ChecksumAlgorithm(rawValue: name.uppercased()) == nil {
            throw S3Error(status: 400, code: "InvalidRequest", message: "Value for x-amz-sdk-checksum-algorithm header is invalid.")
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        md5?.hasher.update(bufferPointer: bytes)
        sha256?.hasher.update(bufferPointer: bytes)
        for index in checksums.indices { checksums[index].hasher.update(bytes) }
    }

    /// A checksum that arrived in an aws-chunked trailer.
    mutating func setTrailer(_ name: String, _ value: String) {
        if let index = checksums.firstIndex(where: { $0.hasher.algorithm.header == name.lowercased() }) {
            checksums[index].expected = value
        }
    }

    func verify() throws {
        if let md5, Hex.string(md5.hasher.finalize()) != md5.expected {
            throw S3Error(status: 400, code: "BadDigest", message: "The Content-MD5 you specified did not match what we received.")
        }
        if let sha256, Hex.string(sha256.hasher.finalize()) != sha256.expected {
            throw S3Error(status: 400, code: "XAmzContentSHA256Mismatch",
                          message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
                          details: [("ClientComputedContentSHA256", sha256.expected),
                                    ("S3ComputedContentSHA256", Hex.string(sha256.hasher.finalize()))])
        }
        for checksum in checksums {
            guard let expected = checksum.expected else {
                throw S3Error(status: 400, code: "InvalidRequest", message: "The trailer \(checksum.hasher.algorithm.header) was announced but not sent.")
            }
            if checksum.hasher.finalize() != expected {
                throw S3Error(status: 400, code: "BadDigest",
                              message: "The \(checksum.hasher.algorithm.rawValue) you specified did not match the calculated checksum.")
            }
        }
    }

    /// `x-amz-checksum-crc32: …` for each checksum checked, as S3 echoes them.
    var checksumHeaders: [(String, String)] {
        checksums.map { ($0.hasher.algorithm.header, $0.hasher.finalize()) }
    }
}
