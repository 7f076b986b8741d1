import Foundation

/// `model.tar.gz`, as SageMaker stores model artifacts: a ustar archive, gzip-compressed.
///
/// Hand-written because it is small and needs no dependency: regular files only, which is all a
/// model artifact holds (folders are walked through, links and other entries are skipped).
public enum ModelArchive {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// A gzip-compressed tar of the files, in name order (deterministic bytes for the same input).
    public static func write(files: [String: Data]) throws -> Data {
        var tar = Data()
        for (name, content) in files.sorted(by: { $0.key < $1.key }) {
            guard name.utf8.count <= 100 else { throw Failure(description: "file name \(name) is longer than 100 bytes") }
            tar.append(header(name: name, size: content.count))
            tar.append(content)
            let padding = (512 - content.count % 512) % 512
            tar.append(Data(count: padding))
        }
        tar.append(Data(count: 1024))  // two zero blocks end the archive
        return try Gzip.compress(tar)
    }

    /// The most an archive may unpack to: far above the labs' models (kilobytes) and a real
    /// scikit-learn or XGBoost artifact, far below what would exhaust a laptop's memory.
    public static let defaultLimit = 1 << 30

    /// The regular files of a `.tar.gz` (or an uncompressed `.tar`), by path inside the archive.
    /// Inflated in chunks and cut off at `limit` bytes, so a small hostile archive cannot expand
    /// into all of memory.
    /// - Throws: when the data is not a gzip-compressed tar, or unpacks past `limit`, with what was wrong.
    public static func read(_ data: Data, limit: Int = defaultLimit) throws -> [String: Data] {
        var tar: Data
        if data.starts(with: [0x1F, 0x8B]) {
            tar = Data()
            do {
                let inflater = try Inflater()
                var offset = data.startIndex
                while offset < data.endIndex {
                    let end = min(offset + (64 << 10), data.endIndex)
                    tar.append(try inflater.push(data[offset..<end]))
                    offset = end
                    guard tar.count <= limit else { throw Failure(description: "it unpacks to more than \(limit >> 20) MiB, the most InferLab reads from one archive") }
                }
                tar.append(try inflater.finish())
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(description: "it is not a valid .tar.gz (\(ErrorSentence.of(error)))")
            }
            guard tar.count <= limit else { throw Failure(description: "it unpacks to more than \(limit >> 20) MiB, the most InferLab reads from one archive") }
        } else {
            guard data.count <= limit else { throw Failure(description: "it is more than \(limit >> 20) MiB, the most InferLab reads from one archive") }
            tar = data
        }
        var files: [String: Data] = [:]
        var offset = 0
        let bytes = [UInt8](tar)
        var longName: String?
        while offset + 512 <= bytes.count {
            let block = bytes[offset..<offset + 512]
            if block.allSatisfy({ $0 == 0 }) { break }
            guard verifyChecksum(block) else {
                throw Failure(description: "it is not a tar archive (bad header checksum at byte \(offset))")
            }
            let size = octal(block, 124, 12)
            let type = block[block.startIndex + 156]
            var name = longName ?? string(block, 0, 100)
            longName = nil
            let prefix = string(block, 345, 155)
            if !prefix.isEmpty && string(block, 257, 5) == "ustar" { name = prefix + "/" + name }
            let start = offset + 512
            guard start + size <= bytes.count else { throw Failure(description: "the archive is truncated inside \(name)") }
            let content = Data(bytes[start..<start + size])
            switch type {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
                files[normalize(name)] = content
            case UInt8(ascii: "L"):  // GNU long name for the next entry
                longName = String(decoding: content.prefix { $0 != 0 }, as: UTF8.self)
            default:
                break  // folders, links, pax headers: nothing a model needs
            }
            offset = start + (size + 511) / 512 * 512
        }
        return files
    }

    private static func normalize(_ name: String) -> String {
        var name = name
        while name.hasPrefix("./") { name.removeFirst(2) }
        return name
    }

    private static func header(name: String, size: Int) -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ offset: Int) { for (i, byte) in text.utf8.enumerated() { block[offset + i] = byte } }
        put(name, 0)
        put("0000644\0", 100)
        put("0000000\0", 108)
        put("0000000\0", 116)
        put(String(format: "%011o\0", size), 124)
        put("00000000000\0", 136)  // mtime 0: the same files give the same bytes
        put("        ", 148)
        block[156] = UInt8(ascii: "0")
        put("ustar\0", 257)
        put("00", 263)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o\0 ", sum), 148)
        return Data(block)
    }

    private static func verifyChecksum(_ block: ArraySlice<UInt8>) -> Bool {
        let stored = octal(block, 148, 8)
        var sum = 0
        for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        return stored == sum
    }

    private static func octal(_ block: ArraySlice<UInt8>, _ offset: Int, _ length: Int) -> Int {
        let field = block[(block.startIndex + offset)..<(block.startIndex + offset + length)]
        var value = 0
        for byte in field where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") {
            value = value * 8 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func string(_ block: ArraySlice<UInt8>, _ offset: Int, _ length: Int) -> String {
        let field = block[(block.startIndex + offset)..<(block.startIndex + offset + length)]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }
}
