import Foundation

/// Where a path typed for this computer points (`aws s3 cp SRC DST`, `fileb://…`, `--output …`).
///
/// A path is relative to the folder the kit was started in, except for two names the kit knows
/// wherever it is started, so that lab texts read the same from any folder and nothing a lab
/// makes lands where the learner started (a repository checkout, say):
/// - `lab-data/…` is the workspace's own folder for local files: the lab's (`<workspace>/labs/<id>/lab-data/`)
///   while a lab is in progress, the learner's (`<workspace>/lab-data/`) otherwise;
/// - `datasets/…`, read when the current folder has no such file, is the kit's sample data.
public struct LocalPaths: Sendable {
    public enum Access: Sendable { case reading, writing }

    public static let labDataName = "lab-data"

    /// The folder `lab-data/` names.
    public let labData: URL
    /// The kit's datasets folder, which `datasets/` names for reading.
    public let datasets: URL
    /// The folder other relative paths are relative to.
    public let current: URL

    public init(labData: URL, datasets: URL, current: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.labData = labData.standardizedFileURL
        self.datasets = datasets.standardizedFileURL
        self.current = current.standardizedFileURL
    }

    /// The file or folder `typed` names, with `~` expanded.
    public func url(_ typed: String, for access: Access) -> URL {
        let path = (typed as NSString).expandingTildeInPath
        guard !path.hasPrefix("/") else { return URL(fileURLWithPath: path).standardizedFileURL }
        let plain = URL(fileURLWithPath: path, relativeTo: current).standardizedFileURL
        // Judged after `./` and `a/..` are folded, so `./lab-data/x` is the workspace's too.
        let relative = plain.path.hasPrefix(current.path + "/") ? String(plain.path.dropFirst(current.path.count + 1)) : nil
        guard let relative else { return plain }
        if let rest = Self.below(Self.labDataName, relative) {
            return rest.isEmpty ? labData : labData.appendingPathComponent(rest).standardizedFileURL
        }
        if access == .reading, let rest = Self.below("datasets", relative),
           !FileManager.default.fileExists(atPath: plain.path) {
            let kit = rest.isEmpty ? datasets : datasets.appendingPathComponent(rest).standardizedFileURL
            if FileManager.default.fileExists(atPath: kit.path) { return kit }
        }
        return plain
    }

    /// The path of `url` shown to the learner: relative to the current folder when inside it.
    public func display(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        return path.hasPrefix(current.path + "/") ? String(path.dropFirst(current.path.count + 1)) : path
    }

    /// What follows `folder/` in `relative` ("" for the folder itself), or nil when it is not below it.
    private static func below(_ folder: String, _ relative: String) -> String? {
        if relative == folder { return "" }
        return relative.hasPrefix(folder + "/") ? String(relative.dropFirst(folder.count + 1)) : nil
    }
}
