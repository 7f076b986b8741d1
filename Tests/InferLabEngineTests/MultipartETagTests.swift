import Crypto
import Foundation
import Testing
@testable import InferLabEngine

/// S3's ETag of a multipart upload: the MD5 of the parts' binary MD5s, a dash, the part count.
struct MultipartETagTests {
    static let partSize = 8 << 20

    /// Computed here from the bytes, independently of the store.
    static func s3ETag(_ data: Data, partSize: Int) -> String {
        func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 { digest.map { String(format: "%02x", $0) }.joined() }
        guard data.count >= partSize else { return hex(Insecure.MD5.hash(data: data)) }
        var digests = Data()
        var parts = 0
        for start in stride(from: 0, to: data.count, by: partSize) {
            digests.append(contentsOf: Insecure.MD5.hash(data: data[start..<min(start + partSize, data.count)]))
            parts += 1
        }
        return hex(Insecure.MD5.hash(data: digests)) + "-\(parts)"
    }

    static func bytes(_ count: Int) -> Data {
        var state: UInt32 = 12345
        return Data((0..<count).map { _ in state = state &* 1103515245 &+ 12345; return UInt8(truncatingIfNeeded: state >> 16) })
    }

    @Test(arguments: ObjectStoreTests.Kind.allCases, [0, 5, (8 << 20) - 1, 8 << 20, 20_000_000])
    func aMultipartWriteHasS3sETag(kind: ObjectStoreTests.Kind, size: Int) throws {
        let store = try ObjectStoreTests.makeStore(kind)
        try store.createBucket("parts")
        let data = Self.bytes(size)
        // Writes of odd sizes, small and large, that cross part boundaries anywhere.
        let info = try store.writeObject(bucket: "parts", key: "out", contentType: nil, metadata: [:],
                                         multipartPartSize: Self.partSize) { sink in
            var offset = 0, step = 0
            let steps = [777, 3 << 20, 1, 9_000_001, 65_536]
            while offset < data.count {
                let count = min(steps[step % steps.count], data.count - offset)
                try sink.write(data[offset..<(offset + count)])
                offset += count
                step += 1
            }
        }
        let expected = Self.s3ETag(data, partSize: Self.partSize)
        #expect(info.etag == expected)
        #expect(try store.headObject(bucket: "parts", key: "out").etag == expected)
        #expect(try store.readObject(bucket: "parts", key: "out") == data)
        if size == 20_000_000 { #expect(expected.hasSuffix("-3"), "8 MiB + 8 MiB + 3,222,784 bytes, as in the capture") }
        if size < Self.partSize { #expect(!expected.contains("-")) }
    }

    @Test func aPutIsStillOnePartWithAPlainMD5() throws {
        let store = try ObjectStoreTests.makeStore(.fileSystem)
        try store.createBucket("parts")
        let data = Self.bytes(9 << 20)
        #expect(try store.putObject(bucket: "parts", key: "k", data: data).etag == md5Hex(data))
    }

    /// A transform job's output is uploaded in parts: over 8 MiB it has the multipart ETag, below
    /// it the plain MD5.
    @Test func aTransformOutputHasTheMultipartETag() throws {
        let engine = try BoundedTransformTests.engineWithBothModels()
        try put(engine, "s3://loan-lab/rows/rows.csv", BoundedTransformTests.loanRows(250_000))
        let (job, output) = try BoundedTransformTests.run(engine, "etag", model: "loan-ll", accept: "application/jsonlines",
                                                          payload: 6, concurrent: 2)
        #expect(job.transformJobStatus == "Completed", "\(job.failureReason ?? "")")
        #expect(output.count > Self.partSize)
        let etag = try engine.store.headObject(bucket: "loan-lab", key: "out-etag/rows.csv.out").etag
        #expect(etag == Self.s3ETag(output, partSize: Self.partSize) && etag.hasSuffix("-\((output.count + Self.partSize - 1) / Self.partSize)"))
        try put(engine, "s3://loan-lab/small/rows.csv", "25,50000,2\n")
        var small = transformJob("small", input: "s3://loan-lab/small/", output: "s3://loan-lab/small-out/")
        small.maxPayloadInMB = 6
        _ = try engine.sagemaker.createTransformJob(small)
        #expect(try waitForJob(engine, "small").transformJobStatus == "Completed")
        let smallOutput = try engine.store.readObject(bucket: "loan-lab", key: "small-out/rows.csv.out")
        #expect(try engine.store.headObject(bucket: "loan-lab", key: "small-out/rows.csv.out").etag == md5Hex(smallOutput))
    }
}
