import Foundation
import InferLabEngine

/// A token of a JMESPath expression. `position` counts Unicode scalars, as Python counts
/// characters, so error carets line up with jmespath's.
struct JMESPathToken {
    enum Kind: String {
        case dot, star, rbracket, comma, colon, current, lparen, rparen, lbrace, rbrace
        case unquotedIdentifier = "unquoted_identifier", quotedIdentifier = "quoted_identifier"
        case flatten, filter, lbracket, literal, number
        case pipe, or, and, expref, not
        case lt, lte, gt, gte, eq, ne
        case eof

        var name: String { rawValue }

        /// The Pratt parser's binding power, jmespath's table.
        var bindingPower: Int {
            switch self {
            case .pipe: 1
            case .or: 2
            case .and: 3
            case .eq, .gt, .lt, .gte, .lte, .ne: 5
            case .flatten: 9
            case .star: 20
            case .filter: 21
            case .dot: 40
            case .not: 45
            case .lbrace: 50
            case .lbracket: 55
            case .lparen: 60
            default: 0
            }
        }
    }

    var kind: Kind
    /// The token's text as jmespath reports it in errors.
    var text: String
    var position: Int
    /// The identifier's name, the literal's value or the number.
    var value: JSONValue = .null
}

/// Splits an expression into tokens, as jmespath's `Lexer` does (same token kinds, same
/// acceptance, including the deprecated `` `foo` `` string literal).
struct JMESPathLexer {
    private let characters: [Unicode.Scalar]
    private let expression: String
    private var index = 0

    init(_ expression: String) {
        self.expression = expression
        self.characters = Array(expression.unicodeScalars)
    }

    private static let simple: [Unicode.Scalar: JMESPathToken.Kind] = [
        ".": .dot, "*": .star, "]": .rbracket, ",": .comma, ":": .colon, "@": .current,
        "(": .lparen, ")": .rparen, "{": .lbrace, "}": .rbrace,
    ]

    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || isDigit(c) }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private var current: Unicode.Scalar? { index < characters.count ? characters[index] : nil }

    mutating func tokenize() throws -> [JMESPathToken] {
        guard !characters.isEmpty else {
            throw JMESPathError(.syntax, "Invalid JMESPath expression: cannot be empty.")
        }
        var tokens: [JMESPathToken] = []
        while let c = current {
            let start = index
            if let kind = Self.simple[c] {
                index += 1
                tokens.append(JMESPathToken(kind: kind, text: String(c), position: start))
            } else if Self.isIdentifierStart(c) {
                while let next = current, Self.isIdentifierPart(next) { index += 1 }
                let name = text(start, index)
                tokens.append(JMESPathToken(kind: .unquotedIdentifier, text: name, position: start, value: .string(name)))
            } else if c == " " || c == "\t" || c == "\n" || c == "\r" {
                index += 1
            } else if c == "[" {
                index += 1
                if current == "]" {
                    index += 1
                    tokens.append(JMESPathToken(kind: .flatten, text: "[]", position: start))
                } else if current == "?" {
                    index += 1
                    tokens.append(JMESPathToken(kind: .filter, text: "[?", position: start))
                } else {
                    tokens.append(JMESPathToken(kind: .lbracket, text: "[", position: start))
                }
            } else if c == "'" {
                let raw = try consume(until: "'").replacingOccurrences(of: "\\'", with: "'")
                tokens.append(JMESPathToken(kind: .literal, text: raw, position: start, value: .string(raw)))
            } else if c == "|" {
                tokens.append(matchOrElse("|", .or, .pipe))
            } else if c == "&" {
                tokens.append(matchOrElse("&", .and, .expref))
            } else if c == "`" {
                tokens.append(try literal())
            } else if Self.isDigit(c) || c == "-" {
                index += 1
                while let next = current, Self.isDigit(next) { index += 1 }
                let digits = text(start, index)
                guard digits != "-" else {
                    throw JMESPathError.lexer("Unknown token '-'", at: start, expression: expression)
                }
                let number: JSONValue = Int64(digits).map { .int($0) } ?? .double(Double(digits) ?? 0)
                tokens.append(JMESPathToken(kind: .number, text: digits, position: start, value: number))
            } else if c == "\"" {
                let body = try consume(until: "\"")
                let lexeme = "\"" + body + "\""
                guard let name = try? JSONValue.parse(lexeme), case .string = name else {
                    throw JMESPathError.lexer("Invalid \\escape", at: start, expression: expression)
                }
                tokens.append(JMESPathToken(kind: .quotedIdentifier, text: body, position: start, value: name))
            } else if c == "<" {
                tokens.append(matchOrElse("=", .lte, .lt))
            } else if c == ">" {
                tokens.append(matchOrElse("=", .gte, .gt))
            } else if c == "!" {
                tokens.append(matchOrElse("=", .ne, .not))
            } else if c == "=" {
                index += 1
                guard current == "=" else {
                    throw JMESPathError.lexer("Unknown token '='", at: current == nil ? start : index - 1, expression: expression)
                }
                index += 1
                tokens.append(JMESPathToken(kind: .eq, text: "==", position: start))
            } else {
                throw JMESPathError.lexer("Unknown token \(c)", at: start, expression: expression)
            }
        }
        tokens.append(JMESPathToken(kind: .eof, text: "", position: characters.count))
        return tokens
    }

    private func text(_ start: Int, _ end: Int) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: characters[start..<end])
        return String(result)
    }

    private mutating func matchOrElse(_ expected: Unicode.Scalar, _ match: JMESPathToken.Kind, _ other: JMESPathToken.Kind) -> JMESPathToken {
        let start = index
        let first = characters[index]
        index += 1
        if current == expected {
            index += 1
            return JMESPathToken(kind: match, text: String(first) + String(expected), position: start)
        }
        return JMESPathToken(kind: other, text: String(first), position: start)
    }

    /// The text up to an unescaped delimiter, backslashes kept (jmespath's `_consume_until`).
    private mutating func consume(until delimiter: Unicode.Scalar) throws -> String {
        let start = index
        var buffer = String.UnicodeScalarView()
        index += 1
        while current != delimiter {
            if current == "\\" {
                buffer.append("\\")
                index += 1
            }
            guard let c = current else {
                throw JMESPathError.lexer("Unclosed \(delimiter) delimiter", at: start, expression: expression)
            }
            buffer.append(c)
            index += 1
        }
        index += 1
        return String(buffer)
    }

    /// `` `JSON` ``; text that is not JSON is taken as a string, as jmespath still does (JEP-12).
    private mutating func literal() throws -> JMESPathToken {
        let start = index
        let lexeme = try consume(until: "`").replacingOccurrences(of: "\\`", with: "`")
        if let value = try? PythonJSON.loads(lexeme) {
            return JMESPathToken(kind: .literal, text: lexeme, position: start, value: value)
        }
        let trimmed = String(lexeme.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        if let value = try? PythonJSON.loads("\"" + trimmed + "\"") {
            return JMESPathToken(kind: .literal, text: lexeme, position: start, value: value)
        }
        throw JMESPathError.lexer("Bad token \(lexeme)", at: start, expression: expression)
    }
}
