/// Reads the JSON that `booster.save_model("….json")` writes into a `ModelValue`.
///
/// A hand-written reader rather than `JSONSerialization` for two reasons: numbers are kept as
/// text so a `float` threshold converts exactly once (no detour through `Double`), and errors can
/// name the byte where the file stops making sense, which is what a truncated upload needs.
struct JSONModelReader {
    /// Deeper than any model XGBoost writes (about 8 levels); stops hostile input from
    /// exhausting the stack.
    private static let maximumDepth = 256

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    static func read(_ data: [UInt8]) throws -> ModelValue {
        try data.withUnsafeBufferPointer { buffer in
            var reader = JSONModelReader(bytes: buffer)
            reader.skipWhitespace()
            let value = try reader.readValue(depth: 0)
            reader.skipWhitespace()
            if reader.position < buffer.count {
                throw reader.error("unexpected content after the end of the document")
            }
            return value
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private mutating func readValue(depth: Int) throws -> ModelValue {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        guard position < bytes.count else { throw error("unexpected end of data") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try readObject(depth: depth)
        case UInt8(ascii: "["): return try readArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"):
            if matches("nan") { position += 3; return .number(.text("nan")) }
            try expectWord("null"); return .null
        default: return .number(.text(try readNumber()))
        }
    }

    private mutating func readObject(depth: Int) throws -> ModelValue {
        position += 1  // {
        var members = [String: ModelValue]()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw error("expected a quoted member name") }
            let key = try readString()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw error("expected ':' after member \"\(key)\"") }
            position += 1
            skipWhitespace()
            members[key] = try readValue(depth: depth + 1)
            skipWhitespace()
            let next = try peek()
            position += 1
            if next == UInt8(ascii: "}") { return .object(members) }
            guard next == UInt8(ascii: ",") else { position -= 1; throw error("expected ',' or '}' in an object") }
        }
    }

    private mutating func readArray(depth: Int) throws -> ModelValue {
        position += 1  // [
        var items = [ModelValue]()
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try readValue(depth: depth + 1))
            skipWhitespace()
            let next = try peek()
            position += 1
            if next == UInt8(ascii: "]") { return .array(items) }
            guard next == UInt8(ascii: ",") else { position -= 1; throw error("expected ',' or ']' in an array") }
        }
    }

    private mutating func readString() throws -> String {
        position += 1  // opening quote
        var utf8 = [UInt8]()
        while true {
            guard position < bytes.count else { throw error("unterminated string") }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw error("unterminated string") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try readUnicodeEscape())
                default: position -= 1; throw error("invalid escape in a string")
                }
            case 0..<0x20:
                position -= 1
                throw error("control character in a string")
            default:
                utf8.append(byte)
            }
        }
    }

    /// `\uXXXX`, joining a surrogate pair when one follows.
    private mutating func readUnicodeEscape() throws -> [UInt8] {
        var scalar = try readHex4()
        if (0xD800..<0xDC00).contains(scalar), matches("\\u") {
            position += 2
            let low = try readHex4()
            if (0xDC00..<0xE000).contains(low) {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
        }
        return Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
    }

    private mutating func readHex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("unterminated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[position])).hexDigitValue else {
                throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// A JSON number, or the `NaN`/`Infinity` spellings C++ JSON writers emit for floats.
    private mutating func readNumber() throws -> String {
        let start = position
        for word in ["NaN", "Infinity", "-Infinity", "inf", "-inf"] where matches(word) {
            position += word.utf8.count
            return word
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard skipDigits() > 0 else {
            position = start
            throw error(position < bytes.count ? "unexpected character '\(printable(bytes[position]))'" : "unexpected end of data")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() > 0 else { throw error("expected digits after the decimal point") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard skipDigits() > 0 else { throw error("expected digits in the exponent") }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    private mutating func skipDigits() -> Int {
        let start = position
        while position < bytes.count, bytes[position] &- UInt8(ascii: "0") < 10 { position += 1 }
        return position - start
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func peek() throws -> UInt8 {
        guard position < bytes.count else { throw error("unexpected end of data") }
        return bytes[position]
    }

    private func matches(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard position + utf8.count <= bytes.count else { return false }
        return utf8.indices.allSatisfy { bytes[position + $0] == utf8[$0] }
    }

    private mutating func expectWord(_ word: String) throws {
        guard matches(word) else {
            throw error(position + word.utf8.count > bytes.count ? "unexpected end of data" : "unexpected character '\(printable(bytes[position]))'")
        }
        position += word.utf8.count
    }

    private func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private func error(_ detail: String) -> XGBoostModelError {
        .malformed("JSON", detail, at: position)
    }
}
