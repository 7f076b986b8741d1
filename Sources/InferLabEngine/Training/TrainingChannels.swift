import Foundation

/// File mode: each channel's objects copied from S3 into `/opt/ml/input/data/<channel>/`, named
/// by their key after the prefix's last `/` (the prefix `s3://b/loans/train` and the object
/// `loans/train/part-1.csv` give `train/part-1.csv`), as SageMaker downloads them.
struct TrainingChannels {
    let store: any ObjectStore
    let job: CreateTrainingJobInput
    let roleArn: String

    func download(into instance: TrainingInstance, log: (String) -> Void) throws {
        for channel in instance.channels {
            guard let source = channel.dataSource.s3DataSource, let location = S3Location(source.s3Uri) else {
                throw TrainingFailure.client("the \(channel.channelName) channel has no S3DataSource with an s3:// S3Uri")
            }
            let objects: [S3Location]
            let root: String
            if source.s3DataType == "ManifestFile" {
                do { (objects, root) = try ManifestReader.read(location, store: store) } catch {
                    throw TrainingFailure.client("Data download failed: \(ErrorSentence.of(error))")
                }
            } else {
                let listed = (try? store.listAllObjects(bucket: location.bucket, prefix: location.key)) ?? []
                objects = listed.map { S3Location(bucket: location.bucket, key: $0.key) }.sorted { $0.key < $1.key }
                root = location.key.lastIndex(of: "/").map { String(location.key[...$0]) } ?? ""
            }
            guard !objects.isEmpty else {
                throw TrainingFailure.client("Data download failed:No S3 objects found under S3 URL \"\(source.s3Uri)\" given in input data source. Please ensure that the bucket exists in the selected region (us-east-1), that objects exist under that S3 prefix, and that the role \"\(roleArn)\" has \"s3:ListBucket\" permissions on bucket \"\(location.bucket)\".")
            }
            let folder = instance.channelDirectory(channel.channelName)
            var bytes = 0
            for object in objects where !object.key.hasSuffix("/") {
                let relative = object.key.hasPrefix(root) ? String(object.key.dropFirst(root.count)) : object.key
                let target = relative.split(separator: "/").reduce(folder) { $0.appendingPathComponent(String($1)) }
                let data: Data
                do { data = try store.readObject(bucket: object.bucket, key: object.key) } catch {
                    throw TrainingFailure.client("Data download failed: \(object): \(ErrorSentence.of(error))")
                }
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: target)
                bytes += data.count
            }
            log("Channel \(channel.channelName): \(objects.count) object\(objects.count == 1 ? "" : "s") (\(bytes) bytes) from \(source.s3Uri) in /opt/ml/input/data/\(channel.channelName)")
        }
    }
}

/// The job's output: `/opt/ml/model` as `<S3OutputPath>/<job>/output/model.tar.gz`, and
/// `/opt/ml/output/data` as `output.tar.gz` beside it when the algorithm wrote anything there.
struct TrainingArtifacts {
    let store: any ObjectStore
    let job: CreateTrainingJobInput

    /// `<S3OutputPath>/<job>/output/<file>`.
    static func location(_ job: CreateTrainingJobInput, file: String) -> String {
        let base = job.outputDataConfig.s3OutputPath
        return (base.hasSuffix("/") ? base : base + "/") + "\(job.trainingJobName)/output/\(file)"
    }

    func upload(_ instance: TrainingInstance, log: (String) -> Void) throws {
        try upload(instance.modelDirectory, as: "model.tar.gz", always: true, log: log)
        try upload(instance.outputDataDirectory, as: "output.tar.gz", always: false, log: log)
    }

    private func upload(_ folder: URL, as file: String, always: Bool, log: (String) -> Void) throws {
        let files = try Self.files(in: folder)
        guard always || !files.isEmpty else { return }
        let archive: Data
        do { archive = try ModelArchive.write(files: files) } catch {
            throw TrainingFailure.client("\(folder.lastPathComponent) cannot be packed into \(file): \(ErrorSentence.of(error))")
        }
        let uri = Self.location(job, file: file)
        guard let location = S3Location(uri) else { throw TrainingFailure.client("S3OutputPath \(job.outputDataConfig.s3OutputPath) is not an s3:// URI") }
        do {
            _ = try store.putObject(bucket: location.bucket, key: location.key, data: archive, contentType: "application/x-tar")
        } catch {
            throw TrainingFailure.client("Uploading \(file) to \(uri) failed: \(ErrorSentence.of(error))")
        }
        log("Uploaded \(file) (\(files.count) file\(files.count == 1 ? "" : "s"), \(archive.count) bytes) to \(uri)")
    }

    /// The regular files under a folder, by path relative to it (links are not followed).
    static func files(in folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey]) else { return [:] }
        for case let url as URL in walker {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values.isRegularFile == true, values.isSymbolicLink != true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))
            files[relative] = try Data(contentsOf: url)
        }
        return files
    }
}
