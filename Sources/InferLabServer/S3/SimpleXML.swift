import Foundation

/// The few XML documents S3 receives (DeleteObjects, CompleteMultipartUpload,
/// CreateBucketConfiguration): elements, text and the five entities; attributes, comments and the
/// declaration skipped. Written by hand because Linux's Foundation keeps XMLParser in a separate
/// module tied to libxml2, and these documents are tiny and flat. Bounded: at most 64 levels deep.
struct SimpleXML {
    var name: String
    var text = ""
    var elements: [SimpleXML] = []

    func child(_ name: String) -> SimpleXML? { elements.first { $0.name == name } }
    func children(_ name: String) -> [SimpleXML] { elements.filter { $0.name == name } }

    static func parse(_ document: String) -> SimpleXML? {
        var stack: [SimpleXML] = []
        var root: SimpleXML?
        var rest = Substring(document)
        while !rest.isEmpty {
            guard let open = rest.firstIndex(of: "<") else {
                guard rest.allSatisfy(\.isWhitespace) else { return nil }
                break
            }
            if !stack.isEmpty { stack[stack.count - 1].text += decodeEntities(rest[..<open]) }
            guard let close = rest[open...].firstIndex(of: ">") else { return nil }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("?") || tag.hasPrefix("!") { continue }
            if tag.hasPrefix("/") {
                guard let element = stack.popLast(), element.name == tag.dropFirst().trimmingCharacters(in: .whitespaces) else { return nil }
                if stack.isEmpty { root = element } else { stack[stack.count - 1].elements.append(element) }
                continue
            }
            let selfClosing = tag.hasSuffix("/")
            let name = String(tag.dropLast(selfClosing ? 1 : 0).split(whereSeparator: { $0.isWhitespace }).first ?? "")
            guard !name.isEmpty, stack.count < 64, root == nil else { return nil }
            if selfClosing {
                if stack.isEmpty { root = SimpleXML(name: name) } else { stack[stack.count - 1].elements.append(SimpleXML(name: name)) }
            } else {
                stack.append(SimpleXML(name: name))
            }
        }
        return stack.isEmpty ? root : nil
    }

    private static func decodeEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
