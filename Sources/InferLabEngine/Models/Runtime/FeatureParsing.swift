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
        while position < count {
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
                        let text = String(decoding: UnsafeBufferPointer(start: base + fieldStart, count: fieldEnd - fieldStart), as: UTF8.self)
                        throw FeatureParseError(record: record, field: columns,
                                                message: text.isEmpty ? "the field is empty" : "'\(text)' is not a number")
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
