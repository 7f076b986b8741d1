import Foundation
import InferLabEngine

/// Where the kit's own files are: the lab definitions and the datasets (sample data and the
/// reference models). Built once at launch from where the binary is, and handed down to every
/// command through the session, so that the kit works from whatever folder it is started in.
public struct KitConfiguration: Sendable, Equatable {
    /// The folder of lab definitions (`<id>/lab.yaml`).
    public var labsFolder: URL
    /// The folder of sample data (`loans/…`) and reference models (`models/…`).
    public var datasetsFolder: URL
    /// The course venv's interpreter, which runs learners' scripts in the framework containers and
    /// training jobs (scikit-learn, pandas, numpy, joblib, xgboost): `nil` when none was found, and
    /// the engine then uses `python3` from the PATH.
    public var python: URL?

    public init(labsFolder: URL, datasetsFolder: URL, python: URL? = nil) {
        self.labsFolder = labsFolder.standardizedFileURL
        self.datasetsFolder = datasetsFolder.standardizedFileURL
        self.python = python?.standardizedFileURL
    }

    public var referenceModelsFolder: URL { datasetsFolder.appendingPathComponent("models", isDirectory: true) }

    /// The checkout this binary was compiled from (this file is `Sources/InferLabShell/…` in it).
    public static let builtFrom = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The kit's folders, in this order of preference:
    /// 1. `INFERLAB_LABS_DIR` and `INFERLAB_DATASETS_DIR` (tests, lab authors), each on its own;
    /// 2. an installed kit: `PREFIX/share/inferlab/{labs,datasets}` beside `PREFIX/bin/inferlab`;
    /// 3. a checkout that holds the binary (`.build/…/inferlab`), found by walking up from it;
    /// 4. the checkout the binary was built from, if it is still there.
    /// When none has the folder, the first candidate is kept, so that messages name where the kit looked.
    public static func locate(executable: URL? = KitConfiguration.runningExecutable,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              builtFrom: URL = KitConfiguration.builtFrom) -> KitConfiguration {
        let roots = candidateRoots(executable: executable, builtFrom: builtFrom)
        func find(_ name: String, variable: String, marker: (URL) -> Bool) -> URL {
            if let path = environment[variable], !path.isEmpty {
                return URL(fileURLWithPath: (path as NSString).expandingTildeInPath,
                           relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            }
            let folders = roots.map { $0.appendingPathComponent(name, isDirectory: true) }
            return folders.first(where: marker) ?? folders.first ?? URL(fileURLWithPath: name)
        }
        return KitConfiguration(
            labsFolder: find("labs", variable: "INFERLAB_LABS_DIR", marker: hasLabs),
            datasetsFolder: find("datasets", variable: "INFERLAB_DATASETS_DIR", marker: isFolder),
            python: locatePython(roots: roots, environment: environment))
    }

    /// `INFERLAB_PYTHON`; else the course venv made by `scripts/setup.sh` in a candidate root
    /// (`.venv/` in a checkout, `venv/` in an installed `share/inferlab/`).
    static func locatePython(roots: [URL], environment: [String: String]) -> URL? {
        if let path = environment[SageMakerService.Configuration.pythonVariable], !path.isEmpty {
            return URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        }
        let candidates = roots.flatMap { [$0.appendingPathComponent(".venv/bin/python"), $0.appendingPathComponent("venv/bin/python")] }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The folders that may hold `labs/` and `datasets/`, best first.
    static func candidateRoots(executable: URL?, builtFrom: URL) -> [URL] {
        var roots: [URL] = []
        if let executable {
            let binFolder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            roots.append(binFolder.deletingLastPathComponent().appendingPathComponent("share/inferlab", isDirectory: true))
            // A checkout: the binary is in `<root>/.build/<triple>/<configuration>/`.
            var folder = binFolder
            while folder.path != "/" && !folder.path.isEmpty {
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                    roots.append(folder)
                    break
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        roots.append(builtFrom)
        return roots.map(\.standardizedFileURL)
    }

    /// This process's binary (`/proc/self/exe` on Linux), links resolved.
    public static var runningExecutable: URL? {
        Bundle.main.executableURL ?? CommandLine.arguments.first.map { URL(fileURLWithPath: $0) }
    }

    private static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// A folder with at least one `<id>/lab.yaml`.
    private static func hasLabs(_ url: URL) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return entries.contains { FileManager.default.fileExists(atPath: url.appendingPathComponent("\($0)/lab.yaml").path) }
    }
}
