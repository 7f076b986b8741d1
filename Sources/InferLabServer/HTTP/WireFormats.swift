#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The two date forms S3 writes, by hand: every response carries them, and Foundation's
/// `DateFormatter` (built per call, ICU underneath) cost more than the rest of a small GET
/// (measured with perf on the endpoint benchmark; hex digits are the engine's `Hex`).
enum WireFormats {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func utc(_ date: Date) -> tm {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return parts
    }

    private static func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }

    /// `Tue, 01 Dec 2026 20:00:00 GMT` (RFC 7231's IMF-fixdate).
    static func httpDate(_ date: Date) -> String {
        let t = utc(date)
        return "\(days[Int(t.tm_wday)]), \(two(t.tm_mday)) \(months[Int(t.tm_mon)]) \(t.tm_year + 1900) \(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)) GMT"
    }

    /// `2026-12-01T20:00:00.000Z`, at whole seconds: S3 keeps an object's times to the second, so
    /// its XML always has `.000` (and the CLI prints what S3 sends: `2026-12-01T20:00:00+00:00`).
    static func s3Timestamp(_ date: Date) -> String {
        iso8601(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    /// `2026-12-01T20:00:00.123Z`.
    static func iso8601(_ date: Date) -> String {
        let t = utc(date)
        let milliseconds = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1000)
        let millis = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : String(milliseconds)
        return "\(t.tm_year + 1900)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)).\(millis)Z"
    }

    /// An IMF-fixdate back to a date (what If-Modified-Since and V2's Date carry); nil otherwise.
    static func parseHTTPDate(_ text: String) -> Date? {
        // "Tue, 01 Dec 2026 20:00:00 GMT"
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT" || parts[5] == "UTC", let day = Int(parts[1]),
              let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900)
        t.tm_mon = Int32(month)
        t.tm_mday = Int32(day)
        t.tm_hour = Int32(clock[0])
        t.tm_min = Int32(clock[1])
        t.tm_sec = Int32(clock[2])
        return Date(timeIntervalSince1970: TimeInterval(timegm(&t)))
    }
}
