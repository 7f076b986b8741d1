import InferLabEngine

/// Evaluates a parsed expression (jmespath's `TreeInterpreter`).
struct JMESPathInterpreter {
    func visit(_ node: JMESPathNode, _ value: JSONValue) throws -> JSONValue {
        switch node {
        case .identity, .current:
            return value
        case .field(let name):
            return value[name] ?? .null
        case .literal(let literal):
            return literal
        case .subexpression(let children), .indexExpression(let children):
            var result = value
            for child in children { result = try visit(child, result) }
            return result
        case .index(let position):
            guard case .array(let items) = value else { return .null }
            let actual = position < 0 ? items.count + position : position
            return actual >= 0 && actual < items.count ? items[actual] : .null
        case .slice(let start, let stop, let step):
            guard case .array(let items) = value else { return .null }
            return .array(try Self.slice(items, start, stop, step))
        case .projection(let left, let right):
            guard case .array(let items) = try visit(left, value) else { return .null }
            return .array(try items.compactMap { try nonNull(visit(right, $0)) })
        case .valueProjection(let left, let right):
            guard case .object(let members) = try visit(left, value) else { return .null }
            return .array(try Self.uniqueValues(members).compactMap { try nonNull(visit(right, $0)) })
        case .filterProjection(let left, let right, let condition):
            guard case .array(let items) = try visit(left, value) else { return .null }
            var collected: [JSONValue] = []
            for item in items where Self.isTrue(try visit(condition, item)) {
                if let kept = nonNull(try visit(right, item)) { collected.append(kept) }
            }
            return .array(collected)
        case .flatten(let inner):
            guard case .array(let items) = try visit(inner, value) else { return .null }
            return .array(items.flatMap { item -> [JSONValue] in
                if case .array(let nested) = item { return nested }
                return [item]
            })
        case .comparator(let kind, let leftNode, let rightNode):
            let left = try visit(leftNode, value), right = try visit(rightNode, value)
            return Self.compare(kind, left, right)
        case .or(let leftNode, let rightNode):
            let left = try visit(leftNode, value)
            return Self.isTrue(left) ? left : try visit(rightNode, value)
        case .and(let leftNode, let rightNode):
            let left = try visit(leftNode, value)
            return Self.isTrue(left) ? try visit(rightNode, value) : left
        case .not(let inner):
            let result = try visit(inner, value)
            // Numbers are never false in JMESPath, zero included.
            if PythonValue.isActualNumber(result) { return .bool(false) }
            return .bool(!Self.isTrue(result))
        case .pipe(let left, let right):
            return try visit(right, visit(left, value))
        case .multiSelectList(let children):
            if value == .null { return .null }
            return .array(try children.map { try visit($0, value) })
        case .multiSelectHash(let pairs):
            if value == .null { return .null }
            var members: [(String, JSONValue)] = []
            for (key, child) in pairs {
                let result = try visit(child, value)
                if let existing = members.firstIndex(where: { $0.0 == key }) { members[existing].1 = result } else { members.append((key, result)) }
            }
            return .object(members)
        case .function(let name, let argumentNodes):
            var arguments: [JMESPathArgument] = []
            for argument in argumentNodes {
                if case .expref(let inner) = argument { arguments.append(.expref(inner)) } else { arguments.append(.value(try visit(argument, value))) }
            }
            return try JMESPathFunctions.call(name, arguments, interpreter: self)
        case .expref:
            // An expression reference outside a function's arguments has no JSON value.
            return .null
        }
    }

    private func nonNull(_ value: JSONValue) -> JSONValue? {
        if case .null = value { return nil }
        return value
    }

    /// An object's values, the last one of each repeated key (as a Python dict keeps it).
    static func uniqueValues(_ members: [(String, JSONValue)]) -> [JSONValue] {
        var seen = Set<String>()
        var values: [JSONValue] = []
        for (key, value) in members.reversed() where seen.insert(key).inserted { values.append(value) }
        return values.reversed()
    }

    /// false, null, "", [] and {} are false; everything else (0 included) is true.
    static func isTrue(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case .bool(let flag): flag
        case .string(let text): !text.isEmpty
        case .array(let items): !items.isEmpty
        case .object(let members): !members.isEmpty
        case .int, .double: true
        }
    }

    static func compare(_ kind: JMESPathToken.Kind, _ left: JSONValue, _ right: JSONValue) -> JSONValue {
        switch kind {
        case .eq: return .bool(PythonValue.jmespathEquals(left, right))
        case .ne: return .bool(!PythonValue.jmespathEquals(left, right))
        default:
            guard let order = PythonValue.order(left, right) else { return .null }
            switch kind {
            case .lt: return .bool(order < 0)
            case .lte: return .bool(order <= 0)
            case .gt: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }
    }

    /// Python's `list[start:stop:step]`.
    static func slice(_ items: [JSONValue], _ start: Int?, _ stop: Int?, _ step: Int?) throws -> [JSONValue] {
        let step = step ?? 1
        guard step != 0 else { throw JMESPathError(.invalidValue, "slice step cannot be zero") }
        let count = items.count
        func clamp(_ value: Int?, default fallback: Int) -> Int {
            guard var value else { return fallback }
            if value < 0 {
                value += count
                if value < 0 { value = step < 0 ? -1 : 0 }
            } else if value >= count {
                value = step < 0 ? count - 1 : count
            }
            return value
        }
        let begin = clamp(start, default: step < 0 ? count - 1 : 0)
        let end = clamp(stop, default: step < 0 ? -1 : count)
        var result: [JSONValue] = []
        var index = begin
        while step > 0 ? index < end : index > end {
            result.append(items[index])
            index += step
        }
        return result
    }
}

/// A function argument: a value, or an expression reference (`&expr`).
enum JMESPathArgument {
    case value(JSONValue)
    case expref(JMESPathNode)
}
