/// Input as a message shows it: every character that could act on the learner's terminal instead
/// of being read (ESC starts a control sequence, BEL rings, CR rewrites the line) is written as an
/// escape. The one helper every message and error object uses where it quotes input data.
public enum VisibleText {
    /// `"a\u{1B}[31mb"` → `a\x1b[31mb`; C0 controls and DEL as `\xNN` (tab, newline and carriage
    /// return as `\t`, `\n`, `\r`), C1 controls, the byte order mark and the bidirectional
    /// overrides as `\uNNNN`. Everything else, other scripts included, is kept.
    public static func escaped(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return String(text) }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else { out.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x80: out += "\\x" + hex(scalar.value, digits: 2)
            default: out += "\\u" + hex(scalar.value, digits: 4)
            }
        }
        return out
    }

    /// Bytes (not necessarily UTF-8) as `escaped` shows them; invalid UTF-8 becomes U+FFFD.
    public static func escaped(bytes: some Sequence<UInt8>) -> String {
        escaped(String(decoding: Array(bytes), as: UTF8.self))
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F: true
        case 0xFEFF, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
