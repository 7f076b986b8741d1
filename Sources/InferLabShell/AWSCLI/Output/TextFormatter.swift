import InferLabEngine

/// `--output text`, as awscli/text.py writes it: scalars of an object on one tab-separated line
/// in key order, each nested list or object on lines of its own, prefixed by its key in
/// capitals.
enum TextFormatter {
    static func format(_ value: JSONValue) -> String {
        var out = ""
        write(value, identifier: nil, scalarKeys: nil, to: &out)
        return out
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: false
        default: true
        }
    }

    private static func write(_ item: JSONValue, identifier: String?, scalarKeys: [String]?, to out: inout String) {
        switch item {
        case .object(let members): writeObject(PythonValue.dictionaryPreservingOrder(members), identifier: identifier, scalarKeys: scalarKeys, to: &out)
        case .array(let items): writeList(items, identifier: identifier, to: &out)
        default: out += PythonText.str(item) + "\n"
        }
    }

    private static func writeList(_ items: [JSONValue], identifier: String?, to out: inout String) {
        guard !items.isEmpty else { return }
        if items.contains(where: { if case .object = $0 { true } else { false } }) {
            let keys = allScalarKeys(items)
            for element in items { write(element, identifier: identifier, scalarKeys: keys, to: &out) }
        } else if items.contains(where: { if case .array = $0 { true } else { false } }) {
            let scalars = items.filter(isScalar), others = items.filter { !isScalar($0) }
            if !scalars.isEmpty { writeScalarList(scalars, identifier: identifier, to: &out) }
            for other in others { write(other, identifier: identifier, scalarKeys: nil, to: &out) }
        } else {
            writeScalarList(items, identifier: identifier, to: &out)
        }
    }

    private static func writeScalarList(_ items: [JSONValue], identifier: String?, to out: inout String) {
        if let identifier {
            for item in items { out += identifier.uppercased() + "\t" + PythonText.str(item) + "\n" }
        } else {
            out += items.map(PythonText.str).joined(separator: "\t") + "\n"
        }
    }

    private static func writeObject(_ members: [(String, JSONValue)], identifier: String?, scalarKeys: [String]?, to out: inout String) {
        var scalars: [String] = []
        var nested: [(String, JSONValue)] = []
        if let scalarKeys {
            let lookup = PythonValue.dictionary(members)
            for key in scalarKeys { scalars.append(lookup[key].map(PythonText.str) ?? "") }
            let remaining = Set(members.map(\.0)).subtracting(scalarKeys)
            for key in remaining.sorted(by: codePointOrder) { nested.append((key, lookup[key]!)) }
        } else {
            for (key, value) in members.sorted(by: { codePointOrder($0.0, $1.0) }) {
                if isScalar(value) { scalars.append(PythonText.str(value)) } else { nested.append((key, value)) }
            }
        }
        if !scalars.isEmpty {
            if let identifier { scalars.insert(identifier.uppercased(), at: 0) }
            out += scalars.joined(separator: "\t") + "\n"
        }
        for (key, value) in nested { write(value, identifier: key, scalarKeys: nil, to: &out) }
    }

    private static func allScalarKeys(_ items: [JSONValue]) -> [String] {
        var keys = Set<String>()
        for case .object(let members) in items {
            for (key, value) in members where isScalar(value) { keys.insert(key) }
        }
        return keys.sorted(by: codePointOrder)
    }
}

/// Python's ordering of strings (by code point), which the CLI's formatters sort keys by.
func codePointOrder(_ a: String, _ b: String) -> Bool { PythonValue.compareCodePoints(a, b) < 0 }
