import Foundation
import InferLabEngine

/// `lab compare`: the same records through batch transform, an async endpoint and a real-time
/// endpoint, measured side by side (lab 4 of the course).
enum CompareCommand {
    struct Row: Codable, Sendable {
        var option: String
        var records: Int
        var wallSeconds: Double
        var recordsPerSecond: Double
        var latencyP50Ms: Double?
        var latencyP99Ms: Double?
        var instanceSeconds: Double
        var estimatedCostUSD: Double
        var note: String
    }

    struct Report: Codable, Sendable {
        var model: String
        var input: String
        var instanceType: String
        var pricingSource: String
        var pricingDate: String
        var rows: [Row]
    }

    static let compare = CommandSpec(
        ["lab", "compare"], family: .kit, summary: "Run the same records through batch, async and real-time, and compare them",
        discussion: """
        Runs a transform job on the input, sends each record to an async endpoint and to a real-time endpoint \
        (creating them if needed), and prints wall time, throughput, latency p50/p99, instance-seconds and \
        estimated cost (pricing table with its source date), with a bar chart. The report is saved as JSON in \
        s3://BUCKET/reports/comparison.json. Endpoints are billed while they exist, idle or not: the figures \
        count only the minutes of the test, which flatters them against a long-lived deployment.
        """,
        options: [
            OptionSpec("model-name", placeholder: "NAME", help: "the model to compare with", isRequired: true, completion: ModelCommands.modelNames),
            OptionSpec("input", placeholder: "S3_URI", help: "a CSV object without header or labels", isRequired: true, completion: .s3Path),
            OptionSpec("instance-type", placeholder: "TYPE", help: "default ml.m5.large"),
            OptionSpec("max-records", placeholder: "N", help: "records sent to the endpoints (default 200; batch takes the whole file)"),
        ]
    ) { invocation in
        let engine = invocation.session.engine
        let model = invocation.value("model-name")!
        guard let input = S3Location(invocation.value("input")!) else { throw ShellError.usage("--input must be an s3:// URI", command: invocation.spec) }
        let instanceType = invocation.value("instance-type") ?? "ml.m5.large"
        let data = try S3Operations.GetObject.run(GetObjectInput(bucket: input.bucket, key: input.key), on: engine).body.readAll()
        let records = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { !$0.isEmpty }.map(String.init)
        let sample = Array(records.prefix(try invocation.integer("max-records") ?? 200))
        let stamp = String(Int(Date().timeIntervalSince1970))
        let price = { (seconds: Double) in Pricing.standard.cost(instanceType: instanceType, instanceSeconds: seconds) ?? 0 }
        let console = invocation.console
        var rows: [Row] = []

        // Batch transform: the whole file, one instance.
        console.print("Batch transform on \(records.count) records…")
        let job = "compare-batch-\(stamp)"
        let batchStart = Date()
        var request = CreateTransformJobInput(
            transformJobName: job, modelName: model,
            transformInput: TransformInput(dataSource: TransformDataSource(s3DataSource: S3DataSource(s3DataType: "S3Prefix", s3Uri: input.description)),
                                           contentType: "text/csv", splitType: "Line"),
            transformOutput: TransformOutput(s3OutputPath: "s3://\(input.bucket)/compare/\(stamp)/batch/", assembleWith: "Line"),
            transformResources: TransformResources(instanceType: instanceType, instanceCount: 1))
        request.maxConcurrentTransforms = 2
        _ = try SageMakerOperations.CreateTransformJob.run(request, on: engine)
        var described = try SageMakerOperations.DescribeTransformJob.run(DescribeTransformJobInput(transformJobName: job), on: engine)
        while !["Completed", "Failed", "Stopped"].contains(described.transformJobStatus) {
            try await Task.sleep(for: .milliseconds(20))
            described = try SageMakerOperations.DescribeTransformJob.run(DescribeTransformJobInput(transformJobName: job), on: engine)
        }
        let batchWall = Date().timeIntervalSince(batchStart)
        let batchSeconds = described.inferLabProgress?.billableInstanceSeconds ?? 0
        rows.append(Row(option: "batch transform", records: records.count, wallSeconds: batchWall, recordsPerSecond: Double(records.count) / max(batchWall, 1e-9),
                        latencyP50Ms: nil, latencyP99Ms: nil, instanceSeconds: batchSeconds, estimatedCostUSD: price(batchSeconds),
                        note: "includes instance start-up; billed from start to end only"))

        // Async and real-time endpoints: one request per record.
        for isAsync in [true, false] {
            let name = "compare-\(isAsync ? "async" : "rt")-\(stamp)"
            console.print("\(isAsync ? "Async" : "Real-time") endpoint \(name) on \(sample.count) records…")
            var config = CreateEndpointConfigInput(endpointConfigName: name, productionVariants: [
                ProductionVariant(variantName: "AllTraffic", modelName: model, initialInstanceCount: 1, instanceType: instanceType)])
            if isAsync {
                config.asyncInferenceConfig = AsyncInferenceConfig(outputConfig: AsyncInferenceOutputConfig(s3OutputPath: "s3://\(input.bucket)/compare/\(stamp)/async-output/"))
            }
            _ = try SageMakerOperations.CreateEndpointConfig.run(config, on: engine)
            _ = try SageMakerOperations.CreateEndpoint.run(CreateEndpointInput(endpointName: name, endpointConfigName: name), on: engine)
            while try SageMakerOperations.DescribeEndpoint.run(EndpointNameInput(endpointName: name), on: engine).endpointStatus != "InService" {
                try await Task.sleep(for: .milliseconds(20))
            }
            let started = Date()
            var latencies: [Double] = []
            if isAsync {
                var pending: [AsyncResult] = []
                for (index, record) in sample.enumerated() {
                    let key = "compare/\(stamp)/async-input/\(index).csv"
                    _ = try await engine.call(S3Operations.PutObject.self, PutObjectInput(
                        bucket: input.bucket, key: key, body: .data(Data((record + "\n").utf8))))
                    var call = InvokeEndpointAsyncInput(endpointName: name, inputLocation: "s3://\(input.bucket)/\(key)")
                    call.contentType = "text/csv"
                    let sent = Date()
                    pending.append(AsyncResult(try RuntimeOperations.InvokeEndpointAsync.run(call, on: engine), sent: sent))
                }
                latencies = try await AsyncResult.latencies(pending, engine: engine)
            } else {
                for record in sample {
                    let begin = Date()
                    _ = try RuntimeOperations.InvokeEndpoint.run(
                        InvokeEndpointInput(endpointName: name, body: Data((record + "\n").utf8), contentType: "text/csv"), on: engine)
                    latencies.append(Date().timeIntervalSince(begin) * 1000)
                }
            }
            let wall = Date().timeIntervalSince(started)
            _ = try SageMakerOperations.DeleteEndpoint.run(EndpointNameInput(endpointName: name), on: engine)
            latencies.sort()
            rows.append(Row(option: isAsync ? "async endpoint" : "real-time endpoint", records: sample.count, wallSeconds: wall,
                            recordsPerSecond: Double(sample.count) / max(wall, 1e-9),
                            latencyP50Ms: latencies.isEmpty ? nil : latencies[latencies.count / 2],
                            latencyP99Ms: latencies.isEmpty ? nil : latencies[min(latencies.count - 1, latencies.count * 99 / 100)],
                            instanceSeconds: wall, estimatedCostUSD: price(wall),
                            note: isAsync ? "queued via S3; can scale to zero when idle" : "billed every second it stays up, idle or not"))
        }
        let report = Report(model: model, input: input.description, instanceType: instanceType, pricingSource: Pricing.standard.source,
                            pricingDate: Pricing.standard.retrieved, rows: rows)
        _ = try await engine.call(S3Operations.PutObject.self, PutObjectInput(
            bucket: input.bucket, key: "reports/comparison.json", body: .data(Data(JSONValue(reflecting: report).rendered().utf8)),
            contentType: "application/json"))
        printTable(report, console: console)
        console.print("Report saved to s3://\(input.bucket)/reports/comparison.json")
    }

    static func printTable(_ report: Report, console: Console) {
        let header = "OPTION".padding(to: 20) + "RECORDS".padding(to: 9) + "WALL s".padding(to: 9) + "REC/s".padding(to: 10)
            + "P50 ms".padding(to: 9) + "P99 ms".padding(to: 9) + "INST-s".padding(to: 9) + "COST USD"
        console.print(console.style.bold(header))
        for row in report.rows {
            func ms(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "—" }
            console.print(row.option.padding(to: 20) + String(row.records).padding(to: 9) + String(format: "%.2f", row.wallSeconds).padding(to: 9)
                          + String(format: "%.0f", row.recordsPerSecond).padding(to: 10) + ms(row.latencyP50Ms).padding(to: 9)
                          + ms(row.latencyP99Ms).padding(to: 9) + String(format: "%.2f", row.instanceSeconds).padding(to: 9)
                          + String(format: "%.6f", row.estimatedCostUSD))
        }
        console.print()
        console.print("Throughput (records per second):")
        let best = report.rows.map(\.recordsPerSecond).max() ?? 1
        for row in report.rows {
            let width = max(1, Int((row.recordsPerSecond / max(best, 1e-9)) * 40))
            let bar = String(repeating: console.style.isDecorated ? "█" : "#", count: width)
            console.print(row.option.padding(to: 20) + bar + " " + String(format: "%.0f", row.recordsPerSecond))
        }
        console.print("Prices: \(report.instanceType), \(report.pricingDate) (\(report.pricingSource.prefix(80))…)")
    }
}
