import Foundation
import InferLabEngine

/// The AWS CLI's shorthand syntax, parsed as awscli's `ShorthandParser` parses it (awscli/shorthand.py):
/// purely by syntax, refusing what it refuses with its words —
/// `InputFilter=$[1:],…` gives "Expected: ',', received: ']' for input: …" as on the real CLI.
///
/// Written by hand because it is the core of "the shell accepts what the CLI accepts": a port of
/// a few hundred lines of Python, rule for rule, rather than a general grammar. The model-guided
/// conversion that follows (numbers, booleans, single values as lists) is `ShorthandConversion`.
struct ShorthandParser {
    /// A parsed value: a string, a list or a key-value object, in the order written.
    indirect enum Value: Equatable {
        case string(String)
        case list([Value])
        case object([(String, Value)])

        static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.string(let a), .string(let b)): a == b
            case (.list(let a), .list(let b)): a == b
            case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
            default: false
            }
        }
    }

    /// awscli's ShorthandParseError and its subclasses: the whole message, location included.
    struct Failure: Error, Equatable { let message: String }

    private let input: [Unicode.Scalar]
    private var index = 0
    private var resolvesParamfiles = false

    init(_ text: String) { input = Array(text.unicodeScalars) }

    static func parse(_ text: String) throws -> [(String, Value)] {
        var parser = ShorthandParser(text)
        return try parser.parameter()
    }

    // parameter = keyval *("," keyval)
    private mutating func parameter() throws -> [(String, Value)] {
        var params: [(String, Value)] = []
        let (key, value) = try keyval()
        params.append((key, value))
        var lastIndex = index
        while index < input.count {
            try expect(",", consumeWhitespace: true)
            let (key, value) = try keyval()
            if params.contains(where: { $0.0 == key }) {
                throw Failure(message: "Second instance of key \"\(key)\" encountered for input:\n\(errorLocation(lastIndex + 1))\nThis is often because there is a preceding \",\" instead of a space.")
            }
            params.append((key, value))
            lastIndex = index
        }
        return params
    }

    // keyval = key "=" [values] / key "@=" [file-optional-values]
    private mutating func keyval() throws -> (String, Value) {
        let key = self.key()
        try optionalParamfileMarker()
        try expect("=", consumeWhitespace: true)
        return (key, try values())
    }

    private mutating func optionalParamfileMarker() throws {
        resolvesParamfiles = false
        do {
            try expect("@", consumeWhitespace: true)
            resolvesParamfiles = true
        } catch is Failure {}
    }

    // key = 1*(alpha / %x30-39 / %x5f / %x2e / %x23)  ; [a-zA-Z0-9\-_.#/:]
    private mutating func key() -> String {
        let start = index
        while let character = current, character.isASCII,
              character.properties.isAlphabetic || ("0"..."9").contains(character) || "-_.#/:".unicodeScalars.contains(character) {
            index += 1
        }
        return String(String.UnicodeScalarView(input[start..<index]))
    }

    // values = csv-list / explicit-list / hash-literal
    private mutating func values() throws -> Value {
        guard let character = current else { return .string("") }
        if character == "[" { return try explicitList() }
        if character == "{" { return try hashLiteral() }
        return try csvValue()
    }

    private mutating func csvValue() throws -> Value {
        let first = try firstValue()
        consumeWhitespace()
        if atEOF || input[index] != "," { return first }
        try expect(",", consumeWhitespace: true)
        var list = [first]
        while true {
            do {
                let value = try secondValue()
                consumeWhitespace()
                if atEOF {
                    list.append(value)
                    break
                }
                try expect(",", consumeWhitespace: true)
                list.append(value)
            } catch let failure as Failure {
                // `a=b,c=d`: `c` is the next key, not a second value; back to the comma.
                if atEOF { throw failure }
                backtrack(to: ",")
                break
            }
        }
        return list.count == 1 ? first : .list(list)
    }

    private mutating func explicitList() throws -> Value {
        try expect("[", consumeWhitespace: true)
        var values: [Value] = []
        while current != "]" {
            values.append(try explicitValues())
            consumeWhitespace()
            if current != "]" {
                try expect(",")
                consumeWhitespace()
            }
        }
        try expect("]")
        return .list(values)
    }

    private mutating func explicitValues() throws -> Value {
        if current == "[" { return try explicitList() }
        if current == "{" { return try hashLiteral() }
        return try firstValue()
    }

    private mutating func hashLiteral() throws -> Value {
        try expect("{", consumeWhitespace: true)
        var members: [(String, Value)] = []
        while current != "}" {
            let key = self.key()
            try optionalParamfileMarker()
            try expect("=", consumeWhitespace: true)
            let value = try explicitValues()
            consumeWhitespace()
            if current != "}" {
                try expect(",")
                consumeWhitespace()
            }
            if let existing = members.firstIndex(where: { $0.0 == key }) { members[existing].1 = value } else { members.append((key, value)) }
        }
        try expect("}")
        return .object(members)
    }

    // first-value = value / single-quoted-val / double-quoted-val
    private mutating func firstValue() throws -> Value {
        if current == "'" { return try quoted("'", name: "singled quoted") }
        if current == "\"" { return try quoted("\"", name: "double quoted") }
        let text = consume(start: Self.startWord, follow: Self.firstFollow) ?? ""
        return try resolved(Self.unescapeCommas(text))
    }

    private mutating func secondValue() throws -> Value {
        if current == "'" { return try quoted("'", name: "singled quoted") }
        if current == "\"" { return try quoted("\"", name: "double quoted") }
        guard let text = consume(start: Self.startWord, follow: Self.secondFollow) else {
            throw syntaxError(expected: "<second>", actual: "<none>")
        }
        return try resolved(Self.unescapeCommas(text))
    }

    private static func unescapeCommas(_ text: String) -> String {
        var result = text.replacingOccurrences(of: "\\,", with: ",")
        while let last = result.unicodeScalars.last, last.properties.isWhitespace { result.unicodeScalars.removeLast() }
        return result
    }

    /// `'…'` or `"…"`, as the regex `'(?:\\'|[^'])*'` matches: the longest match, so an
    /// escaped quote can still close the value when no other quote follows.
    private mutating func quoted(_ quote: Unicode.Scalar, name: String) throws -> Value {
        var position = index + 1
        var lastEscapedQuote: Int?
        var end: Int?
        while position < input.count {
            if input[position] == "\\", position + 1 < input.count, input[position + 1] == quote {
                lastEscapedQuote = position + 1
                position += 2
                continue
            }
            if input[position] == quote { end = position; break }
            position += 1
        }
        guard let close = end ?? lastEscapedQuote else { throw syntaxError(expected: "<\(name)>", actual: "<none>") }
        var body = String(String.UnicodeScalarView(input[(index + 1)..<close]))
        index = close + 1
        body = body.replacingOccurrences(of: "\\" + String(quote), with: String(quote)).replacingOccurrences(of: "\\\\", with: "\\")
        return try resolved(body)
    }

    /// `key@=file://path`: the value is the file's contents.
    private func resolved(_ text: String) throws -> Value {
        guard resolvesParamfiles else { return .string(text) }
        for prefix in ["file://", "fileb://"] where text.hasPrefix(prefix) {
            let path = String(text.dropFirst(prefix.count))
            guard let data = FileManager.default.contents(atPath: (path as NSString).expandingTildeInPath) else {
                throw Failure(message: "Unable to load paramfile \(text): [Errno 2] No such file or directory: '\(path)'")
            }
            return .string(String(decoding: data, as: UTF8.self))
        }
        return .string(text)
    }

    /// A run of the regex `((\\,)|[start])((\\,)|[follow])*`, or nil when it matches nothing.
    private mutating func consume(start: (Unicode.Scalar) -> Bool, follow: (Unicode.Scalar) -> Bool) -> String? {
        var position = index
        var text = String.UnicodeScalarView()
        func step(_ allowed: (Unicode.Scalar) -> Bool) -> Bool {
            guard position < input.count else { return false }
            if input[position] == "\\", position + 1 < input.count, input[position + 1] == "," {
                text.append(contentsOf: input[position...position + 1])
                position += 2
                return true
            }
            guard allowed(input[position]) else { return false }
            text.append(input[position])
            position += 1
            return true
        }
        guard step(start) else { return nil }
        while step(follow) {}
        index = position
        return String(text)
    }

    // _START_WORD: ! #-& (-+ --< >-Z \-z |-\uffff
    private static func startWord(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return v == 0x21 || (0x23...0x26).contains(v) || (0x28...0x2B).contains(v) || (0x2D...0x3C).contains(v)
            || (0x3E...0x5A).contains(v) || (0x5C...0x7A).contains(v) || (0x7C...0xFFFF).contains(v)
    }

    // _FIRST_FOLLOW_CHARS: \s ! #-& (-+ --\ ^-| ~-\uffff
    private static func firstFollow(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return c.properties.isWhitespace || v == 0x21 || (0x23...0x26).contains(v) || (0x28...0x2B).contains(v)
            || (0x2D...0x5C).contains(v) || (0x5E...0x7C).contains(v) || (0x7E...0xFFFF).contains(v)
    }

    // _SECOND_FOLLOW_CHARS: \s ! #-& (-+ --< >-\uffff
    private static func secondFollow(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return c.properties.isWhitespace || v == 0x21 || (0x23...0x26).contains(v) || (0x28...0x2B).contains(v)
            || (0x2D...0x3C).contains(v) || (0x3E...0xFFFF).contains(v)
    }

    private var current: Unicode.Scalar? { index < input.count ? input[index] : nil }
    private var atEOF: Bool { index >= input.count }

    private mutating func expect(_ character: Unicode.Scalar, consumeWhitespace: Bool = false) throws {
        if consumeWhitespace { self.consumeWhitespace() }
        guard index < input.count else { throw syntaxError(expected: String(character), actual: "EOF") }
        guard input[index] == character else { throw syntaxError(expected: String(character), actual: String(input[index])) }
        index += 1
        if consumeWhitespace { self.consumeWhitespace() }
    }

    private mutating func backtrack(to character: Unicode.Scalar) {
        while index >= 0 && (index >= input.count || input[index] != character) { index -= 1 }
    }

    private mutating func consumeWhitespace() {
        while let character = current, character.properties.isWhitespace { index += 1 }
    }

    private func syntaxError(expected: String, actual: String) -> Failure {
        Failure(message: "Expected: '\(expected)', received: '\(actual)' for input:\n\(errorLocation(index))")
    }

    /// The input with a caret under the position, as awscli's `_error_location` draws it.
    private func errorLocation(_ position: Int) -> String {
        let text = String(String.UnicodeScalarView(input))
        var consumed = text, remaining = ""
        var spaces = position
        let before = input[..<min(position, input.count)]
        if let lastNewline = before.lastIndex(of: "\n") { spaces = position - lastNewline - 1 }
        if position < input.count, let next = input[position...].firstIndex(of: "\n") {
            consumed = String(String.UnicodeScalarView(input[..<next]))
            remaining = String(String.UnicodeScalarView(input[next...]))
        }
        return consumed + "\n" + String(repeating: " ", count: max(0, spaces)) + "^" + remaining
    }
}
