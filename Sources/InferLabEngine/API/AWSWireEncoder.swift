import Foundation

/// Encodes an API shape for the wire as AWS writes it: members in the shape's order, PascalCase
/// names, dates as epoch seconds at millisecond precision, and a `Double` member always as a
/// floating-point number (`1.0`, where `JSONEncoder` writes `1`). The difference is visible:
/// botocore hands JSON numbers through as Python parsed them, so the AWS CLI prints AWS's
/// `"InitialVariantWeight": 1.0` as `1.0` and a bare `1` as `1`.
///
/// Written by hand because Foundation's encoder offers no way to keep a whole double a double;
/// it builds a `JSONValue` tree, which renders compactly.
public enum AWSWireEncoder {
    public static func encode(_ value: some Encodable) throws -> Data {
        Data(try jsonValue(value).compact.utf8)
    }

    public static func jsonValue(_ value: some Encodable) throws -> JSONValue {
        let root = Node()
        try Self.encode(value, into: root, path: [])
        return root.value
    }

    /// One value under construction: a scalar, or a list or object still being filled.
    final class Node {
        enum Content { case empty, scalar(JSONValue), array([Node]), object([(String, Node)]) }
        var content = Content.empty

        var value: JSONValue {
            switch content {
            case .empty: .object([])
            case .scalar(let value): value
            case .array(let nodes): .array(nodes.map(\.value))
            case .object(let members): .object(members.map { ($0.0, $0.1.value) })
            }
        }
    }

    static func encode(_ value: some Encodable, into node: Node, path: [any CodingKey]) throws {
        switch value {
        case let date as Date:
            node.content = .scalar(.double(Double(AWSCoding.milliseconds(date)) / 1000))
        case let data as Data:
            node.content = .scalar(.string(data.base64EncodedString()))
        case let double as Double:
            node.content = .scalar(double.isFinite ? .double(double) : .null)
        case let dictionary as [String: any Encodable]:
            // Maps (Environment, Tags as maps) keep their keys as given, in a stable order.
            var members: [(String, Node)] = []
            for key in dictionary.keys.sorted() {
                let child = Node()
                try encode(dictionary[key]!, into: child, path: path + [AnyKey(key)])
                members.append((key, child))
            }
            node.content = .object(members)
        default:
            try value.encode(to: NodeEncoder(node: node, codingPath: path))
        }
    }

    struct NodeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = node.content {} else { node.content = .object([]) }
            return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = node.content {} else { node.content = .array([]) }
            return UnkeyedContainer(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            SingleContainer(node: node, codingPath: codingPath)
        }
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        private func child(_ key: Key) -> Node {
            let name = AWSCoding.uppercasingFirst(key.stringValue)
            let child = Node()
            guard case .object(var members) = node.content else { return child }
            members.removeAll { $0.0 == name }
            members.append((name, child))
            node.content = .object(members)
            return child
        }

        mutating func encodeNil(forKey key: Key) throws { child(key).content = .scalar(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try AWSWireEncoder.encode(value, into: child(key), path: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            NodeEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { NodeEncoder(node: child(key), codingPath: codingPath + [key]) }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int {
            if case .array(let items) = node.content { return items.count }
            return 0
        }

        private func append() -> Node {
            let child = Node()
            if case .array(var items) = node.content {
                items.append(child)
                node.content = .array(items)
            }
            return child
        }

        mutating func encodeNil() throws { append().content = .scalar(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try AWSWireEncoder.encode(value, into: append(), path: codingPath + [AnyKey(String(count))])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: append(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            NodeEncoder(node: append(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { NodeEncoder(node: append(), codingPath: codingPath) }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.content = .scalar(.null) }
        mutating func encode(_ value: Bool) throws { node.content = .scalar(.bool(value)) }
        mutating func encode(_ value: String) throws { node.content = .scalar(.string(value)) }
        mutating func encode(_ value: Double) throws { node.content = .scalar(value.isFinite ? .double(value) : .null) }
        mutating func encode(_ value: Float) throws { try encode(Double(value)) }
        mutating func encode(_ value: Int) throws { node.content = .scalar(.int(Int64(value))) }
        mutating func encode(_ value: Int8) throws { node.content = .scalar(.int(Int64(value))) }
        mutating func encode(_ value: Int16) throws { node.content = .scalar(.int(Int64(value))) }
        mutating func encode(_ value: Int32) throws { node.content = .scalar(.int(Int64(value))) }
        mutating func encode(_ value: Int64) throws { node.content = .scalar(.int(value)) }
        mutating func encode(_ value: UInt) throws { node.content = .scalar(.int(Int64(value))) }
        mutating func encode(_ value: UInt8) throws { node.content = .scalar(.int(Int64(value))) }
        mutating func encode(_ value: UInt16) throws { node.content = .scalar(.int(Int64(value))) }
        mutating func encode(_ value: UInt32) throws { node.content = .scalar(.int(Int64(value))) }
        mutating func encode(_ value: UInt64) throws { node.content = .scalar(.int(Int64(clamping: value))) }
        mutating func encode<T: Encodable>(_ value: T) throws { try AWSWireEncoder.encode(value, into: node, path: codingPath) }
    }
}
