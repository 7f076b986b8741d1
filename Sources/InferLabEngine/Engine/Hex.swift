/// Lower-case hex of bytes (digests, ETags, signatures). One table-driven helper instead of
/// `String(format: "%02x")` per byte, which is a Foundation format call for every byte.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func string<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
