import Foundation

/// Splits a command line into words the way a POSIX shell does, without expansion.
///
/// - Single quotes keep everything literally.
/// - Double quotes keep everything except `\"`, `\\`, `\$` and `` \` ``, which drop the backslash.
/// - Outside quotes a backslash makes the next character literal.
/// - `#` at the start of a word begins a comment that runs to the end of the line.
///
/// So JSON can be typed as `--body '{"a": 1}'`.
public enum Tokenizer {
    public struct UnterminatedQuote: Error, Equatable, CustomStringConvertible {
        public let quote: Character
        public var description: String {
            let name = quote == "'" ? "single" : "double"
            return "unterminated \(name) quote (\(quote)): close it, or escape it with a backslash"
        }
    }

    /// Where the end of a partial line stands: used by completion.
    public enum OpenQuote: Equatable, Sendable { case none, single, double }

    /// The words of a complete line.
    /// - Throws: `UnterminatedQuote` when a quote is left open.
    public static func split(_ line: String) throws -> [String] {
        let scan = scan(line)
        switch scan.openQuote {
        case .none: return scan.words
        case .single: throw UnterminatedQuote(quote: "'")
        case .double: throw UnterminatedQuote(quote: "\"")
        }
    }

    /// The words of a possibly unfinished line, and whether the last word is still open (the line
    /// does not end in unquoted white space), for Tab completion.
    public static func scan(_ line: String) -> (words: [String], lastWordOpen: Bool, openQuote: OpenQuote) {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote = OpenQuote.none
        var iterator = Array(line).makeIterator()
        while let character = iterator.next() {
            switch quote {
            case .single:
                if character == "'" { quote = .none } else { current.append(character) }
            case .double:
                if character == "\"" {
                    quote = .none
                } else if character == "\\" {
                    guard let next = iterator.next() else { current.append("\\"); continue }
                    if "\"\\$`".contains(next) { current.append(next) } else { current.append("\\"); current.append(next) }
                } else {
                    current.append(character)
                }
            case .none:
                if character == " " || character == "\t" || character == "\n" {
                    if inWord { words.append(current); current = ""; inWord = false }
                } else if character == "#" && !inWord {
                    return (words, false, .none)
                } else if character == "'" {
                    inWord = true; quote = .single
                } else if character == "\"" {
                    inWord = true; quote = .double
                } else if character == "\\" {
                    inWord = true
                    if let next = iterator.next() { current.append(next) }
                } else {
                    inWord = true; current.append(character)
                }
            }
        }
        if inWord { words.append(current) }
        return (words, inWord, quote)
    }

    /// Whether a line asks to continue on the next one: it ends in an unescaped backslash
    /// outside quotes, as in a POSIX shell. Returns the line without that backslash.
    public static func continuation(_ line: String) -> String? {
        guard line.hasSuffix("\\") else { return nil }
        let trailing = line.reversed().prefix { $0 == "\\" }.count
        guard trailing % 2 == 1, scan(String(line.dropLast())).openQuote == .none else { return nil }
        return String(line.dropLast())
    }

    /// Quotes one word so that `split` gives it back unchanged.
    public static func quote(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+")
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Joins words into a line that splits back into the same words.
    public static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
