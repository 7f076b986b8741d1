import Foundation

/// JSON coding for AWS API shapes. Swift properties are lowerCamelCase; on the wire, in
/// `--cli-input-json` and in `--output json` members are AWS's PascalCase (`ModelName`), so the
/// key strategies only switch the first letter. Dictionary keys (Environment maps) are untouched.
public enum AWSCoding {
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { keys in
            AnyKey(lowercasingFirst(keys.last?.stringValue ?? ""))
        }
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            if let seconds = try? container.decode(Double.self) { return Date(timeIntervalSince1970: seconds) }
            let text = try container.decode(String.self)
            if let date = parseTimestamp(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(VisibleText.escaped(text))' is not a timestamp (use 2026-11-22T10:00:00Z or epoch seconds)")
        }
        return decoder
    }

    /// Dates as epoch seconds, as the catalog stores them. Member order is not stable: answers on
    /// the wire go through `AWSWireEncoder`, and the shell reflects the value for printing.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.keyEncodingStrategy = .custom { keys in AnyKey(uppercasingFirst(keys.last?.stringValue ?? "")) }
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }

    /// Whole milliseconds since 1970, AWS's precision for timestamps.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// `2026-11-22T02:15:04.986000+00:00`, as the AWS CLI prints a timestamp AWS sent: Python's
    /// `isoformat()` of a millisecond value (no fraction at all when it is a whole second).
    public static func cliTimestamp(_ date: Date) -> String {
        let millis = milliseconds(date)
        let wholeSeconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let fraction = millis - wholeSeconds * 1000
        let seconds = format(Date(timeIntervalSince1970: Double(wholeSeconds)), "yyyy-MM-dd'T'HH:mm:ss")
        return seconds + (fraction == 0 ? "" : String(format: ".%03d000", fraction)) + "+00:00"
    }

    /// A date in a fixed pattern (POSIX locale, so no user setting changes it), in UTC unless told.
    public static func format(_ date: Date, _ pattern: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    static func parseTimestamp(_ text: String) -> Date? {
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        let iso = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime],
                                                       [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]] {
            iso.formatOptions = options
            if let date = iso.date(from: text) { return date }
        }
        return nil
    }

    private static func lowercasingFirst(_ text: String) -> String { text.prefix(1).lowercased() + text.dropFirst() }
    static func uppercasingFirst(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
