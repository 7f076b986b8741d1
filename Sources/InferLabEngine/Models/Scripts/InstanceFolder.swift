import Foundation

/// One container's folder on one instance, in the workspace
/// (`.inferlab/instances/<job-or-endpoint>/<instance>/[<container>/]`), laid out as SageMaker
/// lays out the container's `/opt/ml`:
///
/// | In the folder | On SageMaker | What it holds |
/// | --- | --- | --- |
/// | `model/` | `/opt/ml/model` (SM_MODEL_DIR) | the model.tar.gz, extracted; `model/code/` the script the SDK repacked |
/// | `code/` | `/opt/ml/code` | the sourcedir.tar.gz an `s3://` SAGEMAKER_SUBMIT_DIRECTORY names, extracted |
/// | `tmp/`, the folder | `/tmp`, the working directory | the process's TMPDIR, HOME and working directory |
///
/// The folder is made afresh each time an instance starts (a restarted job gets clean instances).
struct InstanceFolder {
    let url: URL

    var modelDirectory: URL { url.appendingPathComponent("model", isDirectory: true) }
    var codeDirectory: URL { url.appendingPathComponent("code", isDirectory: true) }
    var temporaryDirectory: URL { url.appendingPathComponent("tmp", isDirectory: true) }

    /// Empties (or makes) the folder and its `model/`, `code/` and `tmp/`.
    static func fresh(_ url: URL) throws -> InstanceFolder {
        let folder = InstanceFolder(url: url)
        try? FileManager.default.removeItem(at: url)
        for directory in [folder.modelDirectory, folder.codeDirectory, folder.temporaryDirectory] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        return folder
    }

    /// Extracts a `.tar.gz` into `directory`: regular files only (ModelArchive skips links),
    /// and names that stay inside it (no absolute paths, no `..`).
    static func extract(_ archive: Data, into directory: URL, what: String) throws {
        let files: [String: Data]
        do { files = try ModelArchive.read(archive) } catch {
            throw ModelLoadError(message: "\(what) could not be read: \(ErrorSentence.of(error))")
        }
        for (name, content) in files {
            let components = name.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
            guard !name.hasPrefix("/"), !components.isEmpty, !components.contains("..") else {
                throw ModelLoadError(message: "\(what) holds \(VisibleText.escaped(name)), a path outside the folder it is extracted to: rebuild the archive with relative names")
            }
            let target = components.reduce(directory) { $0.appendingPathComponent(String($1)) }
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: target)
        }
    }
}
