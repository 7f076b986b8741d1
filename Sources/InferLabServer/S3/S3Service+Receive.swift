import Foundation
import HTTPTypes
import Hummingbird
import InferLabEngine

extension S3Service {
    /// Hands a request body (plain or aws-chunked) to an entry (PutObject, UploadPart) as a stream
    /// that checks every digest the client sent before it ends, so the entry commits only a body
    /// that matched. On any failure, or a client that goes away, nothing is stored.
    /// - Parameter store: calls the entry with the payload and answers its ETag.
    func receive(_ body: RequestBody, _ s3: S3Request, bucket: String, key: String,
                 store: (ObjectPayload) async throws -> String) async throws -> Response {
        let state = BodyState(digests: try BodyDigests(s3), decoder: try AWSChunkedDecoder.forRequest(s3))
        let payload = ObjectPayload.stream { sink in
            do {
                for try await buffer in body {
                    try buffer.withUnsafeReadableBytes { bytes in try state.feed(bytes, into: sink) }
                }
                try state.finish()
                // Kept with the object, for a GET with x-amz-checksum-mode: ENABLED.
                if let upload = sink as? any ObjectUpload { upload.checksums = Dictionary(state.digests.checksumHeaders) { $1 } }
            } catch let error as S3Error {
                throw error
            } catch let error as AWSError {
                throw error
            } catch {
                // The client went away or sent a broken body: nothing is stored.
                throw S3Error(status: 400, code: "IncompleteBody", message: "You did not provide the number of bytes specified by the Content-Length HTTP header.")
            }
        }
        let etag: String
        do {
            etag = try await store(payload)
        } catch let error as S3Error {
            throw error
        } catch let error as AWSError {
            throw S3Error(error, bucket: bucket, key: key)
        } catch {
            throw S3Error(status: 500, code: "InternalError", message: "We encountered an internal error. Please try again. (\(error))")
        }
        var headers = HTTPFields()
        headers[.eTag] = etag
        for (name, value) in state.digests.checksumHeaders { headers[HTTPField.Name(name)!] = value }
        return Self.empty(.ok, headers)
    }
}

/// The digests and chunk decoder of one request body, fed from the body's task.
private final class BodyState: @unchecked Sendable {
    var digests: BodyDigests
    var decoder: AWSChunkedDecoder?

    init(digests: BodyDigests, decoder: AWSChunkedDecoder?) {
        self.digests = digests
        self.decoder = decoder
    }

    func feed(_ bytes: UnsafeRawBufferPointer, into sink: any ObjectSink) throws {
        guard decoder != nil else {
            digests.update(bytes)
            try sink.write(bytes)
            return
        }
        try decoder!.feed(bytes) { payload in
            digests.update(payload)
            try sink.write(payload)
        }
    }

    /// The end of the body: trailers read, every digest checked.
    func finish() throws {
        if let decoder { try decoder.finish(into: &digests) }
        try digests.verify()
    }
}
