import Foundation
import InferLabEngine

/// `lab compare`: the same records through batch transform, an async endpoint and a real-time
/// endpoint, measured side by side (lab 4 of the course).
enum CompareCommand {
    static let compare = CommandSpec(
        ["lab", "compare"], family: .kit, summary: "Run the same records through batch, async and real-time, and compare them",
        discussion: """
        Sends the same records (the whole input, or its first --max-records) through a transform job, an \
        async endpoint and a real-time endpoint (one request per record for the endpoints, which it creates \
        and deletes), and prints, kept apart: the start-up before the first record could be scored, the \
        working time and throughput once running, the latency per record (p50/p99), and the billed \
        instance-seconds with their estimated cost (pricing table with its source date), with two charts. \
        The report is saved as JSON in s3://BUCKET/reports/comparison.json. Endpoints are billed while \
        they exist, idle or not: the figures count only the minutes of the test, which flatters them \
        against a long-lived deployment.
        """,
        options: [
            OptionSpec("model-name", placeholder: "NAME", help: "the model to compare with", isRequired: true, completion: ModelCommands.modelNames),
            OptionSpec("input", placeholder: "S3_URI", help: "a CSV object without header or labels", isRequired: true, completion: .s3Path),
            OptionSpec("instance-type", placeholder: "TYPE", help: "default ml.m5.large"),
            OptionSpec("max-records", placeholder: "N", help: "only the first N records, through every option (default: all)"),
        ]
    ) { invocation in
        let engine = invocation.session.engine
        let model = invocation.value("model-name")!
        guard let input = S3Location(invocation.value("input")!) else { throw ShellError.usage("--input must be an s3:// URI", command: invocation.spec) }
        let instanceType = invocation.value("instance-type") ?? "ml.m5.large"
        let data = try S3Operations.GetObject.run(GetObjectInput(bucket: input.bucket, key: input.key), on: engine).body.readAll()
        var records = String(decoding: data, as: UTF8.self).split(separator: "\n").filter { !$0.isEmpty }.map(String.init)
        if let limit = try invocation.integer("max-records") { records = Array(records.prefix(max(1, limit))) }
        let run = Run(engine: engine, console: invocation.console, model: model, bucket: input.bucket, instanceType: instanceType,
                      stamp: String(Int(Date().timeIntervalSince1970)), records: records)
        var rows: [CompareReport.Row] = []
        rows.append(try await run.batch())
        rows.append(try await run.endpoint(async: true))
        rows.append(try await run.endpoint(async: false))
        // Its own job's and endpoints' notices ("InService") would be stale by now: they are gone.
        invocation.session.events.discard { $0.contains(run.stamp) }
        let report = CompareReport(
            model: model, input: input.description, records: records.count, instanceType: instanceType,
            hourlyPriceUSD: Pricing.standard.hourly[instanceType].map { "$\($0)" } ?? "no known price",
            pricingSource: Pricing.standard.source, pricingDate: Pricing.standard.retrieved, rows: rows)
        _ = try await engine.call(S3Operations.PutObject.self, PutObjectInput(
            bucket: input.bucket, key: "reports/comparison.json", body: .data(Data(JSONValue(reflecting: report).rendered().utf8)),
            contentType: "application/json"))
        report.print(to: invocation.console)
        invocation.console.print("Report saved to s3://\(input.bucket)/reports/comparison.json")
    }

    /// One comparison: the same records through each option, on fresh resources named by `stamp`.
    struct Run: Sendable {
        let engine: Engine
        let console: Console
        let model: String
        let bucket: String
        let instanceType: String
        let stamp: String
        let records: [String]

        private func cost(_ instanceSeconds: Double) -> String {
            Billing.money(Billing.cost(instanceType: instanceType, instanceSeconds: instanceSeconds) ?? 0)
        }

        /// A transform job on the records, one instance, mini-batches of many records.
        func batch() async throws -> CompareReport.Row {
            console.print("Batch transform on \(NumberText.grouped(records.count)) records…")
            let key = "compare/\(stamp)/batch-input/records.csv"
            _ = try await engine.call(S3Operations.PutObject.self, PutObjectInput(
                bucket: bucket, key: key, body: .data(Data((records.joined(separator: "\n") + "\n").utf8))))
            let job = "compare-batch-\(stamp)"
            var request = CreateTransformJobInput(
                transformJobName: job, modelName: model,
                transformInput: TransformInput(dataSource: TransformDataSource(s3DataSource: TransformS3DataSource(s3DataType: "S3Prefix", s3Uri: "s3://\(bucket)/\(key)")),
                                               contentType: "text/csv", splitType: "Line"),
                transformOutput: TransformOutput(s3OutputPath: "s3://\(bucket)/compare/\(stamp)/batch-output/", assembleWith: "Line"),
                transformResources: TransformResources(instanceType: instanceType, instanceCount: 1))
            request.maxConcurrentTransforms = 2
            _ = try SageMakerOperations.CreateTransformJob.run(request, on: engine)
            var described = try engine.sagemaker.describeTransformJob(DescribeTransformJobInput(transformJobName: job))
            while !["Completed", "Failed", "Stopped"].contains(described.transformJobStatus) {
                try await Task.sleep(for: .milliseconds(20))
                described = try engine.sagemaker.describeTransformJob(DescribeTransformJobInput(transformJobName: job))
            }
            guard described.transformJobStatus == "Completed", let progress = described.inferLabProgress else {
                throw ShellError("the comparison's transform job \(job) ended \(described.transformJobStatus): \(described.failureReason ?? "see its log")",
                                 hint: "`aws logs tail /aws/sagemaker/TransformJobs --log-stream-name-prefix \(job)`", exitCode: ExitCode.generalError)
            }
            let startup = (progress.provisioningSeconds ?? 0) + (progress.startupSeconds ?? 0)
            let work = progress.transformingSeconds ?? 0
            // Every record waits for the whole job: from its creation to its end.
            let latency = (described.transformEndTime ?? Date()).timeIntervalSince(described.creationTime) * 1000
            return CompareReport.Row(
                option: "batch transform", records: records.count, startupSeconds: startup, workSeconds: work,
                recordsPerSecond: Double(records.count) / max(work, 1e-6), latencyP50Ms: latency, latencyP99Ms: latency,
                instanceSeconds: progress.billableInstanceSeconds, estimatedCostUSD: progress.estimatedCostUSD,
                note: "start-up paid by every job (not billed while provisioning); billed from start to end only")
        }

        /// An endpoint, one request per record, deleted afterwards (and waited for until it is gone).
        func endpoint(async isAsync: Bool) async throws -> CompareReport.Row {
            let name = "compare-\(isAsync ? "async" : "rt")-\(stamp)"
            console.print("\(isAsync ? "Async" : "Real-time") endpoint \(name) on \(NumberText.grouped(records.count)) records, one request each…")
            var config = CreateEndpointConfigInput(endpointConfigName: name, productionVariants: [
                ProductionVariant(variantName: "AllTraffic", modelName: model, initialInstanceCount: 1, instanceType: instanceType)])
            if isAsync {
                config.asyncInferenceConfig = AsyncInferenceConfig(outputConfig: AsyncInferenceOutputConfig(s3OutputPath: "s3://\(bucket)/compare/\(stamp)/async-output/"))
            }
            _ = try SageMakerOperations.CreateEndpointConfig.run(config, on: engine)
            let created = Date()
            _ = try SageMakerOperations.CreateEndpoint.run(CreateEndpointInput(endpointName: name, endpointConfigName: name), on: engine)
            while try SageMakerOperations.DescribeEndpoint.run(DescribeEndpointInput(endpointName: name), on: engine).endpointStatus != "InService" {
                try await Task.sleep(for: .milliseconds(20))
            }
            let inService = Date()
            var latencies: [Double] = []
            if isAsync {
                var pending: [AsyncResult] = []
                for (index, record) in records.enumerated() {
                    let key = "compare/\(stamp)/async-input/\(index).csv"
                    _ = try await engine.call(S3Operations.PutObject.self, PutObjectInput(
                        bucket: bucket, key: key, body: .data(Data((record + "\n").utf8))))
                    var call = InvokeEndpointAsyncInput(endpointName: name, inputLocation: "s3://\(bucket)/\(key)")
                    call.contentType = "text/csv"
                    let sent = Date()
                    pending.append(AsyncResult(try RuntimeOperations.InvokeEndpointAsync.run(call, on: engine), sent: sent))
                }
                latencies = try await AsyncResult.latencies(pending, engine: engine)
            } else {
                for record in records {
                    let begin = Date()
                    _ = try RuntimeOperations.InvokeEndpoint.run(
                        InvokeEndpointInput(endpointName: name, body: Data((record + "\n").utf8), contentType: "text/csv"), on: engine)
                    latencies.append(Date().timeIntervalSince(begin) * 1000)
                }
            }
            let work = Date().timeIntervalSince(inService)
            _ = try SageMakerOperations.DeleteEndpoint.run(DeleteEndpointInput(endpointName: name), on: engine)
            while (try? SageMakerOperations.DescribeEndpoint.run(DescribeEndpointInput(endpointName: name), on: engine)) != nil {
                try await Task.sleep(for: .milliseconds(20))
            }
            _ = try? SageMakerOperations.DeleteEndpointConfig.run(DeleteEndpointConfigInput(endpointConfigName: name), on: engine)
            latencies.sort()
            let instanceSeconds = Billing.endpointInstanceSeconds(instances: 1, from: inService, to: Date())
            return CompareReport.Row(
                option: isAsync ? "async endpoint" : "real-time endpoint", records: records.count,
                startupSeconds: inService.timeIntervalSince(created), workSeconds: work,
                recordsPerSecond: Double(records.count) / max(work, 1e-6),
                latencyP50Ms: CompareReport.percentile(latencies, 0.5), latencyP99Ms: CompareReport.percentile(latencies, 0.99),
                instanceSeconds: instanceSeconds, estimatedCostUSD: cost(instanceSeconds),
                note: isAsync ? "queued via S3; can scale to zero when idle" : "billed every second it stays up, idle or not")
        }
    }
}
