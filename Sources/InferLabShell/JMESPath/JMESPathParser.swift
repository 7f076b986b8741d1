import InferLabEngine

/// A parsed JMESPath expression: jmespath's AST node types.
indirect enum JMESPathNode: Sendable {
    case identity
    case current
    case field(String)
    case literal(JSONValue)
    case subexpression([JMESPathNode])
    case indexExpression([JMESPathNode])
    case index(Int)
    case slice(Int?, Int?, Int?)
    case projection(JMESPathNode, JMESPathNode)
    case valueProjection(JMESPathNode, JMESPathNode)
    case filterProjection(JMESPathNode, JMESPathNode, condition: JMESPathNode)
    case flatten(JMESPathNode)
    case comparator(JMESPathToken.Kind, JMESPathNode, JMESPathNode)
    case or(JMESPathNode, JMESPathNode)
    case and(JMESPathNode, JMESPathNode)
    case not(JMESPathNode)
    case pipe(JMESPathNode, JMESPathNode)
    case multiSelectList([JMESPathNode])
    case multiSelectHash([(String, JMESPathNode)])
    case function(String, [JMESPathNode])
    case expref(JMESPathNode)
}

/// A top-down operator precedence (Pratt) parser, a transcription of jmespath's `Parser` so that
/// what it accepts, refuses and how it groups are the same.
struct JMESPathParser {
    private var tokens: [JMESPathToken]
    private var index = 0
    private let expression: String
    private static let projectionStop = 10

    static func parse(_ expression: String) throws -> JMESPathNode {
        var lexer = JMESPathLexer(expression)
        var parser = JMESPathParser(tokens: try lexer.tokenize(), expression: expression)
        let node = try parser.expression(0)
        guard parser.currentKind == .eof else {
            let token = parser.tokens[parser.index]
            throw parser.error(token, "Unexpected token: \(token.text)")
        }
        return node
    }

    private init(tokens: [JMESPathToken], expression: String) {
        self.tokens = tokens
        self.expression = expression
    }

    private var currentKind: JMESPathToken.Kind { tokens[index].kind }
    private func lookahead(_ offset: Int) -> JMESPathToken.Kind {
        index + offset < tokens.count ? tokens[index + offset].kind : .eof
    }

    private mutating func expression(_ bindingPower: Int) throws -> JMESPathNode {
        let token = tokens[index]
        index += 1
        var left = try nud(token)
        while bindingPower < currentKind.bindingPower {
            let kind = currentKind
            index += 1
            left = try led(kind, left)
        }
        return left
    }

    private mutating func nud(_ token: JMESPathToken) throws -> JMESPathNode {
        switch token.kind {
        case .literal: return .literal(token.value)
        case .unquotedIdentifier: return .field(token.text)
        case .quotedIdentifier:
            if currentKind == .lparen {
                throw JMESPathError.parse("Quoted identifier not allowed for function names.", at: 0, token: tokens[index], expression: expression)
            }
            guard case .string(let name) = token.value else { return .field(token.text) }
            return .field(name)
        case .star:
            let right: JMESPathNode = currentKind == .rbracket ? .identity : try projectionRHS(JMESPathToken.Kind.star.bindingPower)
            return .valueProjection(.identity, right)
        case .filter:
            return try filter(.identity)
        case .lbrace:
            return try multiSelectHash()
        case .lparen:
            let inner = try expression(0)
            try match(.rparen)
            return inner
        case .flatten:
            return .projection(.flatten(.identity), try projectionRHS(JMESPathToken.Kind.flatten.bindingPower))
        case .not:
            return .not(try expression(JMESPathToken.Kind.not.bindingPower))
        case .lbracket:
            if currentKind == .number || currentKind == .colon {
                return try projectIfSlice(.identity, try indexExpression())
            }
            if currentKind == .star && lookahead(1) == .rbracket {
                index += 2
                return .projection(.identity, try projectionRHS(JMESPathToken.Kind.star.bindingPower))
            }
            return try multiSelectList()
        case .current:
            return .current
        case .expref:
            return .expref(try expression(JMESPathToken.Kind.expref.bindingPower))
        case .eof:
            throw JMESPathError.incomplete(expression)
        default:
            throw error(token, "invalid token")
        }
    }

    private mutating func led(_ kind: JMESPathToken.Kind, _ left: JMESPathNode) throws -> JMESPathNode {
        switch kind {
        case .dot:
            if currentKind == .star {
                index += 1
                return .valueProjection(left, try projectionRHS(JMESPathToken.Kind.dot.bindingPower))
            }
            let right = try dotRHS(JMESPathToken.Kind.dot.bindingPower)
            if case .subexpression(let children) = left { return .subexpression(children + [right]) }
            return .subexpression([left, right])
        case .pipe: return .pipe(left, try expression(kind.bindingPower))
        case .or: return .or(left, try expression(kind.bindingPower))
        case .and: return .and(left, try expression(kind.bindingPower))
        case .lparen:
            guard case .field(let name) = left else {
                let previous = tokens[index - 2]
                throw error(previous, "Invalid function name '\(previous.text)'")
            }
            var arguments: [JMESPathNode] = []
            while currentKind != .rparen {
                arguments.append(try expression(0))
                if currentKind == .comma { try match(.comma) }
            }
            try match(.rparen)
            return .function(name, arguments)
        case .filter:
            return try filter(left)
        case .eq, .ne, .gt, .gte, .lt, .lte:
            return .comparator(kind, left, try expression(kind.bindingPower))
        case .flatten:
            return .projection(.flatten(left), try projectionRHS(kind.bindingPower))
        case .lbracket:
            if currentKind == .number || currentKind == .colon {
                let right = try indexExpression()
                if case .indexExpression(let children) = left { return .indexExpression(children + [right]) }
                return try projectIfSlice(left, right)
            }
            try match(.star)
            try match(.rbracket)
            return .projection(left, try projectionRHS(JMESPathToken.Kind.star.bindingPower))
        default:
            throw error(tokens[index - 1], "invalid token")
        }
    }

    private mutating func filter(_ left: JMESPathNode) throws -> JMESPathNode {
        let condition = try expression(0)
        try match(.rbracket)
        let right: JMESPathNode = currentKind == .flatten ? .identity : try projectionRHS(JMESPathToken.Kind.filter.bindingPower)
        return .filterProjection(left, right, condition: condition)
    }

    private mutating func indexExpression() throws -> JMESPathNode {
        if lookahead(0) == .colon || lookahead(1) == .colon { return try sliceExpression() }
        guard case .int(let number) = tokens[index].value else { throw error(tokens[index], "syntax error") }
        index += 1
        try match(.rbracket)
        return .index(Int(number))
    }

    private mutating func sliceExpression() throws -> JMESPathNode {
        var parts: [Int?] = [nil, nil, nil]
        var position = 0
        while currentKind != .rbracket && position < 3 {
            if currentKind == .colon {
                position += 1
                if position == 3 { throw error(tokens[index], "syntax error") }
                index += 1
            } else if currentKind == .number, case .int(let number) = tokens[index].value {
                parts[position] = Int(number)
                index += 1
            } else {
                throw error(tokens[index], "syntax error")
            }
        }
        try match(.rbracket)
        return .slice(parts[0], parts[1], parts[2])
    }

    private mutating func projectIfSlice(_ left: JMESPathNode, _ right: JMESPathNode) throws -> JMESPathNode {
        let indexed = JMESPathNode.indexExpression([left, right])
        if case .slice = right { return .projection(indexed, try projectionRHS(JMESPathToken.Kind.star.bindingPower)) }
        return indexed
    }

    private mutating func multiSelectList() throws -> JMESPathNode {
        var expressions: [JMESPathNode] = []
        while true {
            expressions.append(try expression(0))
            if currentKind == .rbracket { break }
            try match(.comma)
        }
        try match(.rbracket)
        return .multiSelectList(expressions)
    }

    private mutating func multiSelectHash() throws -> JMESPathNode {
        var pairs: [(String, JMESPathNode)] = []
        while true {
            let key = tokens[index]
            try match(any: [.quotedIdentifier, .unquotedIdentifier])
            try match(.colon)
            let value = try expression(0)
            if case .string(let name) = key.value { pairs.append((name, value)) } else { pairs.append((key.text, value)) }
            if currentKind == .comma {
                try match(.comma)
            } else if currentKind == .rbrace {
                try match(.rbrace)
                break
            }
        }
        return .multiSelectHash(pairs)
    }

    private mutating func projectionRHS(_ bindingPower: Int) throws -> JMESPathNode {
        if currentKind.bindingPower < Self.projectionStop { return .identity }
        switch currentKind {
        case .lbracket, .filter: return try expression(bindingPower)
        case .dot:
            try match(.dot)
            return try dotRHS(bindingPower)
        default: throw error(tokens[index], "syntax error")
        }
    }

    private mutating func dotRHS(_ bindingPower: Int) throws -> JMESPathNode {
        switch currentKind {
        case .quotedIdentifier, .unquotedIdentifier, .star: return try expression(bindingPower)
        case .lbracket:
            try match(.lbracket)
            return try multiSelectList()
        case .lbrace:
            try match(.lbrace)
            return try multiSelectHash()
        default:
            throw error(tokens[index], "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: \(currentKind.name)")
        }
    }

    private mutating func match(_ kind: JMESPathToken.Kind) throws {
        guard currentKind == kind else { throw mismatch("\(kind.name)") }
        index += 1
    }

    private mutating func match(any kinds: [JMESPathToken.Kind]) throws {
        guard kinds.contains(currentKind) else { throw mismatch("[" + kinds.map { "'\($0.name)'" }.joined(separator: ", ") + "]") }
        index += 1
    }

    private func mismatch(_ expected: String) -> JMESPathError {
        let token = tokens[index]
        if token.kind == .eof { return .incomplete(expression) }
        return error(token, "Expecting: \(expected), got: \(token.kind.name)")
    }

    private func error(_ token: JMESPathToken, _ message: String) -> JMESPathError {
        .parse(message, at: token.position, token: token, expression: expression)
    }
}
