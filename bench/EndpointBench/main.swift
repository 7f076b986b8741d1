// Endpoint benchmark: 1,000 async invocations from the first invoke to the last output object,
// and real-time invoke latency (p50/p99) in-process. Release build:
//   swift build -c release --product inferlab-endpoint-bench && .build/release/inferlab-endpoint-bench
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
    while (try? service.describeEndpoint(EndpointNameInput(endpointName: name)).endpointStatus) != "InService" { Thread.sleep(forTimeInterval: 0.005) }
}

// Async: instances × MaxConcurrentInvocationsPerInstance workers drain the durable queue.
let perInstance = Int(ProcessInfo.processInfo.environment["PER_INSTANCE"] ?? "4") ?? 4
_ = try service.createEndpointConfig(CreateEndpointConfigInput(endpointConfigName: "async", productionVariants: [
    ProductionVariant(variantName: "AllTraffic", modelName: "m", initialInstanceCount: 1, instanceType: "ml.m5.large"),
], asyncInferenceConfig: AsyncInferenceConfig(clientConfig: AsyncInferenceClientConfig(maxConcurrentInvocationsPerInstance: perInstance),
                                              outputConfig: AsyncInferenceOutputConfig(s3OutputPath: "s3://bench/out/"))))
_ = try service.createEndpoint(CreateEndpointInput(endpointName: "async", endpointConfigName: "async"))
waitInService("async")
let count = 1_000
let started = Date()
var outputs: [String] = []
for _ in 0..<count {
    var request = InvokeEndpointAsyncInput(endpointName: "async", inputLocation: "s3://bench/in/row.csv")
    request.contentType = "text/csv"
    outputs.append(try service.invokeEndpointAsync(request).outputLocation)
}
let enqueued = Date()
while try engine.catalog.queueStatistics(endpoint: "async").succeeded < count { Thread.sleep(forTimeInterval: 0.001) }
let last = S3Location(outputs.last!)!
_ = try engine.store.headObject(bucket: last.bucket, key: last.key)
let drained = Date()
print(String(format: "async: %d invocations, first invoke to last output %.3f s (enqueue %.3f s), %d workers",
             count, drained.timeIntervalSince(started), enqueued.timeIntervalSince(started), perInstance))

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
