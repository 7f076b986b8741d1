import Foundation
import InferLabEngine

/// A validated request (JSON, AWS's member names), for commands whose engine input is not
/// Codable: S3's shapes (S3 carries them in paths, headers and XML) and blob bodies.
struct APIRequest {
    let json: JSONValue

    func string(_ name: String) -> String? {
        if case .string(let text)? = json[name] { return text }
        return nil
    }

    /// A member the model requires: botocore's validation has already checked it is there.
    func required(_ name: String) -> String { string(name) ?? "" }

    func int(_ name: String) -> Int? {
        if case .int(let number)? = json[name] { return Int(number) }
        return nil
    }

    func map(_ name: String) -> [String: String] {
        guard case .object(let entries)? = json[name] else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in entries { if case .string(let text) = value { result[key.lowercased()] = text } }
        return result
    }

    /// `Delete.Objects[].Key`, `MultipartUpload.Parts[]`: the list of objects at a path.
    func objects(_ path: String...) -> [JSONValue] {
        var value: JSONValue? = json
        for name in path { value = value?[name] }
        if case .array(let items)? = value { return items }
        return []
    }
}
