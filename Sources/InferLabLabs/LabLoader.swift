import Foundation
import Yams

/// Reads and validates lab folders, with messages an instructor can act on: the file, the place
/// in it, and what is expected.
public enum LabLoader {
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var location: String
        public var message: String
        public var description: String { "\(file): \(location): \(message)" }
    }

    /// Every lab under `labs/`, in folder-name order; labs with problems are reported, not loaded.
    public static func loadAll(from root: URL) -> (labs: [LabDefinition], problems: [Problem]) {
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        var labs: [LabDefinition] = []
        var problems: [Problem] = []
        for name in folders where FileManager.default.fileExists(atPath: root.appendingPathComponent("\(name)/lab.yaml").path) {
            do { labs.append(try load(root.appendingPathComponent(name))) } catch let problem as Problem { problems.append(problem) } catch {
                problems.append(Problem(file: "\(name)/lab.yaml", location: "file", message: "\(error)"))
            }
        }
        return (labs, problems)
    }

    /// Loads one lab folder.
    /// - Throws: `Problem` for the first thing that is wrong.
    public static func load(_ folder: URL) throws -> LabDefinition {
        let file = folder.lastPathComponent + "/lab.yaml"
        let text: String
        do { text = try String(contentsOf: folder.appendingPathComponent("lab.yaml"), encoding: .utf8) } catch {
            throw Problem(file: file, location: "file", message: "cannot be read")
        }
        let node: Any?
        do { node = try Yams.load(yaml: text) } catch {
            throw Problem(file: file, location: "YAML", message: "\(error)")
        }
        let reader = Reader(file: file)
        guard let top = node as? [String: Any] else { throw reader.problem("top level", "must be a mapping of format, id, title, version, summary, steps") }
        let format = try reader.int(top, "format", at: "top level")
        guard format == 1 else { throw reader.problem("format", "is \(format); this InferLab reads format 1") }
        let id = try reader.string(top, "id", at: "top level")
        guard id == folder.lastPathComponent else { throw reader.problem("id", "'\(id)' must equal the folder name '\(folder.lastPathComponent)'") }
        guard id.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression) != nil else {
            throw reader.problem("id", "'\(id)' may use lowercase letters, digits and single hyphens")
        }
        guard let rawSteps = top["steps"] as? [Any], !rawSteps.isEmpty else { throw reader.problem("steps", "must be a non-empty list") }
        var steps: [LabStep] = []
        var checkIds = Set<String>()
        for (index, raw) in rawSteps.enumerated() {
            let at = "steps[\(index + 1)]"
            guard let step = raw as? [String: Any] else { throw reader.problem(at, "must be a mapping") }
            let textFile = try reader.string(step, "text", at: at)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(textFile).path) else {
                throw reader.problem("\(at).text", "\(textFile) does not exist in the lab folder")
            }
            var checks: [LabCheck] = []
            for (checkIndex, rawCheck) in ((step["checks"] as? [Any]) ?? []).enumerated() {
                let check = try CheckReader.read(rawCheck, at: "\(at).checks[\(checkIndex + 1)]", reader: reader)
                guard checkIds.insert(check.id).inserted else { throw reader.problem("\(at).checks[\(checkIndex + 1)].id", "'\(check.id)' is used twice") }
                checks.append(check)
            }
            steps.append(LabStep(id: try reader.string(step, "id", at: at), title: try reader.string(step, "title", at: at), textFile: textFile,
                                 practises: (step["practises"] as? [Any])?.map { "\($0)" } ?? [],
                                 hints: (step["hints"] as? [Any])?.map { "\($0)" } ?? [], checks: checks,
                                 solve: (step["solve"] as? [Any])?.map { "\($0)" } ?? []))
        }
        if Set(steps.map(\.id)).count != steps.count { throw reader.problem("steps", "step ids must be unique") }
        let timeScale = try readTimeScale(top["time_scale"], reader: reader)
        let position = top["position"] as? Int
        if top["position"] != nil, (position ?? 0) < 1 { throw reader.problem("position", "must be a whole number from 1 (the lab's place in the course)") }
        return LabDefinition(format: format, id: id, title: try reader.string(top, "title", at: "top level"),
                             version: try reader.int(top, "version", at: "top level"),
                             summary: (top["summary"] as? String) ?? "", minutes: top["minutes"] as? Int, position: position,
                             setup: (top["setup"] as? [Any])?.map { "\($0)" } ?? [], steps: steps, timeScale: timeScale, folder: folder)
    }

    /// `time_scale: {provisioning_seconds: 20, startup_seconds: 8}`: each a number of seconds, 0 to 600.
    private static func readTimeScale(_ raw: Any?, reader: Reader) throws -> LabTimeScale? {
        guard let raw else { return nil }
        guard let map = raw as? [String: Any] else { throw reader.problem("time_scale", "must be a mapping of provisioning_seconds and startup_seconds") }
        let known = ["provisioning_seconds", "startup_seconds"]
        if let unknown = map.keys.sorted().first(where: { !known.contains($0) }) {
            throw reader.problem("time_scale", "unknown field '\(unknown)' (known: \(known.joined(separator: ", ")))")
        }
        func seconds(_ key: String) throws -> Double? {
            guard let value = map[key] else { return nil }
            guard let number = (value as? Double) ?? (value as? Int).map(Double.init), (0...600).contains(number) else {
                throw reader.problem("time_scale.\(key)", "must be a number of seconds from 0 to 600")
            }
            return number
        }
        return LabTimeScale(provisioningSeconds: try seconds("provisioning_seconds"), startupSeconds: try seconds("startup_seconds"))
    }

    struct Reader {
        let file: String

        func problem(_ location: String, _ message: String) -> Problem { Problem(file: file, location: location, message: message) }

        func string(_ map: [String: Any], _ key: String, at: String) throws -> String {
            guard let value = map[key] else { throw problem(at, "needs '\(key)'") }
            guard let text = value as? String ?? (value as? any CustomStringConvertible).map({ $0.description }), !text.isEmpty else {
                throw problem("\(at).\(key)", "must be text")
            }
            return text
        }

        func int(_ map: [String: Any], _ key: String, at: String) throws -> Int {
            guard let value = map[key] else { throw problem(at, "needs '\(key)'") }
            guard let number = value as? Int else { throw problem("\(at).\(key)", "must be a whole number, not '\(value)'") }
            return number
        }
    }
}
