import Foundation
import InferLabEngine

/// How the AWS CLI prints sizes and dates.
enum S3Formatting {
    /// `aws s3 ls --human-readable`: `8 Bytes`, `1 Byte`, `1.5 KiB`, `12.0 MiB`.
    static func humanSize(_ bytes: Int64) -> String {
        if bytes == 1 { return "1 Byte" }
        if bytes < 1024 { return "\(bytes) Bytes" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: "%.1f %@", value, units[unit])
    }

    /// `aws s3 ls` prints local time: `2026-11-22 01:33:04`.
    static func listingDate(_ date: Date) -> String { AWSCoding.format(date, "yyyy-MM-dd HH:mm:ss", timeZone: .current) }

    /// `aws s3api` JSON timestamps: `2026-11-22T01:33:04+00:00`.
    static func isoDate(_ date: Date) -> String { AWSCoding.format(date, "yyyy-MM-dd'T'HH:mm:ss'+00:00'") }
}

/// The AWS CLI's `--exclude`/`--include` filters: every pattern is tried in order and the last
/// one that matches decides; `*` matches any characters, including `/`.
struct TransferFilter: Sendable {
    enum Rule: Sendable { case exclude(String), include(String) }
    var rules: [Rule] = []

    /// Rebuilds the order in which the options were typed.
    init(words: [String]) {
        var index = 0
        while index < words.count - 1 {
            if words[index] == "--exclude" { rules.append(.exclude(words[index + 1])) }
            if words[index] == "--include" { rules.append(.include(words[index + 1])) }
            index += 1
        }
        for word in words {
            if word.hasPrefix("--exclude=") { rules.append(.exclude(String(word.dropFirst(10)))) }
            if word.hasPrefix("--include=") { rules.append(.include(String(word.dropFirst(10)))) }
        }
    }

    init(rules: [Rule]) { self.rules = rules }

    /// Whether a path relative to the source root is transferred.
    func allows(_ relativePath: String) -> Bool {
        var allowed = true
        for rule in rules {
            switch rule {
            case .exclude(let pattern): if Glob.matches(pattern, relativePath) { allowed = false }
            case .include(let pattern): if Glob.matches(pattern, relativePath) { allowed = true }
            }
        }
        return allowed
    }
}

/// fnmatch without FNM_PATHNAME, as Python's fnmatch that the AWS CLI uses: `*`, `?`, `[abc]`, `[!a]`.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(Array(pattern), 0, Array(text), 0)
    }

    private static func matches(_ p: [Character], _ pi: Int, _ t: [Character], _ ti: Int) -> Bool {
        var pi = pi, ti = ti
        while pi < p.count {
            switch p[pi] {
            case "*":
                for start in ti...t.count where matches(p, pi + 1, t, start) { return true }
                return false
            case "?":
                guard ti < t.count else { return false }
            case "[":
                guard ti < t.count, let close = p[(pi + 1)...].firstIndex(of: "]") else {
                    if ti < t.count, t[ti] == "[" { break }
                    return false
                }
                var set = Array(p[(pi + 1)..<close])
                let negated = set.first == "!"
                if negated { set.removeFirst() }
                var found = false
                var index = 0
                while index < set.count {
                    if index + 2 < set.count, set[index + 1] == "-" {
                        if set[index] <= t[ti] && t[ti] <= set[index + 2] { found = true }
                        index += 3
                    } else {
                        if set[index] == t[ti] { found = true }
                        index += 1
                    }
                }
                guard found != negated else { return false }
                pi = close
            default:
                guard ti < t.count, p[pi] == t[ti] else { return false }
            }
            pi += 1
            ti += 1
        }
        return ti == t.count
    }
}
