import Crypto
import Foundation
import InferLabEngine

/// What a body signed chunk by chunk is checked with: the request's signing key, time and scope,
/// and its signature, which seeds the chain.
struct ChunkSigning {
    let key: SymmetricKey
    let timestamp: String
    let scope: String
    let seed: String
}

/// Decodes `Content-Encoding: aws-chunked` bodies as they stream: `<hex size>[;chunk-signature=…]\r\n
/// <bytes>\r\n` … `0\r\n` then trailer lines (`x-amz-checksum-crc32:…`) and `\r\n`. What SDKs send
/// over HTTPS with `STREAMING-UNSIGNED-PAYLOAD-TRAILER`, and signed as
/// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`, whose every chunk carries a signature chained
/// from the request's own (the seed): each is checked when its chunk ends, and the trailer's too.
struct AWSChunkedDecoder {
    private enum State { case header, data(remaining: Int), dataEnd, trailer, done }
    private var state = State.header
    private var line: [UInt8] = []
    private(set) var trailers: [(String, String)] = []
    private let declaredLength: Int?
    private var decodedCount = 0
    /// Chunk signing: the previous signature in the chain, the current chunk's signature and hash.
    private let signing: ChunkSigning?
    private var previousSignature: String
    private var chunkSignature: String?
    private var chunkHash = SHA256()

    /// A decoder when the request is aws-chunked, else nil.
    static func forRequest(_ s3: S3Request) throws -> AWSChunkedDecoder? {
        let encoding = s3.header("content-encoding")?.lowercased() ?? ""
        let payload = s3.header("x-amz-content-sha256") ?? ""
        guard encoding.contains("aws-chunked") || payload.hasPrefix("STREAMING-") else { return nil }
        if payload == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" || payload == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER" {
            throw S3Error(status: 501, code: "NotImplemented", message: "SigV4a streaming payloads are not supported here; use SigV4.")
        }
        if payload.hasPrefix("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), s3.chunkSigning == nil, s3.header("authorization") != nil {
            throw S3Error(status: 400, code: "InvalidRequest", message: "A signed aws-chunked body needs a Signature V4 Authorization header.")
        }
        return AWSChunkedDecoder(declaredLength: s3.header("x-amz-decoded-content-length").flatMap(Int.init),
                                 signing: payload.hasPrefix("STREAMING-AWS4-HMAC-SHA256-PAYLOAD") ? s3.chunkSigning : nil)
    }

    init(declaredLength: Int?, signing: ChunkSigning? = nil) {
        self.declaredLength = declaredLength
        self.signing = signing
        previousSignature = signing?.seed ?? ""
    }

    /// Feeds raw body bytes; `payload` receives the decoded bytes in order.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, payload: (UnsafeRawBufferPointer) throws -> Void) throws {
        var index = 0
        while index < bytes.count {
            switch state {
            case .header, .trailer, .dataEnd:
                let byte = bytes[index]
                index += 1
                guard line.count < 4096 else { throw Self.malformed }
                if byte == UInt8(ascii: "\n") {
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    try endLine()
                    line.removeAll(keepingCapacity: true)
                } else {
                    line.append(byte)
                }
            case .data(let remaining):
                let count = min(remaining, bytes.count - index)
                let piece = UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)])
                if signing != nil { chunkHash.update(bufferPointer: piece) }
                try payload(piece)
                decodedCount += count
                index += count
                state = remaining == count ? .dataEnd : .data(remaining: remaining - count)
            case .done:
                return  // bytes after the final CRLF are ignored
            }
        }
    }

    private mutating func endLine() throws {
        let text = String(decoding: line, as: UTF8.self)
        switch state {
        case .header:
            let fields = text.split(separator: ";", maxSplits: 1)
            let sizeText = fields.first.map(String.init) ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { throw Self.malformed }
            if signing != nil {
                let extensionText = fields.count > 1 ? String(fields[1]) : ""
                guard extensionText.hasPrefix("chunk-signature=") else { throw Self.badChunkSignature }
                chunkSignature = String(extensionText.dropFirst("chunk-signature=".count)).lowercased()
                chunkHash = SHA256()
            }
            if size == 0 {
                try checkChunkSignature()
                state = .trailer
            } else {
                state = .data(remaining: size)
            }
        case .dataEnd:
            guard text.isEmpty else { throw Self.malformed }
            try checkChunkSignature()
            state = .header
        case .trailer:
            if text.isEmpty {
                state = .done
            } else if let colon = text.firstIndex(of: ":") {
                let name = text[..<colon].trimmingCharacters(in: .whitespaces)
                let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name.lowercased() == "x-amz-trailer-signature" {
                    try checkTrailerSignature(value.lowercased())
                } else {
                    trailers.append((name, value))
                }
            }
        default:
            break
        }
    }

    /// The chunk just read against its signature: HMAC of the chain's previous signature and the
    /// chunk's SHA-256 (AWS's `AWS4-HMAC-SHA256-PAYLOAD` string to sign).
    private mutating func checkChunkSignature() throws {
        guard let signing, let claimed = chunkSignature else { return }
        let stringToSign = ["AWS4-HMAC-SHA256-PAYLOAD", signing.timestamp, signing.scope, previousSignature,
                            Self.emptyHash, Hex.string(chunkHash.finalize())].joined(separator: "\n")
        let expected = Hex.string(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signing.key))
        guard SignatureV4.constantTimeEquals(expected, claimed) else { throw Self.badChunkSignature }
        previousSignature = expected
        chunkSignature = nil
    }

    /// The trailer's signature: HMAC of the chain's last signature and the trailer lines' SHA-256.
    private func checkTrailerSignature(_ claimed: String) throws {
        guard let signing else { return }
        let lines = trailers.map { "\($0.0.lowercased()):\($0.1)\n" }.joined()
        let stringToSign = ["AWS4-HMAC-SHA256-TRAILER", signing.timestamp, signing.scope, previousSignature,
                            Hex.string(SHA256.hash(data: Data(lines.utf8)))].joined(separator: "\n")
        let expected = Hex.string(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signing.key))
        guard SignatureV4.constantTimeEquals(expected, claimed) else { throw Self.badChunkSignature }
    }

    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let badChunkSignature = S3Error(status: 403, code: "SignatureDoesNotMatch",
                                           message: "The request signature we calculated does not match the signature you provided. Check your key and signing method. (a chunk signature of the aws-chunked body)")

    /// Checks the body ended where it should, and hands the trailer's checksums over.
    func finish(into digests: inout BodyDigests) throws {
        guard case .done = state else {
            // Some clients end after the trailer without the final empty line.
            guard case .trailer = state, line.isEmpty else { throw Self.malformed }
            return try finishTrailers(&digests)
        }
        try finishTrailers(&digests)
    }

    private func finishTrailers(_ digests: inout BodyDigests) throws {
        if let declaredLength, declaredLength != decodedCount {
            throw S3Error(status: 400, code: "IncompleteBody", message: "The request body ended after \(decodedCount) of the \(declaredLength) bytes x-amz-decoded-content-length announced.")
        }
        for (name, value) in trailers { digests.setTrailer(name, value) }
    }

    static let malformed = S3Error(status: 400, code: "IncompleteBody", message: "The aws-chunked body is malformed: each chunk must be <hex size>[;chunk-signature=…] CRLF <bytes> CRLF, ending with a 0-size chunk.")
}
