import Foundation

/// Any error as a sentence for a learner (a FailureReason, a log line, a message): AWS errors by
/// their code and message, Foundation's file errors naming the path, never a Swift dump such as
/// `AWSError(code: "NoSuchKey", …)` or `Error Domain=NSCocoaErrorDomain Code=4 "(null)"`.
public enum ErrorSentence {
    public static func of(_ error: any Error) -> String {
        switch error {
        case let error as AWSError:
            return error.description
        case let error as CocoaError:
            return cocoa(error.code.rawValue, path: path(error.userInfo), underlying: error.userInfo[NSUnderlyingErrorKey] as? any Error)
        case let error as POSIXError:
            return posix(error.code.rawValue, path: nil)
        case let error as DecodingError:
            return decoding(error)
        case let error as any CustomStringConvertible where !(type(of: error) is NSError.Type):
            return error.description
        default:
            let ns = error as NSError
            if ns.domain == NSCocoaErrorDomain {
                return cocoa(ns.code, path: path(ns.userInfo), underlying: ns.userInfo[NSUnderlyingErrorKey] as? any Error)
            }
            if ns.domain == NSPOSIXErrorDomain { return posix(Int32(ns.code), path: path(ns.userInfo)) }
            let text = ns.localizedDescription
            return text.isEmpty || text.contains("(null)") ? "\(ns.domain) error \(ns.code)" : text
        }
    }

    private static func path(_ info: [String: Any]) -> String? {
        if let path = info[NSFilePathErrorKey] as? String { return path }
        if let url = info[NSURLErrorKey] as? URL { return url.path }
        return nil
    }

    private static func cocoa(_ code: Int, path: String?, underlying: (any Error)?) -> String {
        let file = path.map { " \($0)" } ?? ""
        switch CocoaError.Code(rawValue: code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "the file\(file) does not exist"
        case .fileReadNoPermission: return "permission denied reading\(file.isEmpty ? " a file" : file)"
        case .fileWriteNoPermission: return "permission denied writing\(file.isEmpty ? " a file" : file)"
        case .fileWriteOutOfSpace: return "no space left on the device writing\(file.isEmpty ? " a file" : file)"
        case .fileWriteFileExists: return "\(path ?? "the file") already exists"
        case .fileReadCorruptFile: return "the file\(file) is damaged or not in the expected format"
        case .fileReadInapplicableStringEncoding: return "the file\(file) is not UTF-8 text"
        case .fileWriteVolumeReadOnly: return "the file\(file) is on a read-only volume"
        default:
            if let underlying = underlying as? POSIXError { return posix(underlying.code.rawValue, path: path) }
            let verb = (CocoaError.Code.fileWriteUnknown.rawValue...CocoaError.Code.fileWriteVolumeReadOnly.rawValue).contains(code) ? "writing" : "reading"
            return "a file error (code \(code)) \(verb)\(file.isEmpty ? " a file" : file)"
        }
    }

    private static func posix(_ code: Int32, path: String?) -> String {
        let reason = String(cString: strerror(code))
        return path.map { "\($0): \(reason)" } ?? reason
    }

    private static func decoding(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(key.stringValue) is missing\(at(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.debugDescription + at(context.codingPath)
        @unknown default: return "the data could not be decoded"
        }
    }
}

extension AWSError: CustomStringConvertible {
    /// `NoSuchKey: The specified key does not exist.` — as a FailureReason or log shows it.
    public var description: String { "\(code): \(message)" }
}
