import Foundation

// Linear Learner's own JSON: the artifact's tree (kept in member order so it writes back byte for
// byte) and a byte-level scanner that reads request bodies without building a tree — the request
// path is hot, which is why this is hand-written beside the general JSONValue.

/// A JSON value that keeps object members in their order, so metadata written by the trainer
/// reads back and writes out as the same bytes.
public indirect enum LinearLearnerJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([LinearLearnerJSON])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: LinearLearnerJSON

        public init(_ key: String, _ value: LinearLearnerJSON) {
            self.key = key
            self.value = value
        }
    }

    /// The value of an object's member.
    public subscript(key: String) -> LinearLearnerJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A number's value.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// What a value is, for error messages: `a string ("abc")`, `an array`.
    var brief: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): "the number \(Self.format(value))"
        case .string(let value): "the string \"\(value.count > 40 ? value.prefix(40) + "…" : Substring(value))\""
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as JSON text. `pretty`: objects one member per line, indented by two spaces;
    /// arrays stay on one line.
    public func serialized(pretty: Bool = false) -> String {
        var text = ""
        write(to: &text, pretty: pretty, indent: 0)
        return text
    }

    private func write(to text: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .number(let value): text += Self.format(value)
        case .string(let value): Self.writeString(value, to: &text)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += pretty ? ", " : "," }
                item.write(to: &text, pretty: pretty, indent: indent)
            }
            text += "]"
        case .object(let members):
            guard !members.isEmpty else { text += "{}"; return }
            text += "{"
            let padding = String(repeating: " ", count: indent + 2)
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                if pretty { text += "\n" + padding }
                Self.writeString(member.key, to: &text)
                text += pretty ? ": " : ":"
                member.value.write(to: &text, pretty: pretty, indent: indent + 2)
            }
            if pretty { text += "\n" + String(repeating: " ", count: indent) }
            text += "}"
        }
    }

    /// Shortest round-trip text; whole numbers without a fraction; non-finite values (which JSON
    /// cannot hold) as `null`.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    private static func writeString(_ value: String, to text: inout String) {
        text += JSONValue.quoted(value)
    }
}
