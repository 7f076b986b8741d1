import Foundation
import Synchronization

/// Live counts of a running job, per instance, shared by the instance threads.
final class ProgressTracker: Sendable {
    private struct State {
        var files: [[String]]
        var filesDone: [Int]
        var filesFailed: [Int]
        var records: [Int]
        var batches: [Int]
    }

    private let instances: [String]
    private let state: Mutex<State>

    init(instances: [String], assignment: [[String]]) {
        self.instances = instances
        state = Mutex(State(files: assignment, filesDone: Array(repeating: 0, count: instances.count),
                            filesFailed: Array(repeating: 0, count: instances.count),
                            records: Array(repeating: 0, count: instances.count), batches: Array(repeating: 0, count: instances.count)))
    }

    func add(instance: Int, records: Int, batches: Int) {
        state.withLock { $0.records[instance] += records; $0.batches[instance] += batches }
    }

    func fileDone(instance: Int) { state.withLock { $0.filesDone[instance] += 1 } }
    func fileFailed(instance: Int) { state.withLock { $0.filesFailed[instance] += 1 } }

    /// The progress as DescribeTransformJob shows it, with instance-seconds billed so far
    /// (from TransformStartTime, per instance, as AWS bills, less the `unbilled` seconds when no
    /// instance ran because their process had died) and their estimated cost.
    func snapshot(job: CreateTransformJobInput, start: Date?, end: Date?, now: Date, unbilled: Double = 0) -> InferLabTransformProgress {
        state.withLock { state in
            let seconds = start.map { max(0, (end ?? now).timeIntervalSince($0) - unbilled) } ?? 0
            let instanceSeconds = seconds * Double(instances.count)
            let cost = Pricing.standard.cost(instanceType: job.transformResources.instanceType, instanceSeconds: instanceSeconds) ?? 0
            return InferLabTransformProgress(
                filesTotal: state.files.reduce(0) { $0 + $1.count },
                filesDone: state.filesDone.reduce(0, +), filesFailed: state.filesFailed.reduce(0, +),
                records: state.records.reduce(0, +), miniBatches: state.batches.reduce(0, +),
                instances: instances.indices.map { index in
                    .init(instance: instances[index], files: state.files[index], filesDone: state.filesDone[index],
                          records: state.records[index], miniBatches: state.batches[index])
                },
                billableInstanceSeconds: (instanceSeconds * 1000).rounded() / 1000,
                estimatedCostUSD: (cost * 1_000_000).rounded() / 1_000_000)
        }
    }
}

/// `ManifestFile` inputs: `[{"prefix": "s3://bucket/prefix/"}, "relative/key-1", "relative/key-2"]`.
enum ManifestReader {
    static func read(_ location: S3Location, store: any ObjectStore) throws -> ([S3Location], String) {
        struct Problem: Error, CustomStringConvertible { let description: String }
        let data: Data
        do { data = try store.readObject(bucket: location.bucket, key: location.key) } catch {
            throw Problem(description: "the manifest \(location) cannot be read: \(ErrorSentence.of(error))")
        }
        guard case .array(let items)? = try? JSONValue.parse(data), case .string(let prefix)? = items.first?["prefix"],
              let base = S3Location(prefix) else {
            throw Problem(description: "the manifest \(location) must be a JSON list that starts with {\"prefix\": \"s3://bucket/prefix/\"}")
        }
        var inputs: [S3Location] = []
        for item in items.dropFirst() {
            guard case .string(let relative) = item else {
                throw Problem(description: "the manifest \(location) lists something that is not a key: \(item.compact)")
            }
            inputs.append(S3Location(bucket: base.bucket, key: base.key + relative))
        }
        guard !inputs.isEmpty else { throw Problem(description: "the manifest \(location) lists no objects") }
        return (inputs, base.key)
    }
}
