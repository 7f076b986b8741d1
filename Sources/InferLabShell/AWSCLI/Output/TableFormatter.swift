import InferLabEngine

/// `--output table`, as awscli's TableFormatter (formatter.py) builds it and MultiTable
/// (table.py) draws it: the operation's name as the title, one section per nested object or
/// list, scalar keys as sorted column headers, and columns scaled to the widest section.
struct TableFormatter {
    /// The terminal's width: a table wider than this is turned into key–value rows.
    var terminalWidth = 80
    /// The CLI's ColorizedStyler (values bright blue, indentation dim yellow).
    var colorized = false

    func format(_ value: JSONValue, title: String?) -> String {
        var table = MultiTable(terminalWidth: terminalWidth, colorized: colorized)
        guard build(&table, title: title, value, indent: 0) else { return "" }
        return table.render()
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: false
        default: true
        }
    }

    /// Python's truth value: null, false, 0, "", [] and {} are empty.
    private static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .bool(let flag): !flag
        case .int(let number): number == 0
        case .double(let number): number == 0
        case .string(let text): text.isEmpty
        case .array(let items): items.isEmpty
        case .object(let members): members.isEmpty
        }
    }

    @discardableResult
    private func build(_ table: inout MultiTable, title: String?, _ current: JSONValue, indent: Int) -> Bool {
        if Self.isEmpty(current) { return false }
        if let title { table.newSection(title, indent: indent) }
        if case .array(let items) = current {
            if case .object = items[0] {
                buildFromList(&table, items, indent: indent, title: title)
            } else {
                for item in items {
                    if Self.isScalar(item) {
                        table.addRow([item])
                    } else if case .array(let row) = item, row.allSatisfy(Self.isScalar) {
                        table.addRow(row)
                    } else if case .object(let members) = item {
                        // Python iterates a dict's keys: a row of the keys.
                        table.addRow(PythonValue.dictionaryPreservingOrder(members).map { .string($0.0) })
                    } else {
                        build(&table, title: nil, item, indent: 0)
                    }
                }
            }
        }
        if case .object(let members) = current {
            buildFromObject(&table, PythonValue.dictionaryPreservingOrder(members), indent: indent)
        }
        return true
    }

    private func buildFromObject(_ table: inout MultiTable, _ members: [(String, JSONValue)], indent: Int) {
        let (headers, more) = Self.groupScalarKeys(members)
        let lookup = PythonValue.dictionary(members)
        if headers.count == 1 {
            table.addRow([.string(headers[0]), lookup[headers[0]]!])
        } else if !headers.isEmpty {
            table.addHeader(headers)
            table.addRow(headers.map { lookup[$0]! })
        }
        for key in more { build(&table, title: key, lookup[key]!, indent: indent + 1) }
    }

    private func buildFromList(_ table: inout MultiTable, _ items: [JSONValue], indent: Int, title: String?) {
        var headerSet = Set<String>(), moreSet = Set<String>()
        for case .object(let members) in items {
            let (headers, more) = Self.groupScalarKeys(PythonValue.dictionaryPreservingOrder(members))
            headerSet.formUnion(headers)
            moreSet.formUnion(more)
        }
        let headers = headerSet.sorted(by: codePointOrder), more = moreSet.sorted(by: codePointOrder)
        table.addHeader(headers)
        var first = true
        for element in items {
            guard case .object(let members) = element else { continue }
            if !first && !more.isEmpty {
                table.newSection(title ?? "", indent: indent)
                table.addHeader(headers)
            }
            first = false
            let lookup = PythonValue.dictionary(members)
            table.addRow(headers.map { lookup[$0] ?? .string("") })
            for key in more {
                if let value = lookup[key] { build(&table, title: key, value, indent: indent + 1) }
            }
        }
    }

    private static func groupScalarKeys(_ members: [(String, JSONValue)]) -> ([String], [String]) {
        var headers: [String] = [], more: [String] = []
        for (key, value) in members {
            if isScalar(value) { headers.append(key) } else { more.append(key) }
        }
        return (headers.sorted(by: codePointOrder), more.sorted(by: codePointOrder))
    }
}
