import InferLabEngine

/// The AWS CLI's shorthand syntax, parsed with the parameter's shape as a guide:
/// `Image=xgboost,ModelDataUrl=s3://b/model.tar.gz,Environment={INFERLAB_MODEL_LATENCY_MS=200}`.
///
/// Values may be quoted with `'` or `"` to hold `,`, `=`, `{` or `}`; lists are `[a,b]` inside a
/// structure, or separate words for a list parameter.
struct ShorthandParser {
    struct Failure: Error { let message: String }

    private let characters: [Character]
    private var index = 0

    init(_ text: String) { characters = Array(text) }

    /// Parses a whole parameter value of the given shape.
    static func parse(_ text: String, shape: APIShape) throws -> JSONValue {
        var parser = ShorthandParser(text)
        let value: JSONValue
        switch shape {
        case .structure(let members): value = try parser.structureBody(members, closing: nil)
        case .map(let valueShape): value = try parser.mapBody(valueShape, closing: nil)
        default: value = try parser.value(shape)
        }
        guard parser.index == parser.characters.count else {
            throw Failure(message: "Expected: ',', received: '\(parser.characters[parser.index])'")
        }
        return value
    }

    private var current: Character? { index < characters.count ? characters[index] : nil }

    private mutating func expect(_ character: Character) throws {
        guard current == character else {
            throw Failure(message: "Expected: '\(character)', received: '\(current.map(String.init) ?? "EOF")'")
        }
        index += 1
    }

    private mutating func key() throws -> String {
        var key = ""
        while let character = current, character != "=" {
            if ",{}[]".contains(character) { throw Failure(message: "Expected: '=', received: '\(character)'") }
            key.append(character)
            index += 1
        }
        try expect("=")
        return key.trimmingSpaces
    }

    private mutating func structureBody(_ members: [APIMember], closing: Character?) throws -> JSONValue {
        var result: [(String, JSONValue)] = []
        while current != nil && current != closing {
            let name = try key()
            guard let member = members.first(where: { $0.name == name }) else {
                let valid = members.map(\.name).joined(separator: ", ")
                throw Failure(message: "Unknown key '\(name)'; valid keys are: \(valid)")
            }
            result.removeAll { $0.0 == name }
            result.append((name, try value(member.shape)))
            if current == "," { index += 1 } else { break }
        }
        if let closing { try expect(closing) }
        return .object(result)
    }

    private mutating func mapBody(_ valueShape: APIShape, closing: Character?) throws -> JSONValue {
        var result: [(String, JSONValue)] = []
        while current != nil && current != closing {
            let name = try key()
            result.append((name, try value(valueShape)))
            if current == "," { index += 1 } else { break }
        }
        if let closing { try expect(closing) }
        return .object(result)
    }

    private mutating func value(_ shape: APIShape) throws -> JSONValue {
        switch shape {
        case .structure(let members):
            try expect("{")
            return try structureBody(members, closing: "}")
        case .map(let valueShape):
            try expect("{")
            return try mapBody(valueShape, closing: "}")
        case .list(let element):
            guard current == "[" else { return .array([try value(element)]) }
            index += 1
            var items: [JSONValue] = []
            while current != nil && current != "]" {
                items.append(try value(element))
                if current == "," { index += 1 } else { break }
            }
            try expect("]")
            return .array(items)
        default:
            return try Self.coerce(scalar(), to: shape)
        }
    }

    private mutating func scalar() throws -> String {
        if let quote = current, quote == "'" || quote == "\"" {
            index += 1
            var text = ""
            while let character = current, character != quote {
                text.append(character)
                index += 1
            }
            try expect(quote)
            return text
        }
        // Brackets inside a bare value are kept whole, so JSONPath such as `$[0,-1]` needs no quotes
        // (the AWS CLI would want them; accepting both is kinder and loses nothing).
        var text = ""
        var depth = 0
        while let character = current {
            if depth == 0 && ",}]".contains(character) { break }
            if character == "[" { depth += 1 } else if character == "]" { depth -= 1 }
            text.append(character)
            index += 1
        }
        return text.trimmingSpaces
    }

    /// A scalar word as the shape's JSON type.
    static func coerce(_ text: String, to shape: APIShape) throws -> JSONValue {
        switch shape {
        case .integer:
            guard let number = Int64(text) else { throw Failure(message: "Expected an integer, received: '\(text)'") }
            return .int(number)
        case .double:
            guard let number = Double(text) else { throw Failure(message: "Expected a number, received: '\(text)'") }
            return .double(number)
        case .boolean:
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw Failure(message: "Expected true or false, received: '\(text)'")
            }
        default:
            return .string(text)
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
