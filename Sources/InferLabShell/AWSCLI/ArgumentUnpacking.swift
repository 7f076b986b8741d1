import Foundation
import InferLabEngine

/// Turns an option's words into a request member's value as awscli does (awscli/argprocess.py,
/// paramfile.py and shorthand.py's BackCompatVisitor): `file://` and `fileb://` read a file,
/// numbers go through Python's `int()` and `float()`, structures and maps are JSON when they
/// start with `{` and shorthand otherwise, lists take one word per element.
enum ArgumentUnpacking {
    /// What awscli prints when an argument cannot be read; exit status 252.
    struct Failure: Error { let message: String }

    /// `Error parsing parameter '--x': …`, awscli's ParamError.
    static func paramError(_ option: String, _ message: String) -> Failure {
        Failure(message: "Error parsing parameter '--\(option)': \(message)")
    }

    /// `resolve` turns a typed local path into the file it means (the shell's LocalPaths: lab-data/
    /// and datasets/ from any folder); streaming blobs come back as that resolved path.
    static func unpack(_ words: [String], member: APIMember, resolve: (String) -> String = { $0 }) throws -> JSONValue {
        let option = member.optionName
        let shape = member.shape
        if case .list(let element) = shape.kind {
            let values = try words.map { try paramfile($0, option: option, resolve: resolve) }
            if let first = values.first, first.drop(while: \.isWhitespace).first == "[" {
                return try json(first, option: option)
            }
            if shape.supportsShorthand, !(values.first.map { $0.drop(while: \.isWhitespace).first == "{" } ?? false) {
                return .array(try values.map { word in
                    try convert(.object(shorthand(word, option: option)), element, option: option)
                })
            }
            do {
                return .array(try values.map { try unpackSingle($0, element, option: option, resolve: resolve) })
            } catch is Failure {
                throw paramError(option, values.first ?? "")
            }
        }
        // A blob keeps its word: `fileb://` is read as bytes by the command, not decoded as text here.
        if case .blob(streaming: false) = shape.kind { return .string(words[0]) }
        let value = try paramfile(words[0], option: option, resolve: resolve)
        return try unpackSingle(value, shape, option: option, resolve: resolve)
    }

    private static func unpackSingle(_ value: String, _ shape: APIShape, option: String, resolve: (String) -> String = { $0 }) throws -> JSONValue {
        switch shape.kind {
        case .structure, .map:
            if value.drop(while: \.isWhitespace).first == "{" { return try json(value, option: option) }
            guard shape.supportsShorthand else { throw paramError(option, "Invalid JSON:\n\(value)") }
            return try convert(.object(shorthand(value, option: option)), shape, option: option)
        case .document:
            return (try? JSONValue.parse(value)) ?? .string(value)
        case .list:
            return try json(value, option: option)
        case .integer, .long: return .int(try pythonInt(value))
        case .double, .float: return .double(try pythonFloat(value))
        case .boolean: return .bool(value.lowercased() != "false")
        case .blob(streaming: true):
            let path = resolve((value as NSString).expandingTildeInPath)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                throw paramError(option, "Blob values must be a path to a file.")
            }
            return .string(path)
        default:
            return .string(value)
        }
    }

    private static func shorthand(_ text: String, option: String) throws -> [(String, ShorthandParser.Value)] {
        do { return try ShorthandParser.parse(text) } catch let failure as ShorthandParser.Failure {
            throw paramError(option, failure.message)
        }
    }

    /// awscli's `json.loads`, with its message on failure.
    static func json(_ text: String, option: String) throws -> JSONValue {
        do { return try JSONValue.parse(text) } catch {
            throw paramError(option, "Invalid JSON: \(error)\nJSON received: \(text)")
        }
    }

    /// `file://PATH` (the text) and `fileb://PATH` (the bytes; the kit keeps them as text) are
    /// read here, for any parameter, as awscli's paramfile handler does.
    static func paramfile(_ value: String, option: String, resolve: (String) -> String = { $0 }) throws -> String {
        for prefix in ["file://", "fileb://"] where value.hasPrefix(prefix) {
            let path = resolve((String(value.dropFirst(prefix.count)) as NSString).expandingTildeInPath)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw paramError(option, "Unable to load paramfile \(value): [Errno 2] No such file or directory: '\(path)'")
            }
            return String(decoding: data, as: UTF8.self)
        }
        return value
    }

    /// The model-guided part of shorthand (BackCompatVisitor): members the model says are
    /// numbers become numbers, `true`/`false` booleans, a single value of a list a list of one.
    /// Keys the model lacks stay as written, for the validator to name.
    static func convert(_ value: ShorthandParser.Value, _ shape: APIShape, option: String) throws -> JSONValue {
        switch (shape.kind, value) {
        case (.structure(let members), .object(let entries)):
            return .object(try entries.map { key, item in
                guard let member = members.first(where: { $0.name == key }) else { return (key, plain(item)) }
                return (key, try convert(item, member.shape, option: option))
            })
        case (.list(let element), .list(let items)):
            return .array(try items.map { try convert($0, element, option: option) })
        case (.list(let element), _):
            return .array([try convert(value, element, option: option)])
        case (.map(_, let valueShape), .object(let entries)):
            return .object(try entries.map { ($0.0, try convert($0.1, valueShape, option: option)) })
        case (.integer, .string(let text)), (.long, .string(let text)):
            return .int(try pythonInt(text))
        case (.double, .string(let text)), (.float, .string(let text)):
            return .double(try pythonFloat(text))
        case (.boolean, .string(let text)):
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .string(text)
            }
        case (.integer, _), (.long, _):
            throw Failure(message: "int() argument must be a string, a bytes-like object or a real number, not '\(pythonTypeName(value))'")
        case (.double, _), (.float, _):
            throw Failure(message: "float() argument must be a string or a real number, not '\(pythonTypeName(value))'")
        default:
            return plain(value)
        }
    }

    private static func plain(_ value: ShorthandParser.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .list(let items): .array(items.map(plain))
        case .object(let entries): .object(entries.map { ($0.0, plain($0.1)) })
        }
    }

    private static func pythonTypeName(_ value: ShorthandParser.Value) -> String {
        switch value {
        case .string: "str"
        case .list: "list"
        case .object: "dict"
        }
    }

    /// Python's `int(text)`: surrounding spaces, a sign and `_` between digits allowed.
    static func pythonInt(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let digits = trimmed.range(of: #"^[+-]?\d+(_\d+)*$"#, options: .regularExpression) != nil
            ? trimmed.replacingOccurrences(of: "_", with: "") : ""
        guard let number = Int64(digits.hasPrefix("+") ? String(digits.dropFirst()) : digits) else {
            throw Failure(message: "invalid literal for int() with base 10: \(PythonText.repr(.string(text)))")
        }
        return number
    }

    /// Python's `float(text)`.
    static func pythonFloat(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "_", with: "")
        let lowered = trimmed.lowercased()
        let named: [String: Double] = ["inf": .infinity, "+inf": .infinity, "-inf": -.infinity, "infinity": .infinity,
                                       "-infinity": -.infinity, "nan": .nan]
        if let value = named[lowered] { return value }
        guard trimmed.range(of: #"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"#, options: .regularExpression) != nil,
              let number = Double(trimmed) else {
            throw Failure(message: "could not convert string to float: \(PythonText.repr(.string(text)))")
        }
        return number
    }
}
