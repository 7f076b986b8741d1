import Foundation
import Synchronization

/// One run of one transform job, following the reference algorithm (§2.7).
struct TransformJobExecution {
    let name: String
    let dependencies: TransformJobRunner.Dependencies
    let stopFlag: JobThreads.StopFlag

    private var catalog: Catalog { dependencies.catalog }

    func run() {
        guard let record = try? catalog.transformJob(named: name),
              let job = try? AWSCoding.decoder().decode(CreateTransformJobInput.self, from: record.definition) else { return }
        let instances = Self.instanceIDs(job: name, count: job.transformResources.instanceCount)
        // Provisioning: SageMaker acquires the instances. Not billed: TransformStartTime is not set yet.
        if record.startTime == nil {
            guard pause(dependencies.provisioningDelay) else { return finish(status: "Stopped", reason: nil, job: job, progress: nil) }
            try? catalog.markTransformJobStarted(name, at: dependencies.now())
        }
        // Start-up on the instances: the image is pulled, the model downloaded and loaded. Billed
        // (TransformStartTime is set), as the rest of the job is.
        if dependencies.startupDelay > 0 {
            for instance in instances {
                log(instance, String(format: "Instance started: pulling the container image, downloading and loading the model of %@ (%.0f s here; minutes on AWS; billed from now).",
                                     job.modelName, dependencies.startupDelay))
            }
            guard pause(dependencies.startupDelay) else { return finish(status: "Stopped", reason: nil, job: job, progress: nil) }
        }
        let parameters = "MaxConcurrentTransforms=\(job.maxConcurrentTransforms ?? 1), MaxPayloadInMB=\(job.maxPayloadInMB ?? 6), BatchStrategy=\(job.batchStrategy == "SingleRecord" ? "SINGLE_RECORD" : "MULTI_RECORD")"
        for instance in instances { log(instance, parameters) }

        let settings: TransformSettings
        let inputs: [S3Location]
        let root: String
        var model: StartedModel?
        let placement = instancePlacement(job)
        defer {
            // The instances end with the job: their processes stop and their folders go.
            model?.stop()
            if model?.runsProcesses == true, let placement { try? FileManager.default.removeItem(at: placement.folder) }
        }
        do {
            let started = try dependencies.startModel(job.modelName, job.environment ?? [:], placement, instances)
            model = started
            settings = try makeSettings(job, container: started.on(0))
            (inputs, root) = try listInputs(job)
        } catch {
            log(instances[0], ErrorSentence.of(error))
            return finish(status: "Failed", reason: "ClientError: \(ErrorSentence.of(error))", job: job, progress: nil)
        }
        // Whole objects go to instances, round-robin in key order (§2.2).
        var assignment = Array(repeating: [S3Location](), count: instances.count)
        for (index, input) in inputs.enumerated() { assignment[index % instances.count].append(input) }
        let tracker = ProgressTracker(instances: instances, assignment: assignment.map { $0.map(\.description) }, transformingSince: dependencies.now())
        persist(tracker, job: job)
        for (index, files) in assignment.enumerated() where files.isEmpty {
            log(instances[index], "This instance received no input: batch transform sends each whole object to one instance, and \(inputs.count) object(s) for \(instances.count) instances leave this one idle.")
        }
        let failures = Mutex<[(S3Location, FileFailure)]>([])
        let group = DispatchGroup()
        let started = model
        for (index, files) in assignment.enumerated() where !files.isEmpty {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                var settings = settings
                if let started { settings.container = started.on(index) }
                for file in files {
                    if stopFlag.isRaised { return }
                    do {
                        try transformFile(file, root: root, job: job, settings: settings, instance: instances[index], index: index, tracker: tracker)
                        tracker.fileDone(instance: index)
                    } catch let failure as FileFailure {
                        logFailure(failure, file: file, instance: instances[index])
                        failures.withLock { $0.append((file, failure)) }
                        tracker.fileFailed(instance: index)
                    } catch is FileTransformer.Stopped {
                        return
                    } catch {
                        let failure = FileFailure(kind: "ClientError", status: 400, record: nil, message: ErrorSentence.of(error))
                        logFailure(failure, file: file, instance: instances[index])
                        failures.withLock { $0.append((file, failure)) }
                        tracker.fileFailed(instance: index)
                    }
                    persist(tracker, job: job)
                }
            }
            thread.start()
        }
        group.wait()
        if stopFlag.isRaised { return finish(status: "Stopped", reason: nil, job: job, progress: tracker) }
        let failed = failures.withLock { $0 }.sorted { $0.0.key < $1.0.key }
        if let (file, failure) = failed.first {
            let line = failure.record.map { ", line \($0)" } ?? ""
            let others = failed.count > 1 ? " (\(failed.count) files failed; see the job log)" : ""
            let reason = "\(failure.kind): See job logs for more information. \(file)\(line): \(VisibleText.escaped(failure.message))\(others)"
            return finish(status: "Failed", reason: String(reason.prefix(1024)), job: job, progress: tracker)
        }
        finish(status: "Completed", reason: nil, job: job, progress: tracker)
    }

    /// Waits `seconds`, or until the job is asked to stop (then false).
    private func pause(_ seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if stopFlag.isRaised { return false }
            Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
        }
        return !stopFlag.isRaised
    }

    private func transformFile(_ file: S3Location, root: String, job: CreateTransformJobInput, settings: TransformSettings,
                               instance: String, index: Int, tracker: ProgressTracker) throws {
        guard let outputBase = S3Location(job.transformOutput.s3OutputPath) else { return }
        let relative = String(file.key.dropFirst(root.count))
        let outputKey = (outputBase.key.isEmpty || outputBase.key.hasSuffix("/") ? outputBase.key : outputBase.key + "/") + relative + ".out"
        let transformer = FileTransformer(
            settings: settings, store: dependencies.store, isStopped: { stopFlag.isRaised },
            log: { message in log(instance, message) },
            progress: { records, batches in tracker.add(instance: index, records: records, batches: batches) })
        try transformer.transform(input: file, output: S3Location(bucket: outputBase.bucket, key: outputKey))
    }

    /// Where the job's instances run their framework containers: `instances/transform-<job>/`,
    /// with SageMaker's batch variables, logging into the instance's stream.
    private func instancePlacement(_ job: CreateTransformJobInput) -> InstancePlacement? {
        guard let root = dependencies.instancesDirectory else { return nil }
        return InstancePlacement(
            folder: root.appendingPathComponent("transform-\(name)", isDirectory: true), mode: .batchTransform,
            environment: InstancePlacement.batchEnvironment(job),
            defaultTimeout: .seconds(job.modelClientConfig?.invocationsTimeoutInSeconds ?? 600),
            log: { [self] instance, line in containerLog(instance, line) })
    }

    private func makeSettings(_ job: CreateTransformJobInput, container: any InferenceContainer) throws -> TransformSettings {
        let processing = job.dataProcessing
        func format(_ type: String?) -> DataProcessor.Format {
            switch MediaType.base(type) {
            case "application/jsonlines": .jsonLines
            case "application/json": .json
            default: .csv
            }
        }
        let inputFilter = try processing?.inputFilter.map { try JSONPathFilter($0, field: "InputFilter") }.flatMap { $0.isIdentity ? nil : $0 }
        let outputFilter = try processing?.outputFilter.map { try JSONPathFilter($0, field: "OutputFilter") }.flatMap { $0.isIdentity ? nil : $0 }
        return TransformSettings(
            container: container, contentType: job.transformInput.contentType, accept: job.transformOutput.accept,
            splitByLine: job.transformInput.splitType == "Line", singleRecord: job.batchStrategy == "SingleRecord",
            maxPayloadBytes: (job.maxPayloadInMB ?? 6) << 20, gzip: job.transformInput.compressionType == "Gzip",
            assembleWithLine: job.transformOutput.assembleWith == "Line",
            processor: DataProcessor(inputFormat: format(job.transformInput.contentType), outputFormat: format(job.transformOutput.accept),
                                     inputFilter: inputFilter, outputFilter: outputFilter, joinInput: processing?.joinSource == "Input"),
            maxConcurrent: max(1, job.maxConcurrentTransforms ?? 1),
            maxRetries: job.modelClientConfig?.invocationsMaxRetries ?? 3,
            invocationTimeout: .seconds(job.modelClientConfig?.invocationsTimeoutInSeconds ?? 600))
    }

    /// The input objects and the root their output names are relative to (§2.4).
    private func listInputs(_ job: CreateTransformJobInput) throws -> ([S3Location], String) {
        let source = job.transformInput.dataSource.s3DataSource
        guard let location = S3Location(source.s3Uri) else { throw InputError("S3Uri \(source.s3Uri) is not an s3:// URI") }
        if source.s3DataType == "ManifestFile" {
            return try ManifestReader.read(location, store: dependencies.store)
        }
        // S3Prefix is a raw string prefix: `…/test` also takes `…/test_output/…`.
        let objects: [ObjectInfo]
        do { objects = try dependencies.store.listAllObjects(bucket: location.bucket, prefix: location.key) } catch let error as AWSError {
            throw InputError("\(error.message) (bucket \(location.bucket))")
        }
        guard !objects.isEmpty else {
            throw InputError("No S3 objects found under S3 URL \"\(source.s3Uri)\" given in input data source. Please ensure that the bucket exists in the selected region, and that objects exist under that S3 prefix.")
        }
        let root = location.key.range(of: "/", options: .backwards).map { String(location.key[..<$0.upperBound]) } ?? ""
        return (objects.map { S3Location(bucket: location.bucket, key: $0.key) }, root)
    }

    struct InputError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: Logs, progress, end

    static func instanceIDs(job: String, count: Int) -> [String] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in job.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return (0..<count).map { index in
            let mixed = hash &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
            // AWS's form: `i-` and 17 hex digits, the first a 0 (`i-0123456789abcdef0`).
            let digits = String(mixed, radix: 16)
            return "i-0" + String(repeating: "0", count: 16 - digits.count) + digits
        }
    }

    private func log(_ instance: String, _ message: String) {
        let stamp = Self.logTimestamp(dependencies.now())
        try? catalog.appendLog(group: TransformJobRunner.logGroup, stream: "\(name)/\(instance)",
                               message: "\(stamp):[sagemaker logs]: \(message)", at: dependencies.now())
    }

    /// A line the container wrote (its stdout and stderr), as CloudWatch shows it: verbatim.
    private func containerLog(_ instance: String, _ line: String) {
        try? catalog.appendLog(group: TransformJobRunner.logGroup, stream: "\(name)/\(instance)",
                               message: VisibleText.escaped(line), at: dependencies.now())
    }

    private func logFailure(_ failure: FileFailure, file: S3Location, instance: String) {
        let object = "\(file.bucket)/\(file.key)"
        log(instance, "\(object): \(failure.kind): \(failure.status)")
        log(instance, "\(object): Message:")
        log(instance, "\(object): \(VisibleText.escaped(failure.message))" + (failure.record.map { " (line \($0) of the object)" } ?? ""))
    }

    static func logTimestamp(_ date: Date) -> String { AWSCoding.format(date, "yyyy-MM-dd'T'HH:mm:ss.SSS") }

    private func persist(_ tracker: ProgressTracker, job: CreateTransformJobInput) {
        let record = try? catalog.transformJob(named: name)
        let progress = tracker.snapshot(job: job, creation: record?.creationTime ?? dependencies.now(), start: record?.startTime, end: nil,
                                        now: dependencies.now(), unbilled: record?.unbilledSeconds ?? 0)
        if let data = try? AWSCoding.encoder().encode(progress) { try? catalog.updateTransformJobProgress(name, progress: data) }
    }

    private func finish(status: String, reason: String?, job: CreateTransformJobInput, progress: ProgressTracker?) {
        let end = dependencies.now()
        let record = try? catalog.transformJob(named: name)
        if let progress {
            let snapshot = progress.snapshot(job: job, creation: record?.creationTime ?? end, start: record?.startTime, end: end, now: end,
                                             unbilled: record?.unbilledSeconds ?? 0)
            if let data = try? AWSCoding.encoder().encode(snapshot) { try? catalog.updateTransformJobProgress(name, progress: data) }
        }
        try? catalog.finishTransformJob(name, status: status, failureReason: reason, at: end)
        var took = record.map { String(format: "%.1f s", end.timeIntervalSince($0.creationTime)) } ?? ""
        if let lost = record?.unbilledSeconds, lost > 0 {
            took += String(format: " (%.1f s of it with no instance running, after its process ended: not billed)", lost)
        }
        dependencies.notify("Transform job \(name): \(status) after \(took)." + (reason.map { " \($0)" } ?? "")
                            + (status == "Completed" ? " Outputs are under \(job.transformOutput.s3OutputPath)" : ""))
    }
}
