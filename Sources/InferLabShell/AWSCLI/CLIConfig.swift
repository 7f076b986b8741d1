import Foundation
import InferLabEngine

/// The workspace's own AWS CLI config (`aws configure set|get|list`): the `~/.aws/config` file
/// format, kept in the workspace's state folder so that it never touches the learner's real AWS
/// settings. It holds settings only (region, output); the kit needs no credentials.
struct CLIConfig {
    /// The kit's one region.
    static let kitRegion = "us-east-1"

    let file: URL
    /// Sections in file order: `default`, then `profile NAME` as `NAME`.
    private(set) var profiles: [(name: String, settings: [(String, String)])] = []

    init(workspace: Workspace) {
        file = workspace.stateDirectory.appendingPathComponent("aws-config")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("profile ") { name = String(name.dropFirst(8)).trimmingCharacters(in: .whitespaces) }
                profiles.append((name, []))
            } else if let equals = line.firstIndex(of: "="), !profiles.isEmpty {
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                profiles[profiles.count - 1].settings.append((key, value))
            }
        }
    }

    func hasProfile(_ name: String) -> Bool { name == "default" || profiles.contains { $0.name == name } }

    func value(_ key: String, profile: String = "default") -> String? {
        profiles.last { $0.name == profile }?.settings.last { $0.0 == key }?.1
    }

    mutating func set(_ key: String, _ value: String, profile: String = "default") {
        if let index = profiles.firstIndex(where: { $0.name == profile }) {
            profiles[index].settings.removeAll { $0.0 == key }
            profiles[index].settings.append((key, value))
        } else {
            profiles.append((profile, [(key, value)]))
        }
    }

    func save() throws {
        var text = ""
        for (name, settings) in profiles {
            text += name == "default" ? "[default]\n" : "[profile \(name)]\n"
            for (key, value) in settings { text += "\(key) = \(value)\n" }
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file, options: .atomic)
    }
}
