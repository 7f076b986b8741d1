// Endpoint benchmark: 1,000 async invocations from the first invoke to the last output object,
// and real-time invoke latency (p50/p99) in-process. Release build:
//   swift build -c release --product inferlab-endpoint-bench && .build/release/inferlab-endpoint-bench
// (bench/run.sh runs it after the transform benchmark; `make bench-endpoints` runs only this.)
// Settings: PER_INSTANCE (MaxConcurrentInvocationsPerInstance), ROUNDS (default 3).
import Foundation
import InferLabEngine

let root = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : FileManager.default.currentDirectoryPath)
let artifact = root.appendingPathComponent("datasets/models/xgboost/model.tar.gz")
let workspace = Workspace(root: FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-endpoint-bench-\(UUID().uuidString)"))
defer { try? FileManager.default.removeItem(at: workspace.root) }
var configuration = SageMakerService.Configuration()
configuration.provisioningDelay = 0
let engine = try Engine.open(workspace, configuration: configuration)
let service = engine.sagemaker

try engine.store.createBucket("bench")
try engine.store.putObject(bucket: "bench", key: "model.tar.gz", data: Data(contentsOf: artifact))
try engine.store.putObject(bucket: "bench", key: "in/row.csv", data: Data("35,60000,3\n".utf8))
_ = try service.createModel(CreateModelInput(modelName: "m", primaryContainer: ContainerDefinition(image: "xgboost", modelDataUrl: "s3://bench/model.tar.gz")))
func waitInService(_ name: String) {
    while (try? service.describeEndpoint(DescribeEndpointInput(endpointName: name)).endpointStatus) != "InService" { Thread.sleep(forTimeInterval: 0.005) }
}

// What creating a small file costs on this disk right now: every async output is one new file
// (and an fsync), and on some file systems (ext4 without a journal) creating files slows down a
// hundredfold for minutes after many files were deleted. Printed so a slow round can be told apart.
func fileCreationMicroseconds() throws -> Double {
    let folder = workspace.root.appendingPathComponent("calibration-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let begin = Date()
    for index in 0..<200 {
        let descriptor = open(folder.appendingPathComponent("\(index)").path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        _ = write(descriptor, "0.5\n", 4)
        close(descriptor)
    }
    return Date().timeIntervalSince(begin) / 200 * 1e6
}

// Async: instances × MaxConcurrentInvocationsPerInstance workers drain the durable queue.
// ROUNDS rounds (default 3), each on a fresh endpoint and output prefix in the same workspace;
// nothing is deleted between rounds (deleting thousands of files slows the next creations on
// some file systems, which would measure the previous round rather than this one).
// PER_INSTANCE sets MaxConcurrentInvocationsPerInstance; unset, the endpoint's default (2) applies.
let perInstance = ProcessInfo.processInfo.environment["PER_INSTANCE"].flatMap { Int($0) }
let rounds = Int(ProcessInfo.processInfo.environment["ROUNDS"] ?? "3") ?? 3
let count = 1_000
var drainTimes: [Double] = []
for round in 1...rounds {
    let name = "async-\(round)"
    _ = try service.createEndpointConfig(CreateEndpointConfigInput(endpointConfigName: name, productionVariants: [
        ProductionVariant(variantName: "AllTraffic", modelName: "m", initialInstanceCount: 1, instanceType: "ml.m5.large"),
    ], asyncInferenceConfig: AsyncInferenceConfig(clientConfig: AsyncInferenceClientConfig(maxConcurrentInvocationsPerInstance: perInstance),
                                                  outputConfig: AsyncInferenceOutputConfig(s3OutputPath: "s3://bench/\(name)/"))))
    _ = try service.createEndpoint(CreateEndpointInput(endpointName: name, endpointConfigName: name))
    waitInService(name)
    let started = Date()
    for _ in 0..<count {
        var request = InvokeEndpointAsyncInput(endpointName: name, inputLocation: "s3://bench/in/row.csv")
        request.contentType = "text/csv"
        _ = try service.invokeEndpointAsync(request)
    }
    let enqueued = Date()
    var ended = try engine.catalog.queueStatistics(endpoint: name)
    while ended.succeeded + ended.failed < count {
        Thread.sleep(forTimeInterval: 0.002)
        ended = try engine.catalog.queueStatistics(endpoint: name)
    }
    let drained = Date()
    // Every request has its own output object, holding the model's score.
    let objects = try engine.store.listAllObjects(bucket: "bench", prefix: "\(name)/")
    let sample = try engine.store.readObject(bucket: "bench", key: objects[objects.count / 2].key)
    guard ended.failed == 0, objects.count == count, Double(String(decoding: sample, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) != nil else {
        print("async: round \(round) produced \(objects.count) outputs and \(ended.failed) failures, expected \(count) outputs")
        exit(1)
    }
    drainTimes.append(drained.timeIntervalSince(started))
    print(String(format: "async round %d: %d invocations, first invoke to last output %.3f s (enqueue %.3f s), %d workers; creating a file: %.0f µs",
                 round, count, drained.timeIntervalSince(started), enqueued.timeIntervalSince(started), perInstance ?? 2,
                 try fileCreationMicroseconds()))
}
print(String(format: "async: median %.3f s for %d invocations", drainTimes.sorted()[drainTimes.count / 2], count))

// Real-time latency, in-process.
_ = try service.createEndpointConfig(CreateEndpointConfigInput(endpointConfigName: "rt", productionVariants: [
    ProductionVariant(variantName: "AllTraffic", modelName: "m", initialInstanceCount: 1, instanceType: "ml.m5.large"),
]))
_ = try service.createEndpoint(CreateEndpointInput(endpointName: "rt", endpointConfigName: "rt"))
waitInService("rt")
let body = Data("25,50000,2\n35,60000,3\n45,45000,1\n".utf8)
var latencies: [Double] = []
for index in 0..<10_500 {
    let begin = DispatchTime.now().uptimeNanoseconds
    _ = try service.invokeEndpoint(InvokeEndpointInput(endpointName: "rt", body: body, contentType: "text/csv"))
    if index >= 500 { latencies.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1_000) }
}
latencies.sort()
print(String(format: "real-time: 10,000 invokes of 3 rows, p50 %.1f µs, p99 %.1f µs", latencies[latencies.count / 2], latencies[latencies.count * 99 / 100]))
