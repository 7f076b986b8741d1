import Foundation

/// Reads one check of `lab.yaml`: its common fields and exactly one kind.
enum CheckReader {
    static func read(_ raw: Any, at: String, reader: LabLoader.Reader) throws -> LabCheck {
        guard let map = raw as? [String: Any] else { throw reader.problem(at, "a check must be a mapping") }
        let kinds = CheckKind.keys.filter { map[$0] != nil }
        guard kinds.count == 1, let key = kinds.first else {
            throw reader.problem(at, kinds.isEmpty ? "needs one check kind: \(CheckKind.keys.joined(separator: ", "))"
                                                   : "has several kinds (\(kinds.joined(separator: ", "))); give one per check")
        }
        let known = Set(["id", "description", "points", "failure"] + CheckKind.keys)
        if let unknown = map.keys.sorted().first(where: { !known.contains($0) }) {
            throw reader.problem(at, "unknown field '\(unknown)'")
        }
        let value = map[key]!
        let place = "\(at).\(key)"
        func fields() throws -> [String: Any] {
            guard let fields = value as? [String: Any] else { throw reader.problem(place, "must be a mapping") }
            return fields
        }
        let kind: CheckKind
        switch key {
        case "bucket_exists":
            kind = .bucketExists("\(value)")
        case "object_exists":
            kind = .objectExists(try s3("\(value)", place, reader))
        case "objects":
            let f = try fields()
            kind = .objects(prefix: try s3(try reader.string(f, "prefix", at: place), place, reader), count: f["count"] as? Int,
                            minCount: f["min_count"] as? Int, suffix: f["suffix"] as? String)
            if f["count"] == nil && f["min_count"] == nil { throw reader.problem(place, "needs count or min_count") }
        case "object_lines":
            let f = try fields()
            kind = .objectLines(uri: try s3(try reader.string(f, "uri", at: place), place, reader), lines: try reader.int(f, "lines", at: place))
        case "model_exists":
            let f = try fields()
            let containers = try (f["containers"]).map { raw -> [String] in
                guard let list = raw as? [Any], !list.isEmpty else { throw reader.problem("\(place).containers", "must be a list of images, e.g. [sklearn, linear-learner]") }
                return list.map { "\($0)" }
            }
            if f["algorithm"] != nil, containers != nil { throw reader.problem(place, "give algorithm (one container) or containers (a pipeline), not both") }
            kind = .modelExists(name: try reader.string(f, "name", at: place), algorithm: f["algorithm"] as? String, containers: containers)
        case "transform_job", "training_job":
            let f = try fields()
            let parameters = (f["parameters"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
            let name = try reader.string(f, "name", at: place)
            kind = key == "transform_job" ? .transformJob(name: name, status: f["status"] as? String, parameters: parameters)
                : .trainingJob(name: name, status: f["status"] as? String, parameters: parameters)
        case "predictions_match":
            let f = try fields()
            kind = .predictionsMatch(model: try reader.string(f, "model", at: place), input: try s3(try reader.string(f, "input", at: place), place, reader),
                                     output: try s3(try reader.string(f, "output", at: place), place, reader),
                                     contentType: f["content_type"] as? String ?? "text/csv",
                                     tolerance: (f["tolerance"] as? Double) ?? (f["tolerance"] as? Int).map(Double.init) ?? 1e-6,
                                     idColumn: f["id_column"] as? Bool ?? false)
        case "endpoint":
            let f = try fields()
            kind = .endpoint(name: try reader.string(f, "name", at: place), status: f["status"] as? String, isAsync: f["async"] as? Bool)
        case "async_results":
            let f = try fields()
            kind = .asyncResults(endpoint: try reader.string(f, "endpoint", at: place), outputs: f["outputs"] as? Int, errors: f["errors"] as? Int)
        case "quiz":
            let f = try fields()
            let choices = (f["choices"] as? [Any])?.map { "\($0)" } ?? []
            let answer = try reader.int(f, "answer", at: place)
            guard choices.count >= 2 else { throw reader.problem(place, "needs at least two choices") }
            guard (1...choices.count).contains(answer) else { throw reader.problem("\(place).answer", "must be 1 to \(choices.count)") }
            kind = .quiz(question: try reader.string(f, "question", at: place), choices: choices, answer: answer)
        case "watched":
            let name = "\(value)"
            guard name.range(of: #"^[a-zA-Z0-9](-*[a-zA-Z0-9])*$"#, options: .regularExpression) != nil else {
                throw reader.problem(place, "'\(name)' must be the name of a transform job or an endpoint")
            }
            kind = .watched(resource: name)
        default:
            let f = try fields()
            let pattern = try reader.string(f, "pattern", at: place)
            guard (try? NSRegularExpression(pattern: pattern)) != nil else { throw reader.problem("\(place).pattern", "is not a valid regular expression") }
            kind = key == "api_called" ? .apiCalled(pattern: pattern) : .commandRan(pattern: pattern)
        }
        let points = map["points"] as? Int ?? 1
        guard points >= 0 else { throw reader.problem("\(at).points", "must be 0 or more") }
        return LabCheck(id: try reader.string(map, "id", at: at), description: try reader.string(map, "description", at: at), points: points,
                        failure: (map["failure"] as? String) ?? "", kind: kind)
    }

    private static func s3(_ text: String, _ place: String, _ reader: LabLoader.Reader) throws -> String {
        guard text.hasPrefix("s3://") else { throw reader.problem(place, "'\(text)' must be an s3:// URI") }
        return text
    }
}
