/// Builds the small XML documents S3 answers with. Written by hand: S3's documents are flat and
/// few, and writing them is string building with escaping (no package here writes XML without
/// Foundation's XMLDocument, which Linux's Foundation lacks).
struct XMLWriter {
    private(set) var text = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"

    /// Elements without a declaration or root, to go inside another document.
    static func fragment(_ body: (inout XMLWriter) -> Void) -> String {
        var writer = XMLWriter()
        body(&writer)
        return writer.text
    }

    private init() { text = "" }

    init(root: String, namespace: Bool = true, _ body: (inout XMLWriter) -> Void) {
        text += namespace ? #"<\#(root) xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"# : "<\(root)>"
        body(&self)
        text += "</\(root)>"
    }

    mutating func element(_ name: String, _ value: String?) {
        guard let value else { return }
        text += "<\(name)>\(Self.escape(value))</\(name)>"
    }

    mutating func element(_ name: String, _ body: (inout XMLWriter) -> Void) {
        text += "<\(name)>"
        body(&self)
        text += "</\(name)>"
    }

    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default:
                // XML 1.0 cannot carry most control characters even escaped; S3 keys can hold
                // them only with encoding-type=url, which the caller applies before this.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
                    out += "&#\(scalar.value);"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
