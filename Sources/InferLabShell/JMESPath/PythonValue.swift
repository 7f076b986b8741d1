import Foundation
import InferLabEngine

/// JSON values compared as Python compares the objects `json.loads` makes, which is what
/// jmespath (and so `--query`) does: numbers by value (1 == 1.0), strings by code point,
/// objects regardless of member order, and `true == 1` inside containers.
enum PythonValue {
    static func isActualNumber(_ value: JSONValue) -> Bool {
        switch value {
        case .int, .double: true
        default: false
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    /// jmespath's `_equals`: Python's `==`, except that 0 and 1 never equal false and true.
    static func jmespathEquals(_ left: JSONValue, _ right: JSONValue) -> Bool {
        if let number = number(left), number == 0 || number == 1, case .bool = right { return false }
        if let number = number(right), number == 0 || number == 1, case .bool = left { return false }
        return equals(left, right)
    }

    /// Python's `==` between the values `json.loads` makes.
    static func equals(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.null, .null): return true
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { equals($0, $1) }
        case (.object(let a), .object(let b)):
            let left = dictionary(a), right = dictionary(b)
            guard left.count == right.count else { return false }
            return left.allSatisfy { key, value in right[key].map { equals(value, $0) } ?? false }
        case (.int(let a), .int(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        default:
            guard let a = numeric(left), let b = numeric(right) else { return false }
            return a == b
        }
    }

    /// Python treats booleans as the integers 0 and 1 in arithmetic comparisons.
    private static func numeric(_ value: JSONValue) -> Double? {
        if case .bool(let flag) = value { return flag ? 1 : 0 }
        return number(value)
    }

    static func dictionary(_ members: [(String, JSONValue)]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in members { result[key] = value }
        return result
    }

    /// -1, 0 or 1 for two numbers or two strings (jmespath's ordering comparisons); nil for
    /// anything else, which compares as null.
    static func order(_ left: JSONValue, _ right: JSONValue) -> Int? {
        switch (left, right) {
        case (.string(let a), .string(let b)): return compareCodePoints(a, b)
        case (.int(let a), .int(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        default:
            guard isActualNumber(left), isActualNumber(right), let a = number(left), let b = number(right) else { return nil }
            return a < b ? -1 : (a > b ? 1 : 0)
        }
    }

    /// Strings ordered by Unicode code point, as Python orders them (Swift's `<` does not).
    static func compareCodePoints(_ a: String, _ b: String) -> Int {
        var left = a.unicodeScalars.makeIterator(), right = b.unicodeScalars.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x.value < y.value ? -1 : 1 }
            }
        }
    }
}

/// Python's `str()` and `repr()` of the values `json.loads` makes: what the CLI's text and table
/// formatters print (`True`, `None`, `1e-05`) and what jmespath's messages quote.
enum PythonText {
    static func str(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        default: repr(value)
        }
    }

    static func repr(_ value: JSONValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .double(let number): return float(number)
        case .string(let text): return quoted(text)
        case .array(let items): return "[" + items.map(repr).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { quoted($0.0) + ": " + repr($0.1) }.joined(separator: ", ") + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where Character(scalar) == quote: result += "\\" + String(quote)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: result += String(format: "\\x%02x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + String(quote)
    }

    /// Python's `repr(float)`: the shortest digits that round-trip, in fixed notation for
    /// exponents from -4 to 15 and scientific notation (`1e+16`, `1e-05`) outside.
    static func float(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == 0 { return number.sign == .minus ? "-0.0" : "0.0" }
        let (negative, digits, exponent) = shortestDigits(number)
        let sign = negative ? "-" : ""
        if exponent >= -4 && exponent < 16 {
            if exponent < 0 { return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits }
            if digits.count <= exponent + 1 {
                return sign + digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + digits.dropFirst()
        let power = abs(exponent)
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (power < 10 ? "0" : "") + String(power)
    }

    /// The significant digits of Swift's shortest round-trip description, and the decimal
    /// exponent of the first one.
    private static func shortestDigits(_ number: Double) -> (Bool, String, Int) {
        var text = "\(abs(number))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        var pointExponent = whole.count - 1 + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointExponent -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (number < 0, digits, pointExponent)
    }
}

/// Python's `json` module where jmespath and the CLI use it.
enum PythonJSON {
    static func loads(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    /// `json.dumps(value, separators=(',', ':'))`: compact, ASCII only (`\u00e9`), floats as
    /// Python writes them — jmespath's `to_string`.
    static func dumpsCompact(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            if number.isNaN { return "NaN" }
            if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
            return PythonText.float(number)
        case .string(let text): return asciiQuoted(text)
        case .array(let items): return "[" + items.map(dumpsCompact).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { asciiQuoted($0.0) + ":" + dumpsCompact($0.1) }.joined(separator: ",") + "}"
        }
    }

    static func asciiQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20 || scalar.value > 0x7E:
                if scalar.value > 0xFFFF {
                    let v = scalar.value - 0x10000
                    result += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                } else {
                    result += String(format: "\\u%04x", scalar.value)
                }
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

extension PythonValue {
    /// An object's members as a Python dict holds them: one per key, the last value, at the
    /// place of the first.
    static func dictionaryPreservingOrder(_ members: [(String, JSONValue)]) -> [(String, JSONValue)] {
        var result: [(String, JSONValue)] = []
        var positions: [String: Int] = [:]
        for (key, value) in members {
            if let position = positions[key] { result[position].1 = value } else {
                positions[key] = result.count
                result.append((key, value))
            }
        }
        return result
    }
}

extension PythonJSON {
    /// `json.dumps(value, indent=4, ensure_ascii=False)`: the AWS CLI's `--output json`.
    static func dumpsIndented(_ value: JSONValue, level: Int = 0) -> String {
        let pad = String(repeating: "    ", count: level + 1), closing = String(repeating: "    ", count: level)
        switch value {
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + dumpsIndented($0, level: level + 1) }.joined(separator: ",\n") + "\n" + closing + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { pad + quoted($0.0) + ": " + dumpsIndented($0.1, level: level + 1) }.joined(separator: ",\n")
                + "\n" + closing + "}"
        case .string(let text): return quoted(text)
        default: return dumpsCompact(value)
        }
    }

    /// A JSON string as Python writes it without `ensure_ascii`: only `"`, `\`, and control
    /// characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
