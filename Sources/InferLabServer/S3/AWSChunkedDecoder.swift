import Foundation

/// Decodes `Content-Encoding: aws-chunked` bodies as they stream: `<hex size>[;chunk-signature=…]\r\n
/// <bytes>\r\n` … `0\r\n` then trailer lines (`x-amz-checksum-crc32:…`) and `\r\n`. What SDKs send
/// over HTTPS with `STREAMING-UNSIGNED-PAYLOAD-TRAILER`, and signed as
/// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`. Chunk signatures are parsed; the seed signature chain is
/// not re-verified (the request's own signature was), which is noted in the README.
struct AWSChunkedDecoder {
    private enum State { case header, data(remaining: Int), dataEnd, trailer, done }
    private var state = State.header
    private var line: [UInt8] = []
    private(set) var trailers: [(String, String)] = []
    private let declaredLength: Int?
    private var decodedCount = 0

    /// A decoder when the request is aws-chunked, else nil.
    static func forRequest(_ s3: S3Request) throws -> AWSChunkedDecoder? {
        let encoding = s3.header("content-encoding")?.lowercased() ?? ""
        let payload = s3.header("x-amz-content-sha256") ?? ""
        guard encoding.contains("aws-chunked") || payload.hasPrefix("STREAMING-") else { return nil }
        if payload == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" || payload == "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER" {
            throw S3Error(status: 501, code: "NotImplemented", message: "SigV4a streaming payloads are not supported here; use SigV4.")
        }
        return AWSChunkedDecoder(declaredLength: s3.header("x-amz-decoded-content-length").flatMap(Int.init))
    }

    init(declaredLength: Int?) { self.declaredLength = declaredLength }

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
                try payload(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)]))
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
            let sizeText = text.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { throw Self.malformed }
            state = size == 0 ? .trailer : .data(remaining: size)
        case .dataEnd:
            guard text.isEmpty else { throw Self.malformed }
            state = .header
        case .trailer:
            if text.isEmpty {
                state = .done
            } else if let colon = text.firstIndex(of: ":") {
                let name = text[..<colon].trimmingCharacters(in: .whitespaces)
                let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name.lowercased() != "x-amz-trailer-signature" { trailers.append((name, value)) }
            }
        default:
            break
        }
    }

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

    static let malformed = S3Error(status: 400, code: "InvalidChunkSizeError", message: "Only the last chunk is allowed to have a size less than 8192 bytes, or the aws-chunked body is malformed.")
}
