import Foundation
import Testing
@testable import InferLabEngine

/// Mini-batches handed out and scored in parts (bounded memory) give what whole mini-batches give.
@Suite(.serialized)
struct BoundedTransformTests {
    /// About `rows` × 16 bytes of loan rows: mostly plain integers, some decimals and spaces, so
    /// both of the containers' parsing paths are used.
    static func loanRows(_ rows: Int, seed: UInt64 = 7) -> String {
        var state = seed
        func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 33) % bound
        }
        var text = ""
        text.reserveCapacity(rows * 18)
        for row in 0..<rows {
            let age = 18 + next(60), income = 10_000 + next(190_000), years = next(40)
            if row % 97 == 0 { text += "\(age).5, \(income).25,\(years)\n" } else { text += "\(age),\(income),\(years)\n" }
        }
        return text
    }

    static func engineWithBothModels() throws -> Engine {
        let engine = try transformEngine()
        let artifact = sampleXGBoostArtifact.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("linear-learner/model.tar.gz")
        try engine.store.putObject(bucket: "loan-lab", key: "models/ll/model.tar.gz", data: Data(contentsOf: artifact))
        _ = try engine.sagemaker.createModel(CreateModelInput(modelName: "loan-ll", primaryContainer: ContainerDefinition(
            image: BuiltinAlgorithm.linearLearner.exampleImage, modelDataUrl: "s3://loan-lab/models/ll/model.tar.gz")))
        return engine
    }

    /// Runs a job on s3://loan-lab/rows/ and returns it with its output.
    static func run(_ engine: Engine, _ name: String, model: String, accept: String?, assemble: String = "Line",
                    payload: Int, concurrent: Int) throws -> (DescribeTransformJobOutput, Data) {
        var job = transformJob(name, input: "s3://loan-lab/rows/", output: "s3://loan-lab/out-\(name)/", model: model,
                               assemble: assemble, accept: accept)
        job.maxPayloadInMB = payload
        job.maxConcurrentTransforms = concurrent
        _ = try engine.sagemaker.createTransformJob(job)
        let result = try waitForJob(engine, name, timeout: 120)
        guard result.transformJobStatus == "Completed" else { return (result, Data()) }
        return (result, try engine.store.readObject(bucket: "loan-lab", key: "out-\(name)/rows.csv.out"))
    }

    @Test(arguments: [("loan-ll", "application/jsonlines"), ("loan-xgb", nil)] as [(String, String?)])
    func maxPayload100GivesTheOutputOfMaxPayload1(model: String, accept: String?) throws {
        let engine = try Self.engineWithBothModels()
        try put(engine, "s3://loan-lab/rows/rows.csv", Self.loanRows(150_000))  // 2.0 MB
        let (big, bigOutput) = try Self.run(engine, "p100", model: model, accept: accept, payload: 100, concurrent: 1)
        let (small, smallOutput) = try Self.run(engine, "p1", model: model, accept: accept, payload: 1, concurrent: 2)
        #expect(big.transformJobStatus == "Completed", "\(big.failureReason ?? "")")
        #expect(small.transformJobStatus == "Completed", "\(small.failureReason ?? "")")
        #expect(big.inferLabProgress?.miniBatches == 1, "one mini-batch holds the whole file")
        #expect((small.inferLabProgress?.miniBatches ?? 0) == (bigOutput.isEmpty ? -1 : 2), "2 MB in payloads of at most 1 MB")
        #expect(big.inferLabProgress?.records == 150_000)
        #expect(bigOutput.count > 1_000_000)
        #expect(bigOutput == smallOutput)
    }

    /// application/json frames each response: one mini-batch of several parts still gets one
    /// `{"predictions":[…]}`, the bytes the container gives the whole file as one request.
    @Test(arguments: ["Line", "None"])
    func aJSONResponseJoinedFromPartsIsTheWholeRequestsResponse(assemble: String) throws {
        let engine = try Self.engineWithBothModels()
        let rows = Self.loanRows(150_000)
        try put(engine, "s3://loan-lab/rows/rows.csv", rows)
        let (job, output) = try Self.run(engine, "json", model: "loan-ll", accept: "application/json", assemble: assemble,
                                         payload: 100, concurrent: 1)
        #expect(job.transformJobStatus == "Completed", "\(job.failureReason ?? "")")
        let whole = try engine.sagemaker.container(forModel: "loan-ll")
            .invoke(body: Data(rows.utf8), contentType: "text/csv", accept: "application/json", mode: .batchTransform).body
        #expect(output == whole + (assemble == "Line" ? Data([0x0A]) : Data()))
    }

    /// SplitType None sends the whole object as one request: scored in parts, it is still the
    /// whole object's response; over MaxPayloadInMB it still fails before anything is stored.
    @Test func splitTypeNoneInPartsIsTheWholeObjectsResponse() throws {
        let engine = try Self.engineWithBothModels()
        let rows = Self.loanRows(150_000)
        try put(engine, "s3://loan-lab/rows/rows.csv", rows)
        for (name, payload) in [("none100", 100), ("none1", 1)] {
            var job = transformJob(name, input: "s3://loan-lab/rows/", output: "s3://loan-lab/out-\(name)/", model: "loan-ll",
                                   split: nil, accept: "application/jsonlines")
            job.maxPayloadInMB = payload
            _ = try engine.sagemaker.createTransformJob(job)
        }
        let whole = try waitForJob(engine, "none100", timeout: 120)
        #expect(whole.transformJobStatus == "Completed", "\(whole.failureReason ?? "")")
        #expect(whole.inferLabProgress?.miniBatches == 1)
        let expected = try engine.sagemaker.container(forModel: "loan-ll")
            .invoke(body: Data(rows.utf8), contentType: "text/csv", accept: "application/jsonlines", mode: .batchTransform).body
        #expect(try engine.store.readObject(bucket: "loan-lab", key: "out-none100/rows.csv.out") == expected)
        let tooBig = try waitForJob(engine, "none1", timeout: 120)
        #expect(tooBig.transformJobStatus == "Failed")
        #expect(tooBig.failureReason?.contains("larger than MaxPayloadInMB (1 MB) and SplitType is None") == true, "\(tooBig.failureReason ?? "")")
        #expect(throws: (any Error).self) { try engine.store.headObject(bucket: "loan-lab", key: "out-none1/rows.csv.out") }
    }

    /// A bad record or a blank line deep inside a 50 MB mini-batch fails the file with the error
    /// the container gives the whole mini-batch (its record numbers count from the request's start).
    @Test(arguments: ["35,abc,3\n", "\n"])
    func aFailingPartReportsTheWholeRequestsError(bad: String) throws {
        let engine = try Self.engineWithBothModels()
        var lines = Self.loanRows(150_000).split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\n" }
        lines.removeLast()  // the empty piece after the last newline
        lines[120_000] = Substring(bad)
        let rows = lines.joined()
        try put(engine, "s3://loan-lab/rows/rows.csv", rows)
        let (job, _) = try Self.run(engine, "bad", model: "loan-ll", accept: "application/jsonlines", payload: 50, concurrent: 2)
        #expect(job.transformJobStatus == "Failed")
        var expected = ""
        do {
            _ = try engine.sagemaker.container(forModel: "loan-ll")
                .invoke(body: Data(rows.utf8), contentType: "text/csv", accept: "application/jsonlines", mode: .batchTransform)
        } catch let error as ContainerError { expected = error.message }
        #expect(expected.contains("record 120001"), "\(expected)")
        #expect(job.failureReason?.contains(expected) == true, "\(job.failureReason ?? "")")
    }

    /// The parts of each mini-batch are its bytes, in order, cut only between two records that
    /// begin with visible text.
    @Test func partsJoinIntoTheMiniBatchesOfTheWholeBatcher() throws {
        var text = Self.loanRows(60_000)
        text += "\n \n1,2,3\n\n"  // blank lines, one between records, and trailing ones
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let store = InMemoryObjectStore()
        try store.createBucket("bkt")
        try store.putObject(bucket: "bkt", key: "k", data: Data(text.utf8))
        func batcher(_ parts: Int?) throws -> RecordBatcher {
            try RecordBatcher(source: store.openObject(bucket: "bkt", key: "k"), gzip: false, splitByLine: true,
                              singleRecord: false, maxPayloadBytes: 300_000, partBytes: parts)
        }
        let whole = try batcher(nil), parted = try batcher(20_000)
        var batches = 0, parts = 0
        while let batch = try whole.next() {
            var joined = Data(), records = 0, first = true
            while true {
                let part = try #require(try parted.next())
                #expect(part.batch == batches && part.isFirstPart == first)
                #expect(part.payload.count <= 20_000 + 40)
                #expect(part.firstRecord == batch.firstRecord + records)
                if !first, let byte = part.payload.first { #expect(byte > 0x20, "a part starts with a visible record") }
                joined += part.payload
                records += part.recordCount
                parts += 1
                first = false
                if part.isLastPart { break }
                #expect((part.record(part.recordCount - 1).first ?? 0) > 0x20, "a part ends with a visible record")
            }
            #expect(joined == batch.payload && records == batch.recordCount)
            batches += 1
        }
        #expect(try parted.next() == nil)
        #expect(batches >= 3 && parts > batches * 10, "\(batches) mini-batches in \(parts) parts")
        #expect(lines.count == 60_005)
    }
}
