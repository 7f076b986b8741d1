import InferLabEngine

/// A shape of AWS's service models (botocore's service-2.json): its type, members and the
/// constraints the model declares. The shell's request shapes are generated from those models
/// (Generated/AWSModels.swift, `make shapes`); nothing here is written per operation by hand.
public struct APIShape: Sendable {
    public indirect enum Kind: Sendable {
        case string, integer, long, double, float, boolean, timestamp
        case blob(streaming: Bool)
        case structure([APIMember])
        case list(APIShape)
        case map(key: APIShape, value: APIShape)
        /// A document type, or a member the kit leaves out: any JSON, not checked.
        case document
    }

    /// The model's name: `TransformResources`.
    public var name: String
    public var kind: Kind
    /// Minimum length (strings, lists) or value (numbers), as botocore checks before sending.
    public var min: Int64?
    /// Maximum length or value; the service checks it, not the client.
    public var max: Int64?
    public var pattern: String?
    public var enumValues: [String]

    public init(name: String, _ kind: Kind, min: Int64? = nil, max: Int64? = nil, pattern: String? = nil, enumValues: [String] = []) {
        self.name = name
        self.kind = kind
        self.min = min
        self.max = max
        self.pattern = pattern
        self.enumValues = enumValues
    }

    /// botocore's type name: `structure`, `list`, `integer`, …
    public var typeName: String {
        switch kind {
        case .string: "string"
        case .integer: "integer"
        case .long: "long"
        case .double: "double"
        case .float: "float"
        case .boolean: "boolean"
        case .timestamp: "timestamp"
        case .blob: "blob"
        case .structure: "structure"
        case .list: "list"
        case .map: "map"
        case .document: "document"
        }
    }

    public var members: [APIMember] {
        if case .structure(let members) = kind { return members }
        return []
    }

    public func member(_ name: String) -> APIMember? { members.first { $0.name == name } }

    var isScalar: Bool {
        switch kind {
        case .structure, .list, .map, .document: false
        default: true
        }
    }

    /// awscli's `_supports_shorthand_syntax`: structures and maps, and lists of those.
    var supportsShorthand: Bool {
        switch kind {
        case .structure, .map: true
        case .list(let element):
            switch element.kind {
            case .structure, .list, .map: true
            default: false
            }
        default: false
        }
    }

    /// `Image=string,ModelDataUrl=string,Environment={KeyName1=string,KeyName2=string}`, as the
    /// AWS CLI's help writes the shorthand (awscli's ParamShorthandDocGen), or nil where it
    /// writes none: shapes nested more than three deep.
    public var shorthandSyntax: String? {
        var stack: [String] = []
        if case .list(let element) = kind { return element.shorthandDocs(&stack).map { $0 + " ..." } }
        return shorthandDocs(&stack)
    }

    private func shorthandDocs(_ stack: inout [String]) -> String? {
        guard stack.count <= 3 else { return nil }
        switch kind {
        case .structure(let members):
            var parts: [String] = []
            for member in members where !member.shape.isUnchecked {
                if case .document = member.shape.kind { continue }
                if stack.contains(member.shape.name) { parts.append("\(member.name)=( ... recursive ... )"); continue }
                stack.append(member.shape.name)
                defer { stack.removeLast() }
                guard let docs = member.shape.shorthandDocs(&stack) else { return nil }
                parts.append("\(member.name)=\(docs)")
            }
            let inner = parts.joined(separator: ",")
            return stack.isEmpty ? inner : "{\(inner)}"
        case .list(let element):
            stack.append(element.name)
            let docs = element.shorthandDocs(&stack)
            stack.removeLast()
            guard let docs else { return nil }
            return element.isScalar && stack.count <= 1 ? "\(docs),\(docs)" : "[\(docs),\(docs)]"
        case .map(_, let value):
            stack.append(value.name)
            let docs = value.shorthandDocs(&stack)
            stack.removeLast()
            guard let docs else { return nil }
            let start = "KeyName1=\(docs),KeyName2=\(docs)"
            return stack.isEmpty ? start : "{\(start)}"
        default:
            return typeName
        }
    }

    /// An example value for `--generate-cli-skeleton`.
    public var skeleton: JSONValue { skeleton(depth: 0) }

    private func skeleton(depth: Int) -> JSONValue {
        switch kind {
        case .string: .string(enumValues.first ?? "")
        case .timestamp: .string("1970-01-01T00:00:00")
        case .integer, .long: .int(0)
        case .double, .float: .double(0.0)
        case .boolean: .bool(true)
        case .blob: .null
        case .structure(let members):
            depth > 6 ? .object([]) : .object(members.filter { !$0.shape.isUnchecked }.map { ($0.name, $0.shape.skeleton(depth: depth + 1)) })
        case .list(let element): .array([element.skeleton(depth: depth + 1)])
        case .map(_, let value): .object([("KeyName", value.skeleton(depth: depth + 1))])
        case .document: .object([])
        }
    }

    var isUnchecked: Bool { name == AWSModels.unchecked.name }
}

/// A named member of a structure.
public struct APIMember: Sendable {
    /// AWS's name: `ModelName` (or `logGroupName` for CloudWatch Logs).
    public var name: String
    public var shape: APIShape
    public var isRequired: Bool
    /// Where S3 carries it (`header`, `uri`, `querystring`), when not in the body.
    public var location: String?
    /// The CLI option name, as awscli derives it (botocore's `xform_name` with `-`, applied by
    /// the generator): `ModelName` → `model-name`, `MaxPayloadInMB` → `max-payload-in-mb`.
    public var optionName: String

    public init(_ name: String, _ shape: APIShape, required: Bool = false, location: String? = nil, cli: String? = nil) {
        self.name = name
        self.shape = shape
        self.isRequired = required
        self.location = location
        self.optionName = cli ?? name.lowercased()
    }
}

/// One operation of the models: its request shape and the members the kit leaves out.
public struct APIOperation: Sendable {
    public var service: String
    public var name: String
    public var input: APIShape
    /// Request members of AWS's model the kit does not offer (scripts/aws-models/kit.json).
    public var leftOut: [String]
}

/// The request shapes of the operations the kit serves, generated from AWS's models.
public enum AWSModels {
    /// A member the kit leaves out: kept in the shape so validation names AWS's members, not checked.
    static let unchecked = APIShape(name: "(left out by InferLab)", .document)

    /// The CLI option for a member name where no generated member is at hand (`NextToken` →
    /// `next-token`, `MaxKeys` → `max-keys`): botocore's rule for plain names.
    static func optionName(for name: String) -> String {
        var result = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            let previous = index > 0 ? characters[index - 1] : nil
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if character.isUppercase, let previous,
               previous.isLowercase || previous.isNumber || (previous.isUppercase && (next?.isLowercase ?? false)) {
                result.append("-")
            }
            result.append(Character(character.lowercased()))
        }
        return result
    }

    public static func operation(_ service: String, _ name: String) -> APIOperation? {
        operations.first { $0.service == service && $0.name == name }
    }
}
