import Foundation
import InferLabEngine
import Yams

/// `--output yaml` and `yaml-stream`, as the AWS CLI v2 prints them (v1 has neither): a safe
/// YAML dump in block style, keys sorted, strings quoted where plain text would read as another
/// type (`'2026-01-01T00:00:00+00:00'`, `'true'`, `'123'`), non-ASCII text kept as is.
/// `yaml-stream` writes a list command's answer as a list of pages (the kit answers in one page).
enum YAMLFormatter {
    static func format(_ value: JSONValue, stream: Bool = false, paginated: Bool = false) -> String {
        let root = stream && paginated ? JSONValue.array([value]) : value
        let text = (try? Yams.serialize(node: node(root), allowUnicode: true)) ?? root.rendered() + "\n"
        // A plain scalar alone is an open-ended document: YAML dumpers close it with `...`.
        switch root {
        case .array, .object: return text
        default: return text.hasPrefix("'") || text.hasPrefix("\"") ? text : text + "...\n"
        }
    }

    private static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool))
        case .int(let number): return Node(String(number), Tag(.int))
        case .double(let number): return Node(float(number), Tag(.float))
        case .string(let text):
            return .scalar(Node.Scalar(text, Tag(.str), readsAsAnotherType(text) ? .singleQuoted : .any))
        case .array(let items): return .sequence(Node.Sequence(items.map(node)))
        case .object(let members):
            let sorted = PythonValue.dictionaryPreservingOrder(members).sorted { codePointOrder($0.0, $1.0) }
            return .mapping(Node.Mapping(sorted.map { (Node($0.0, Tag(.str), readsAsAnotherType($0.0) ? .singleQuoted : .any), node($0.1)) }))
        }
    }

    /// PyYAML's float representer: `repr`, lower case, `1.0e-05` rather than `1e-05`.
    private static func float(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
        var text = PythonText.float(number).lowercased()
        if !text.contains("."), let e = text.firstIndex(of: "e") { text.insert(contentsOf: ".0", at: e) }
        return text
    }

    /// The YAML 1.1 implicit types of a safe loader: a string that would load back as one of
    /// them must be quoted.
    private static let implicitTypes: [NSRegularExpression] = [
        "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
        "^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
        "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$",
        "^(?:~|null|Null|NULL|)$",
        "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        "^(?:<<|=)$",
    ].map { try! NSRegularExpression(pattern: $0) }

    static func readsAsAnotherType(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return implicitTypes.contains { $0.firstMatch(in: text, range: range) != nil }
    }
}
