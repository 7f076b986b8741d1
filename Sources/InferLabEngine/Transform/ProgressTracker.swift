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
    /// When the instances were ready and the first object was taken up: start-up ends here.
    private let transformingSince: Date

    init(instances: [String], assignment: [[String]], transformingSince: Date) {
        self.instances = instances
        self.transformingSince = transformingSince
        state = Mutex(State(files: assignment, filesDone: Array(repeating: 0, count: instances.count),
                            filesFailed: Array(repeating: 0, count: instances.count),
                            records: Array(repeating: 0, count: instances.count), batches: Array(repeating: 0, count: instances.count)))
    }

    func add(instance: Int, records: Int, batches: Int) {
        state.withLock { $0.records[instance] += records; $0.batches[instance] += batches }
    }

    func fileDone(instance: Int) { state.withLock { $0.filesDone[instance] += 1 } }
    func fileFailed(instance: Int) { state.withLock { $0.filesFailed[instance] += 1 } }

    /// The progress as DescribeTransformJob shows it, with the instance-seconds billed so far and
    /// their estimated cost (`Billing`: from TransformStartTime, per instance, less the `unbilled`
    /// seconds when no instance ran because their process had died).
    func snapshot(job: CreateTransformJobInput, creation: Date, start: Date?, end: Date?, now: Date, unbilled: Double = 0) -> InferLabTransformProgress {
        state.withLock { state in
            InferLabTransformProgress.billed(
                InferLabTransformProgress(
                    filesTotal: state.files.reduce(0) { $0 + $1.count },
                    filesDone: state.filesDone.reduce(0, +), filesFailed: state.filesFailed.reduce(0, +),
                    records: state.records.reduce(0, +), miniBatches: state.batches.reduce(0, +),
                    instances: instances.indices.map { index in
                        .init(instance: instances[index], files: state.files[index], filesDone: state.filesDone[index],
                              records: state.records[index], miniBatches: state.batches[index])
                    },
                    startupSeconds: start.map { max(0, transformingSince.timeIntervalSince($0)) },
                    billableInstanceSeconds: 0, estimatedCostUSD: Billing.money(0)),
                job: job, creation: creation, start: start, end: end, now: now, unbilled: unbilled)
        }
    }
}

extension InferLabTransformProgress {
    /// The progress with its phases' durations and its bill brought up to `now` (or the job's
    /// end), as `Billing` counts it. Start-up is stored once known; until then it is still going.
    static func billed(_ progress: InferLabTransformProgress, job: CreateTransformJobInput, creation: Date, start: Date?, end: Date?,
                       now: Date, unbilled: Double) -> InferLabTransformProgress {
        var progress = progress
        let instances = job.transformResources.instanceCount
        let seconds = Billing.transformInstanceSeconds(instances: instances, start: start, end: end, now: now, unbilled: unbilled)
        func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
        progress.provisioningSeconds = rounded(max(0, (start ?? end ?? now).timeIntervalSince(creation)))
        if start != nil {
            let running = seconds / Double(max(1, instances))
            let startup = min(running, progress.startupSeconds ?? running)
            progress.startupSeconds = rounded(startup)
            progress.transformingSeconds = rounded(running - startup)
        }
        progress.billableInstanceSeconds = rounded(seconds)
        progress.estimatedCostUSD = Billing.money(Billing.cost(instanceType: job.transformResources.instanceType, instanceSeconds: seconds) ?? 0)
        return progress
    }

    /// Before the first object is assigned: no files or records yet, only the phase and the bill.
    static func empty(instances: [String]) -> InferLabTransformProgress {
        InferLabTransformProgress(filesTotal: 0, filesDone: 0, filesFailed: 0, records: 0, miniBatches: 0,
                                  instances: instances.map { .init(instance: $0, files: [], filesDone: 0, records: 0, miniBatches: 0) },
                                  billableInstanceSeconds: 0, estimatedCostUSD: Billing.money(0))
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
