// Framework-container benchmark: a 1,000,000-row batch transform through the SKLearn container
// (a trivial predict_fn) and through a 2-container pipeline, each beside the same script(s) run
// directly under Python on the same data and mini-batches (bench/script_bare.py: the limit for
// this design); then real-time invoke latency (p50/p99) through a script container, in-process.
// Release build:
//   swift build -c release --product inferlab-script-bench && .build/release/inferlab-script-bench .
// (`make bench-scripts`; `make bench` runs it too.) Settings: ROWS (default 1000000), INVOKES (2000).
import Foundation
import InferLabEngine

/// Prints a line at once (the output may be a file, which would keep it in a buffer).
func say(_ line: String) {
    print(line)
    fflush(nil)
}

let root = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : FileManager.default.currentDirectoryPath)
let environment = ProcessInfo.processInfo.environment
let python = environment["INFERLAB_PYTHON"] ?? root.appendingPathComponent(".venv/bin/python").path
let rows = Int(environment["ROWS"] ?? "1000000") ?? 1_000_000
let invokes = Int(environment["INVOKES"] ?? "2000") ?? 2000
let workspace = Workspace(root: FileManager.default.temporaryDirectory.appendingPathComponent("inferlab-script-bench-\(UUID().uuidString)"))
defer { try? FileManager.default.removeItem(at: workspace.root) }
var configuration = SageMakerService.Configuration()
configuration.provisioningDelay = 0
configuration.startupDelay = 0
configuration.python = python
let engine = try Engine.open(workspace, configuration: configuration)
let service = engine.sagemaker

// The learner's scripts: a featurizer that drops the id column, and a trivial predictor.
let featurizer = """
import numpy as np
def model_fn(model_dir):
    return None
def predict_fn(data, model):
    return np.atleast_2d(data)[:, 1:]
"""
// The featurizer's CSV comes as Flask sends it, `text/csv; charset=utf-8`, which the toolkit
// neither decodes nor hands over as text: a script behind another script reads the media type.
let predictor = """
import numpy as np
from sagemaker_containers.beta.framework import encoders
def model_fn(model_dir):
    return None
def input_fn(data, content_type):
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return encoders.decode(text, content_type.split(";")[0]).astype(np.float32)
def predict_fn(data, model):
    return np.atleast_2d(data)[:, 0]
"""
let scratch = workspace.root.appendingPathComponent("scratch", isDirectory: true)
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
try Data(featurizer.utf8).write(to: scratch.appendingPathComponent("featurizer.py"))
try Data(predictor.utf8).write(to: scratch.appendingPathComponent("predictor.py"))

// 1,000,000 loan applications with an id: `id,age,income,credit`.
var csv = Data()
csv.reserveCapacity(rows * 24)
struct Generator {
    var state: UInt64 = 42
    mutating func next(_ bound: UInt64) -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return (state >> 33) % bound }
}
var random = Generator()
for row in 0..<rows { csv.append(contentsOf: "\(row),\(18 + random.next(60)),\(20000 + random.next(130000)),\(random.next(5))\n".utf8) }
let input = scratch.appendingPathComponent("input.csv")
try csv.write(to: input)
try engine.store.createBucket("bench")
try engine.store.putObject(bucket: "bench", key: "in/input.csv", data: csv)
for (name, script) in [("featurizer", featurizer), ("predictor", predictor)] {
    try engine.store.putObject(bucket: "bench", key: "models/\(name).tar.gz",
                               data: try ModelArchive.write(files: ["code/inference.py": Data(script.utf8)]))
}
func container(_ name: String, accept: String? = nil) -> ContainerDefinition {
    var environment = ["SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"]
    if let accept { environment["SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT"] = accept }
    return ContainerDefinition(containerHostname: name, image: FrameworkImage.sklearn.exampleImage,
                               modelDataUrl: "s3://bench/models/\(name).tar.gz", environment: environment)
}
_ = try service.createModel(CreateModelInput(modelName: "single", primaryContainer: container("predictor")))
var pipeline = CreateModelInput(modelName: "pipeline")
pipeline.containers = [container("featurizer", accept: "text/csv"), container("predictor")]
_ = try service.createModel(pipeline)

func transform(_ model: String) throws -> (seconds: Double, output: Data) {
    let name = "bench-\(model)"
    var job = CreateTransformJobInput(
        transformJobName: name, modelName: model,
        transformInput: TransformInput(dataSource: TransformDataSource(s3DataSource: TransformS3DataSource(s3DataType: "S3Prefix", s3Uri: "s3://bench/in/")),
                                       contentType: "text/csv", splitType: "Line"),
        transformOutput: TransformOutput(s3OutputPath: "s3://bench/out-\(model)/", accept: "text/csv", assembleWith: "Line"),
        transformResources: TransformResources(instanceType: "ml.m5.large", instanceCount: 1))
    job.maxPayloadInMB = 6
    let begin = Date()
    _ = try service.createTransformJob(job)
    while true {
        let described = try service.describeTransformJob(DescribeTransformJobInput(transformJobName: name))
        if described.transformJobStatus == "Completed" { break }
        if described.transformJobStatus != "InProgress" {
            let log = (try? engine.catalog.logEvents(group: "/aws/sagemaker/TransformJobs", streamPrefix: name)) ?? []
            for event in log.suffix(30) { say(event.message) }
            fatalError("\(name): \(described.transformJobStatus) \(described.failureReason ?? "")")
        }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return (Date().timeIntervalSince(begin), try engine.store.readObject(bucket: "bench", key: "out-\(model)/input.csv.out"))
}

/// The same script(s) under Python alone, whole run timed (interpreter start included, as the job's is).
func bare(_ scripts: [String]) throws -> (seconds: Double, output: Data) {
    let output = scratch.appendingPathComponent("bare-\(scripts.count).out")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [root.appendingPathComponent("bench/script_bare.py").path, input.path, output.path]
        + scripts.map { scratch.appendingPathComponent("\($0).py").path }
    process.environment = ["PATH": environment["PATH"] ?? "/usr/bin:/bin", "HOME": scratch.path, "PYTHONDONTWRITEBYTECODE": "1"]
    let begin = Date()
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { fatalError("script_bare.py failed") }
    return (Date().timeIntervalSince(begin), try Data(contentsOf: output))
}

say("Framework containers, \(rows) rows (\(csv.count >> 20) MiB), MaxPayloadInMB=6, one instance, \(ProcessInfo.processInfo.activeProcessorCount) cores")
for (model, scripts) in [("single", ["predictor"]), ("pipeline", ["featurizer", "predictor"])] {
    let direct = try bare(scripts)
    let kit = try transform(model)
    var same = "same output"
    if direct.output != kit.output {
        let (a, b) = (direct.output.split(separator: 0x0A), kit.output.split(separator: 0x0A))
        let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        same = "OUTPUTS DIFFER at line \(line + 1) of \(a.count)/\(b.count): "
            + "\(a.dropFirst(line).first.map { String(decoding: $0, as: UTF8.self) } ?? "-") / \(b.dropFirst(line).first.map { String(decoding: $0, as: UTF8.self) } ?? "-")"
    }
    say(String(format: "  %-9@ transform %6.2f s   bare Python %6.2f s   ratio %.2f×   (%@)", model as NSString, kit.seconds, direct.seconds,
                 kit.seconds / direct.seconds, same as NSString))
}

// Real-time: one script container, one row per request, serially.
_ = try service.createEndpointConfig(CreateEndpointConfigInput(endpointConfigName: "rt", productionVariants: [
    ProductionVariant(variantName: "AllTraffic", modelName: "single", initialInstanceCount: 1, instanceType: "ml.m5.large"),
]))
_ = try service.createEndpoint(CreateEndpointInput(endpointName: "rt", endpointConfigName: "rt"))
while (try? service.describeEndpoint(DescribeEndpointInput(endpointName: "rt")).endpointStatus) != "InService" { Thread.sleep(forTimeInterval: 0.01) }
let request = InvokeEndpointInput(endpointName: "rt", body: Data("7,35,60000,3\n".utf8), contentType: "text/csv", accept: "text/csv")
for _ in 0..<200 { _ = try service.invokeEndpoint(request) }  // warm-up
var latencies: [Double] = []
for _ in 0..<invokes {
    let begin = DispatchTime.now().uptimeNanoseconds
    _ = try service.invokeEndpoint(request)
    latencies.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6)
}
latencies.sort()
say(String(format: "  real-time invoke through a script container: p50 %.3f ms, p99 %.3f ms (%d requests)",
             latencies[latencies.count / 2], latencies[latencies.count * 99 / 100], invokes))
engine.shutdown()
try service.deleteEndpoint(DeleteEndpointInput(endpointName: "rt"))
