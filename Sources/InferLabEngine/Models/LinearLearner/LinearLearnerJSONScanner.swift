import Foundation

/// A byte-level JSON reader. The container drives it piece by piece (`readFloat`, `skipValue`)
/// so request bodies are parsed without building a tree or a String per number; the artifact is
/// read whole with `readDocument`.
struct LinearLearnerJSONScanner {
    struct Failure: Error {
        let message: String
    }

    /// Deeper than any artifact or request needs; stops hostile input from exhausting the stack.
    static let maximumDepth = 128

    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int
    /// Where the scanned range starts: error messages count bytes from here.
    let origin: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil) {
        self.bytes = bytes
        self.position = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
        self.origin = position
    }

    mutating func skipBOM() {
        if end - position >= 3, bytes[position] == 0xEF, bytes[position + 1] == 0xBB, bytes[position + 2] == 0xBF {
            position += 3
        }
    }

    /// One value and nothing after it but whitespace.
    mutating func readDocument() throws -> LinearLearnerJSON {
        skipWhitespace()
        let value = try readValue(depth: 0)
        try expectEnd()
        return value
    }

    mutating func expectEnd() throws {
        skipWhitespace()
        if position < end { throw failure("unexpected \(describe(bytes[position])) after the end of the JSON value") }
    }

    func failure(_ message: String) -> Failure {
        Failure(message: "\(message) at byte \(position - origin + 1)")
    }

    func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    /// The next byte after whitespace, or nil at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < end ? bytes[position] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek() == byte else {
            throw failure(position < end ? "expected \(what), found \(describe(bytes[position]))" : "expected \(what), found the end of the data")
        }
        position += 1
    }

    /// After a member or element: true when another follows (a comma was read), false at the
    /// closing bracket (which is read).
    mutating func readSeparator(closing: UInt8) throws -> Bool {
        switch peek() {
        case UInt8(ascii: ","): position += 1; return true
        case closing: position += 1; return false
        case nil: throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))', found the end of the data")
        case let byte?: throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))', found \(describe(byte))")
        }
    }

    /// Reads an object (the next value must be one), calling `body` after each member's name with
    /// the scanner at the member's value, which `body` must read or skip.
    mutating func forEachMember(_ body: (inout LinearLearnerJSONScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "'{'")
        if peek() == UInt8(ascii: "}") { position += 1; return }
        repeat {
            let key = try readKey()
            try body(&self, key)
        } while try readSeparator(closing: UInt8(ascii: "}"))
    }

    /// Reads `"key":` and returns the key.
    mutating func readKey() throws -> String {
        guard peek() == UInt8(ascii: "\"") else {
            throw failure(position < end ? "expected a quoted member name, found \(describe(bytes[position]))" : "expected a quoted member name, found the end of the data")
        }
        let key = try readString()
        try expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
        return key
    }

    mutating func readString() throws -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes (short keys become small strings, without a heap allocation).
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position - 1]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("a control character inside a string") }
            position += 1
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self).unicodeScalars)
        var pendingBytes: [UInt8] = []
        func flush() {
            if !pendingBytes.isEmpty {
                scalars.append(contentsOf: String(decoding: pendingBytes, as: UTF8.self).unicodeScalars)
                pendingBytes.removeAll()
            }
        }
        while position < end {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                guard position < end else { break }
                let escape = bytes[position]
                position += 1
                flush()
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try readHex4()
                    if (0xD800..<0xDC00).contains(code), position + 1 < end,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try readHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("an unpaired surrogate in \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("an invalid \\u escape") }
                    scalars.append(scalar)
                default:
                    position -= 1
                    throw failure("an invalid escape \\\(Character(Unicode.Scalar(escape)))")
                }
            default:
                if byte < 0x20 { position -= 1; throw failure("a control character inside a string") }
                pendingBytes.append(byte)
            }
        }
        throw failure("a string that never ends")
    }

    private mutating func readHex4() throws -> UInt32 {
        guard position + 4 <= end else { throw failure("a \\u escape cut short") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape needs four hex digits")
            }
            value = value * 16 + UInt32(digit)
            position += 1
        }
        return value
    }

    /// The bytes of a JSON number starting here (strict JSON grammar), without converting them.
    mutating func scanNumber() -> Range<Int>? {
        let start = position
        var index = position
        if index < end && bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end, isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < end && isDigit(bytes[index]) { index += 1 }
        }
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < end, isDigit(bytes[index]) else { return nil }
            while index < end && isDigit(bytes[index]) { index += 1 }
        }
        if index < end && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < end && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard index < end, isDigit(bytes[index]) else { return nil }
            while index < end && isDigit(bytes[index]) { index += 1 }
        }
        position = index
        return start..<index
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Skips one value of any kind.
    mutating func skipValue(depth: Int = 0) throws {
        guard depth < Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
        switch peek() {
        case UInt8(ascii: "{"):
            position += 1
            if peek() == UInt8(ascii: "}") { position += 1; return }
            repeat {
                _ = try readKey()
                try skipValue(depth: depth + 1)
            } while try readSeparator(closing: UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            position += 1
            if peek() == UInt8(ascii: "]") { position += 1; return }
            repeat { try skipValue(depth: depth + 1) } while try readSeparator(closing: UInt8(ascii: "]"))
        case UInt8(ascii: "\""):
            _ = try readString()
        default:
            _ = try readValue(depth: depth)
        }
    }

    /// Reads one value as a tree.
    mutating func readValue(depth: Int) throws -> LinearLearnerJSON {
        guard depth < Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
        guard let byte = peek() else { throw failure("expected a value, found the end of the data") }
        switch byte {
        case UInt8(ascii: "{"):
            position += 1
            var members: [LinearLearnerJSON.Member] = []
            if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
            repeat {
                let key = try readKey()
                members.append(.init(key, try readValue(depth: depth + 1)))
            } while try readSeparator(closing: UInt8(ascii: "}"))
            return .object(members)
        case UInt8(ascii: "["):
            position += 1
            var items: [LinearLearnerJSON] = []
            if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
            repeat { items.append(try readValue(depth: depth + 1)) } while try readSeparator(closing: UInt8(ascii: "]"))
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"): try readWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try readWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try readWord("null"); return .null
        default:
            guard let span = scanNumber() else { throw failure("expected a value, found \(describe(byte))") }
            let value = DecimalText.double(bytes, span) ?? .nan
            guard value.isFinite else {
                position = span.lowerBound
                throw failure("a number too large for a 64-bit float")
            }
            return .number(value)
        }
    }

    private mutating func readWord(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        var matches = position + count <= end
        var index = 0
        while matches && index < count {
            matches = bytes[position + index] == word.utf8Start[index]
            index += 1
        }
        guard matches else { throw failure("expected a value, found \(describe(bytes[position]))") }
        position += count
    }
}

// MARK: - Numbers from bytes

/// Decimal text to `Float`/`Double` straight from bytes, correctly rounded.
///
/// The common case (up to 19 significant digits and a small exponent) is exact IEEE arithmetic
/// on an integer mantissa and a power of ten (Clinger's fast path); the rare rest goes through
/// the standard library's locale-independent parser.
enum DecimalText {
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }  // exact: every 10^k for k ≤ 22 is a Double
        return value
    }
    private static let floatPowersOfTen: [Float] = (0...10).map { Float(powersOfTen[$0]) }

    /// A number's parts: `±mantissa × 10^exponent`, or nil when the bytes are not a decimal
    /// number (`[+-]digits[.digits][e[+-]digits]`, or `.5` and `5.` as spreadsheets write them).
    struct Parts {
        var negative = false
        var mantissa: UInt64 = 0
        var exponent = 0
        /// More than 19 significant digits: the mantissa is cut and the fast path does not apply.
        var truncated = false
    }

    @inline(__always)
    static func parts(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> Parts? {
        var parts = Parts()
        var index = span.lowerBound
        let end = span.upperBound
        guard index < end else { return nil }
        if bytes[index] == UInt8(ascii: "-") { parts.negative = true; index += 1 }
        else if bytes[index] == UInt8(ascii: "+") { index += 1 }
        var digits = 0
        var significant = 0
        while index < end, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            accumulate(digit, into: &parts, significant: &significant, fraction: false)
            digits += 1
            index += 1
        }
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                accumulate(digit, into: &parts, significant: &significant, fraction: true)
                digits += 1
                index += 1
            }
        }
        guard digits > 0 else { return nil }
        if index < end && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            var negativeExponent = false
            if index < end && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
                negativeExponent = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            var exponentDigits = 0
            while index < end, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(digit) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            parts.exponent += negativeExponent ? -exponent : exponent
        }
        return index == end ? parts : nil
    }

    @inline(__always)
    private static func accumulate(_ digit: UInt8, into parts: inout Parts, significant: inout Int, fraction: Bool) {
        if significant == 0 && digit == 0 {
            if fraction { parts.exponent -= 1 }
            return
        }
        if significant < 19 {
            parts.mantissa = parts.mantissa &* 10 &+ UInt64(digit)
            significant += 1
            if fraction { parts.exponent -= 1 }
        } else {
            if digit != 0 { parts.truncated = true }
            if !fraction { parts.exponent += 1 }
        }
    }

    /// The Double nearest to the decimal number in `span`, or nil when the bytes are not a number.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> Double? {
        guard let parts = parts(bytes, span) else { return nil }
        if let value = fastDouble(parts) { return value }
        return slowDouble(bytes, span)
    }

    /// The Float nearest to the decimal number in `span`, or nil when the bytes are not a number.
    @inline(__always)
    static func float(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> Float? {
        guard let parts = parts(bytes, span) else { return nil }
        if parts.mantissa == 0 && !parts.truncated { return parts.negative ? -0.0 : 0 }
        if !parts.truncated && parts.mantissa <= 1 << 24 && abs(parts.exponent) <= 10 {
            // Both operands exact in Float: one correctly rounded operation.
            let mantissa = Float(parts.mantissa)
            let value = parts.exponent >= 0 ? mantissa * floatPowersOfTen[parts.exponent]
                                            : mantissa / floatPowersOfTen[-parts.exponent]
            return parts.negative ? -value : value
        }
        if let double = fastDouble(parts) {
            // Rounding the correctly rounded Double to Float is exact unless the Double sits exactly
            // halfway between two Floats (or in Float's subnormal or overflow range).
            let magnitude = abs(double)
            let halfway = double.bitPattern & ((1 << 29) - 1) == 1 << 28
            if !halfway && magnitude >= Double(Float.leastNormalMagnitude) && magnitude <= Double(Float.greatestFiniteMagnitude) {
                return Float(double)
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[span]), as: UTF8.self)
        return Float(normalized(text))
    }

    @inline(__always)
    private static func fastDouble(_ parts: Parts) -> Double? {
        if parts.mantissa == 0 && !parts.truncated { return parts.negative ? -0.0 : 0 }
        guard !parts.truncated, parts.mantissa <= 1 << 53, abs(parts.exponent) <= 22 else { return nil }
        let mantissa = Double(parts.mantissa)
        let value = parts.exponent >= 0 ? mantissa * powersOfTen[parts.exponent] : mantissa / powersOfTen[-parts.exponent]
        return parts.negative ? -value : value
    }

    private static func slowDouble(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Range<Int>) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[span]), as: UTF8.self)
        return Double(normalized(text)) ?? .nan
    }

    /// `.5` → `0.5`, `5.` → `5.0`, `+5` → `5`, which the standard library's parser also reads
    /// but is spelled out here so the result does not depend on it.
    private static func normalized(_ text: String) -> String {
        var text = text
        if text.hasPrefix("+") { text.removeFirst() }
        if text.hasPrefix(".") { text = "0" + text } else if text.hasPrefix("-.") { text = "-0" + text.dropFirst() }
        text = text.replacingOccurrences(of: ".e", with: ".0e").replacingOccurrences(of: ".E", with: ".0E")
        if text.hasSuffix(".") { text += "0" }
        return text
    }
}
