#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A row-major matrix of Float features; NaN marks a missing value.
public struct FeatureMatrix: Sendable {
    public var values: [Float] = []
    public var rowCount = 0
    public var columnCount = 0

    public init() {}

    public mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        rowCount = 0
        columnCount = 0
    }
}

/// A record that could not be read, with its 1-based record number and field.
public struct FeatureParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var record: Int
    public var field: Int?
    public var message: String

    public var description: String {
        "record \(record)" + (field.map { ", field \($0)" } ?? "") + ": " + message
    }
}

/// Parses request bodies into feature matrices straight from bytes.
///
/// Hand-written because this is the hot path of every transform job and endpoint: no String per
/// line or field, no Foundation number parsing. Numbers go to Double and then Float, as numpy
/// and xgboost read CSV, so predictions match the real container's.
public enum FeatureParsing {
    /// `text/csv`: no header, one record per line, `,`-separated numbers. Blank lines (such as a
    /// trailing one) are skipped.
    /// - Parameter emptyIsMissing: an empty field is NaN (XGBoost) rather than an error.
    public static func csv(_ bytes: UnsafeRawBufferPointer, emptyIsMissing: Bool, into matrix: inout FeatureMatrix) throws {
        matrix.removeAll()
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var position = 0
        var record = 0
        // The common line, once the first has set the width, is read in one pass.
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 64)
        defer { scratch.deallocate() }
        while position < count {
            if matrix.rowCount > 0, matrix.columnCount <= 64,
               let lineEnd = plainIntegerLine(base, from: position, to: count, width: matrix.columnCount, into: scratch) {
                record += 1
                matrix.values.append(contentsOf: UnsafeBufferPointer(start: scratch, count: matrix.columnCount))
                matrix.rowCount += 1
                position = lineEnd + 1
                continue
            }
            var lineEnd = position
            while lineEnd < count, base[lineEnd] != 0x0A { lineEnd += 1 }
            var end = lineEnd
            if end > position, base[end - 1] == 0x0D { end -= 1 }
            record += 1
            if !isBlank(base, position, end) {
                var columns = 0
                var fieldStart = position
                while true {
                    var fieldEnd = fieldStart
                    while fieldEnd < end, base[fieldEnd] != 0x2C { fieldEnd += 1 }
                    columns += 1
                    let value: Float
                    if let parsed = parseNumber(base, fieldStart, fieldEnd) {
                        value = Float(parsed)
                    } else if emptyIsMissing && isBlank(base, fieldStart, fieldEnd) {
                        value = .nan
                    } else {
                        let field = UnsafeBufferPointer(start: base + fieldStart, count: fieldEnd - fieldStart)
                        if fieldStart == 0, field.starts(with: NumericCSV.byteOrderMark) {
                            throw FeatureParseError(record: record, field: columns, message: NumericCSV.byteOrderMarkMessage)
                        }
                        throw FeatureParseError(record: record, field: columns,
                                                message: field.isEmpty ? "the field is empty" : "'\(VisibleText.escaped(bytes: field))' is not a number")
                    }
                    matrix.values.append(value)
                    if fieldEnd >= end { break }
                    fieldStart = fieldEnd + 1
                }
                if matrix.rowCount == 0 {
                    matrix.columnCount = columns
                } else if columns != matrix.columnCount {
                    throw FeatureParseError(record: record, field: nil,
                                            message: "it has \(columns) fields, but the first record has \(matrix.columnCount)")
                }
                matrix.rowCount += 1
            }
            position = lineEnd + 1
        }
    }

    /// `text/libsvm`: `[label] index:value index:value …` per line; indices are column numbers
    /// used as given (as xgboost reads them), absent columns are missing.
    public static func libsvm(_ bytes: UnsafeRawBufferPointer, columns: Int, into matrix: inout FeatureMatrix) throws {
        matrix.removeAll()
        matrix.columnCount = columns
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var position = 0
        var record = 0
        while position < bytes.count {
            var lineEnd = position
            while lineEnd < bytes.count, base[lineEnd] != 0x0A { lineEnd += 1 }
            record += 1
            if !isBlank(base, position, lineEnd) {
                let rowStart = matrix.values.count
                matrix.values.append(contentsOf: repeatElement(Float.nan, count: columns))
                var tokenStart = position
                var field = 0
                while tokenStart < lineEnd {
                    while tokenStart < lineEnd, base[tokenStart] == 0x20 || base[tokenStart] == 0x09 || base[tokenStart] == 0x0D { tokenStart += 1 }
                    guard tokenStart < lineEnd else { break }
                    var tokenEnd = tokenStart
                    var colon = -1
                    while tokenEnd < lineEnd, base[tokenEnd] != 0x20, base[tokenEnd] != 0x09, base[tokenEnd] != 0x0D {
                        if base[tokenEnd] == 0x3A { colon = tokenEnd }
                        tokenEnd += 1
                    }
                    field += 1
                    if colon >= 0 {
                        guard let index = parseNumber(base, tokenStart, colon), index >= 0, index == index.rounded(),
                              let value = parseNumber(base, colon + 1, tokenEnd) else {
                            throw FeatureParseError(record: record, field: field, message: "expected index:value")
                        }
                        guard Int(index) < columns else {
                            throw FeatureParseError(record: record, field: field,
                                                    message: "feature index \(Int(index)) is beyond the model's \(columns) features")
                        }
                        matrix.values[rowStart + Int(index)] = Float(value)
                    } else if field != 1 {
                        throw FeatureParseError(record: record, field: field, message: "expected index:value")
                    }
                    tokenStart = tokenEnd
                }
                matrix.rowCount += 1
            }
            position = lineEnd + 1
        }
    }

    /// The common CSV line, read in one pass: exactly `width` fields of an optional `-` and one
    /// to seven digits, separated by bare commas, from `start` to a `\n` or `end`. Writes the
    /// values to `row` and returns where the line ends (its `\n`, or `end`); nil for any other
    /// line (spaces, quotes, decimals, `\r`, longer numbers, another count), which the caller
    /// then reads the general way. Such numbers are below 2^24, so `Float` holds them exactly:
    /// the values are what the general parsers give (−0 included).
    @inline(__always)
    static func plainIntegerLine(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, width: Int,
                                 into row: UnsafeMutablePointer<Float>) -> Int? {
        guard width > 0 else { return nil }
        var index = start
        for column in 0..<width {
            var negative = false
            if index < end && base[index] == UInt8(ascii: "-") { negative = true; index &+= 1 }
            let digitsStart = index
            var value = 0
            while index < end, case let digit = base[index] &- UInt8(ascii: "0"), digit < 10 {
                value = value &* 10 &+ Int(digit)
                index &+= 1
            }
            let digits = index &- digitsStart
            guard digits > 0, digits <= 7 else { return nil }
            if column == width &- 1 {
                guard index == end || base[index] == 0x0A else { return nil }
            } else {
                guard index < end, base[index] == UInt8(ascii: ",") else { return nil }
                index &+= 1
            }
            let magnitude = Float(value)
            row[column] = negative ? -magnitude : magnitude
        }
        return index
    }

    private static func isBlank(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            if base[index] != 0x20 && base[index] != 0x09 && base[index] != 0x0D { return false }
            index += 1
        }
        return true
    }

    private static let exactPowers: [Double] = (0...22).map { pow(10, Double($0)) }

    /// A decimal number in `[start, end)`, spaces around it allowed; `nil` when it is not one.
    /// Exact fast path (Clinger): up to 15 significant digits and a small exponent give the
    /// correctly rounded Double; anything else falls back to strtod.
    @inline(__always)
    static func parseNumber(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var index = start, stop = end
        while index < stop, base[index] == 0x20 || base[index] == 0x09 { index += 1 }
        while stop > index, base[stop - 1] == 0x20 || base[stop - 1] == 0x09 || base[stop - 1] == 0x0D { stop -= 1 }
        guard index < stop else { return nil }
        let numberStart = index
        var negative = false
        if base[index] == 0x2D || base[index] == 0x2B { negative = base[index] == 0x2D; index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while index < stop, base[index] >= 0x30, base[index] <= 0x39 {
            if digits < 19 { mantissa = mantissa * 10 + UInt64(base[index] - 0x30); if mantissa > 0 { digits += 1 } } else { exponent += 1 }
            sawDigit = true
            index += 1
        }
        if index < stop, base[index] == 0x2E {
            index += 1
            while index < stop, base[index] >= 0x30, base[index] <= 0x39 {
                if digits < 19 { mantissa = mantissa * 10 + UInt64(base[index] - 0x30); if mantissa > 0 { digits += 1 }; exponent -= 1 }
                sawDigit = true
                index += 1
            }
        }
        guard sawDigit else { return slowParse(base, numberStart, stop) }
        if index < stop, base[index] == 0x65 || base[index] == 0x45 {
            index += 1
            var expNegative = false
            if index < stop, base[index] == 0x2D || base[index] == 0x2B { expNegative = base[index] == 0x2D; index += 1 }
            var value = 0
            var sawExpDigit = false
            while index < stop, base[index] >= 0x30, base[index] <= 0x39, value < 100_000 {
                value = value * 10 + Int(base[index] - 0x30)
                sawExpDigit = true
                index += 1
            }
            guard sawExpDigit else { return nil }
            exponent += expNegative ? -value : value
        }
        guard index == stop else { return nil }
        if digits <= 15, abs(exponent) <= 22 {
            let value = Double(mantissa)
            let result = exponent >= 0 ? value * exactPowers[exponent] : value / exactPowers[-exponent]
            return negative ? -result : result
        }
        return slowParse(base, numberStart, stop)
    }

    /// strtod for the rare cases the fast path cannot round exactly (and for nan, inf).
    private static func slowParse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let length = end - start
        guard length < 128 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
            for offset in 0..<length { buffer[offset] = CChar(bitPattern: base[start + offset]) }
            buffer[length] = 0
            var endPointer: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &endPointer)
            guard let endPointer, endPointer == buffer.baseAddress! + length else { return nil }
            return value
        }
    }
}

/// Lines and comma-separated numeric fields straight from bytes, shared by the container and
/// the trainer. Lines end at `\n` (a `\r` before it is dropped); blank lines at the end of the
/// data are ignored; fields are trimmed of spaces and tabs, and one pair of double quotes around a
/// field is removed.
enum NumericCSV {
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// Where the data starts (after a UTF-8 byte-order mark) and ends (before trailing blank lines).
    static func content(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var end = bytes.count
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        // Keep the last line whole (its leading spaces belong to it): cut at the last line end.
        if end < bytes.count, let newline = (end..<bytes.count).first(where: { bytes[$0] == 0x0A }) {
            return start..<newline
        }
        return start..<end
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    static let byteOrderMarkMessage = "the input starts with a UTF-8 byte order mark (BOM); save it without one"

    static func hasContent(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains { !isSpace($0) && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
    }

    /// Calls `body` with each line's 1-based number and its bytes (without the line end).
    @inline(__always)
    static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Range<Int>) throws -> Void) rethrows {
        let range = content(bytes)
        guard !range.isEmpty else { return }
        var start = range.lowerBound
        var number = 1
        while start <= range.upperBound {
            var end = start
            while end < range.upperBound && bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            try body(number, start..<lineEnd)
            number += 1
            start = end + 1
        }
    }

    @inline(__always)
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
        for index in line where !isSpace(bytes[index]) { return false }
        return true
    }

    @inline(__always)
    static func fieldCount(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Int {
        var count = 1
        for index in line where bytes[index] == UInt8(ascii: ",") { count += 1 }
        return count
    }

    /// Calls `body` with each field's 0-based column and its trimmed bytes.
    @inline(__always)
    static func forEachField(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>,
                             _ body: (Int, Range<Int>) throws -> Void) rethrows {
        var start = line.lowerBound
        var column = 0
        while true {
            var end = start
            while end < line.upperBound && bytes[end] != UInt8(ascii: ",") { end += 1 }
            try body(column, trimmed(bytes, start..<end))
            guard end < line.upperBound else { return }
            start = end + 1
            column += 1
        }
    }

    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Range<Int>) -> Range<Int> {
        var lower = field.lowerBound
        var upper = field.upperBound
        while lower < upper && (bytes[lower] == 0x20 || bytes[lower] == 0x09) { lower += 1 }
        while upper > lower && (bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09) { upper -= 1 }
        if upper - lower >= 2 && bytes[lower] == UInt8(ascii: "\"") && bytes[upper - 1] == UInt8(ascii: "\"") {
            lower += 1
            upper -= 1
        }
        return lower..<upper
    }

    /// A field as an error message shows it: quoted, cut at 40 bytes, "an empty field" when empty.
    static func quote(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Range<Int>) -> String {
        guard !field.isEmpty else { return "an empty field" }
        let shown = field.lowerBound..<min(field.upperBound, field.lowerBound + 40)
        let text = VisibleText.escaped(bytes: UnsafeBufferPointer(rebasing: bytes[shown]))
        return "'\(text)\(shown.count < field.count ? "…" : "")'"
    }
}
