import InferLabEngine

/// The shape of an AWS API member: enough to parse the AWS CLI's shorthand syntax, to check
/// types, and to print `--generate-cli-skeleton` and the shorthand line of help.
public indirect enum APIShape: Sendable {
    case string
    case integer
    case double
    case boolean
    case timestamp
    case structure([APIMember])
    case list(APIShape)
    case map(APIShape)

    /// `Image=string,ModelDataUrl=string,Environment={KeyName1=string,KeyName2=string}`
    public var shorthandSyntax: String {
        switch self {
        case .string, .timestamp: "string"
        case .integer: "integer"
        case .double: "double"
        case .boolean: "boolean"
        case .structure(let members):
            members.map { "\($0.name)=\($0.shape.nestedShorthand)" }.joined(separator: ",")
        case .list(let element): "\(element.nestedShorthand) \(element.nestedShorthand) ..."
        case .map(let value): "KeyName1=\(value.nestedShorthand),KeyName2=\(value.nestedShorthand)"
        }
    }

    private var nestedShorthand: String {
        switch self {
        case .structure, .map: "{\(shorthandSyntax)}"
        case .list(let element): "[\(element.nestedShorthand),\(element.nestedShorthand)]"
        default: shorthandSyntax
        }
    }

    /// An example value for `--generate-cli-skeleton`.
    public var skeleton: JSONValue {
        switch self {
        case .string: .string("")
        case .timestamp: .string("1970-01-01T00:00:00")
        case .integer: .int(0)
        case .double: .double(0.0)
        case .boolean: .bool(true)
        case .structure(let members): .object(members.map { ($0.name, $0.shape.skeleton) })
        case .list(let element): .array([element.skeleton])
        case .map(let value): .object([("KeyName", value.skeleton)])
        }
    }

    var isScalar: Bool {
        switch self {
        case .string, .integer, .double, .boolean, .timestamp: true
        default: false
        }
    }
}

/// A named member of an API structure (request parameter).
public struct APIMember: Sendable {
    /// AWS's name: `ModelName`.
    public var name: String
    public var shape: APIShape
    public var isRequired: Bool
    public var help: String
    public var completion: CompletionSource
    /// Allowed values, shown in help and offered by Tab.
    public var values: [String]

    public init(_ name: String, _ shape: APIShape, required: Bool = false, help: String = "",
                values: [String] = [], completion: CompletionSource = .none) {
        self.name = name
        self.shape = shape
        self.isRequired = required
        self.help = help
        self.values = values
        self.completion = values.isEmpty ? completion : .values(values)
    }

    /// The CLI option name: `ModelName` → `model-name`, `S3OutputPath` → `s3-output-path`.
    public var optionName: String {
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
}
