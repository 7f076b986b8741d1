/// Reads the Universal Binary JSON that `booster.save_model("….ubj")` writes (the default format
/// since XGBoost 2.0) into the same `ModelValue` the JSON reader produces.
///
/// XGBoost writes big-endian values, object keys as a length and bytes with no `S` marker, and its
/// large arrays in the optimized `[$<type>#<count>` form; plain `[ … ]` arrays are read too.
struct UBJSONModelReader {
    private static let maximumDepth = 256

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    static func read(_ data: [UInt8]) throws -> ModelValue {
        try data.withUnsafeBufferPointer { buffer in
            var reader = UBJSONModelReader(bytes: buffer)
            let value = try reader.readValue(marker: try reader.readMarker(), depth: 0)
            guard reader.position == buffer.count else {
                throw reader.error("unexpected content after the end of the document")
            }
            return value
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The next type marker, skipping `N` (no-op) padding.
    private mutating func readMarker() throws -> UInt8 {
        while true {
            let marker = try readByte()
            if marker != UInt8(ascii: "N") { return marker }
        }
    }

    private mutating func readValue(marker: UInt8, depth: Int) throws -> ModelValue {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        switch marker {
        case UInt8(ascii: "{"): return try readObject(depth: depth)
        case UInt8(ascii: "["): return try readArray(depth: depth)
        case UInt8(ascii: "S"): return .string(try readString())
        case UInt8(ascii: "H"): return .number(.text(try readString()))
        case UInt8(ascii: "C"): return .string(String(UnicodeScalar(try readByte())))
        case UInt8(ascii: "T"): return .bool(true)
        case UInt8(ascii: "F"): return .bool(false)
        case UInt8(ascii: "Z"): return .null
        case UInt8(ascii: "i"): return .number(.integer(Int64(Int8(bitPattern: try readByte()))))
        case UInt8(ascii: "U"): return .number(.integer(Int64(try readByte())))
        case UInt8(ascii: "I"): return .number(.integer(Int64(Int16(bitPattern: UInt16(try readBigEndian(2))))))
        case UInt8(ascii: "l"): return .number(.integer(Int64(Int32(bitPattern: UInt32(try readBigEndian(4))))))
        case UInt8(ascii: "L"): return .number(.integer(Int64(bitPattern: try readBigEndian(8))))
        case UInt8(ascii: "d"): return .number(.float32(Float(bitPattern: UInt32(try readBigEndian(4)))))
        case UInt8(ascii: "D"): return .number(.float64(Double(bitPattern: try readBigEndian(8))))
        default:
            position -= 1
            throw error("unknown type marker '\(printable(marker))'")
        }
    }

    /// `$` (one type for every element) and `#` (element count) headers of a container.
    private mutating func readContainerHeader() throws -> (type: UInt8?, count: Int?) {
        var type: UInt8?
        if try peek() == UInt8(ascii: "$") {
            position += 1
            type = try readByte()
            guard try peek() == UInt8(ascii: "#") else { throw error("a typed container needs a '#' count") }
        }
        var count: Int?
        if try peek() == UInt8(ascii: "#") {
            position += 1
            count = try readLength()
        }
        return (type, count)
    }

    private mutating func readObject(depth: Int) throws -> ModelValue {
        let header = try readContainerHeader()
        var members = [String: ModelValue]()
        var index = 0
        while true {
            if let count = header.count {
                if index == count { break }
            } else if try peek() == UInt8(ascii: "}") {
                position += 1
                break
            }
            let key = try readString()
            let marker = try header.type ?? readMarker()
            members[key] = try readValue(marker: marker, depth: depth + 1)
            index += 1
        }
        return .object(members)
    }

    private mutating func readArray(depth: Int) throws -> ModelValue {
        let header = try readContainerHeader()
        var items = [ModelValue]()
        if let count = header.count {
            // Each element takes at least one byte unless the type carries no payload (true,
            // false, null); refuse counts the file cannot hold before reserving memory for them.
            let payloadless: Set<UInt8> = [UInt8(ascii: "T"), UInt8(ascii: "F"), UInt8(ascii: "Z")]
            let limit = header.type.map { payloadless.contains($0) } == true ? 1 << 24 : bytes.count - position
            guard count <= limit else { throw error("an array of \(count) elements is longer than the file") }
            items.reserveCapacity(count)
            for _ in 0..<count {
                let marker = try header.type ?? readMarker()
                items.append(try readValue(marker: marker, depth: depth + 1))
            }
        } else {
            while try peek() != UInt8(ascii: "]") {
                items.append(try readValue(marker: try readMarker(), depth: depth + 1))
            }
            position += 1
        }
        return .array(items)
    }

    /// A length: an integer value with its own marker, never negative.
    private mutating func readLength() throws -> Int {
        let start = position
        guard case .number(.integer(let length)) = try readValue(marker: try readMarker(), depth: 0),
              length >= 0, let result = Int(exactly: length)
        else {
            position = start
            throw error("expected a non-negative integer length")
        }
        return result
    }

    private mutating func readString() throws -> String {
        let length = try readLength()
        guard length <= bytes.count - position else { throw error("a string runs past the end of the file") }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + length]), as: UTF8.self)
        position += length
        return text
    }

    private mutating func readBigEndian(_ size: Int) throws -> UInt64 {
        guard size <= bytes.count - position else { throw error("unexpected end of data") }
        var value: UInt64 = 0
        for offset in 0..<size {
            value = value << 8 | UInt64(bytes[position + offset])
        }
        position += size
        return value
    }

    private mutating func readByte() throws -> UInt8 {
        let byte = try peek()
        position += 1
        return byte
    }

    private func peek() throws -> UInt8 {
        guard position < bytes.count else { throw error("unexpected end of data") }
        return bytes[position]
    }

    private func printable(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private func error(_ detail: String) -> XGBoostModelError {
        .malformed("UBJSON", detail, at: position)
    }
}
