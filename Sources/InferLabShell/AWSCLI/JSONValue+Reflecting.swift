import Foundation
import InferLabEngine

extension JSONValue {
    /// An API response shape as JSON, members in declaration order (the API's order) with AWS's
    /// PascalCase names and nil members left out.
    ///
    /// Built by reflection rather than `JSONEncoder`, whose member order is not stable, so that
    /// `--output json` prints the same bytes every time, as the AWS CLI does.
    public init(reflecting value: Any) {
        switch value {
        case let text as String: self = .string(text)
        case let flag as Bool: self = .bool(flag)
        case let number as Int: self = .int(Int64(number))
        case let number as Int64: self = .int(number)
        case let number as Int32: self = .int(Int64(number))
        case let number as Double: self = .double(number)
        case let number as Float: self = .double(Double(number))
        case let date as Date: self = .string(AWSCoding.cliTimestamp(date))
        case let map as [String: Any]:
            self = .object(map.sorted { $0.key < $1.key }.map { ($0.key, JSONValue(reflecting: $0.value)) })
        default:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                self = mirror.children.first.map { JSONValue(reflecting: $0.value) } ?? .null
            case .collection, .set:
                self = .array(mirror.children.map { JSONValue(reflecting: $0.value) })
            case .enum:
                if let raw = (value as? any RawRepresentable)?.rawValue { self = JSONValue(reflecting: raw) }
                else { self = .string("\(value)") }
            default:
                var members: [(String, JSONValue)] = []
                for child in mirror.children {
                    guard let label = child.label else { continue }
                    let converted = JSONValue(reflecting: child.value)
                    if converted == .null { continue }
                    members.append((label.prefix(1).uppercased() + label.dropFirst(), converted))
                }
                self = .object(members)
            }
        }
    }
}
