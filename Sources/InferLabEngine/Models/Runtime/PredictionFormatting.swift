import Foundation

/// Writes predictions as text without Foundation formatters: Float's shortest round-trip form
/// (`0.9123`), which is what Python prints for the containers' float32 predictions.
enum PredictionFormatting {
    /// Room `write` needs: `Float.description` is at most 15 bytes (`-1.17549435e-38`).
    static let maximumFloatText = 32

    /// Writes `value` exactly as `Float.description` spells it ("nan" for any NaN, as Python
    /// prints it) at `buffer`, which has room for `maximumFloatText` bytes; returns the length.
    ///
    /// Probabilities from 0.0001 to 1, nearly every prediction, take `writeFraction`, which
    /// costs half as much as `description` and builds no String; the rest use `description`.
    @inline(__always)
    static func write(_ value: Float, to buffer: UnsafeMutablePointer<UInt8>) -> Int {
        if let length = writeFraction(value, to: buffer) { return length }
        if value.isNaN {
            buffer[0] = UInt8(ascii: "n"); buffer[1] = UInt8(ascii: "a"); buffer[2] = UInt8(ascii: "n")
            return 3
        }
        var text = value.description
        return text.withUTF8 { utf8 in
            buffer.update(from: utf8.baseAddress!, count: utf8.count)
            return utf8.count
        }
    }

    private static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
        10_000_000_000_000_000_000,
    ]
    private static let digitPairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// `Float.description` for the values it writes as `0.` and digits (`0.0001` to
    /// `0.99999994`): the fewest digits that read back as the same Float and, among those, the
    /// closest to it. Nil for every other value (`1e-05`, `1.0`, `-0.5`, …). Checked against
    /// `description` for every Float from 1e-5 to 1.
    ///
    /// Exact integer arithmetic: the value is m · 2^(b − 150) (b the biased exponent), and the
    /// decimals that read back as it fill [4m − 2, 4m + 2] · 2^(b − 152) (4m − 1 below a power
    /// of two; ends included iff m is even, as reading rounds ties to even). Times 10^k, the
    /// candidates with k digits after the point are the integers between two 64 × 64-bit
    /// products shifted right: no division, no big numbers.
    @inline(__always)
    static func writeFraction(_ value: Float, to out: UnsafeMutablePointer<UInt8>) -> Int? {
        let bits = value.bitPattern
        let biased = Int(bits >> 23)  // the sign bit too: negatives fail the next test
        // 2^-15 ≤ value < 1 holds every description of this form (Float(0.0001) > 2^-14).
        guard biased >= 127 - 15, biased < 127 else { return nil }
        let fraction = UInt64(bits & 0x7F_FFFF)
        let m = fraction | 0x80_0000
        let shift = UInt64(152 - biased)  // 26 ... 40
        let center = 4 &* m
        let low = fraction == 0 ? center &- 1 : center &- 2
        let high = center &+ 2
        let inclusive = m & 1 == 0
        let mask: UInt64 = (1 << shift) &- 1
        return powersOfTen.withUnsafeBufferPointer { tens -> Int? in
            let tens = tens.baseAddress!
            /// x · 10^k / 2^shift: quotient and remainder.
            @inline(__always) func scaled(_ x: UInt64, _ k: Int) -> (quotient: UInt64, remainder: UInt64) {
                let product = x.multipliedFullWidth(by: tens[k])
                return ((product.high << (64 &- shift)) | (product.low >> shift), product.low & mask)
            }
            /// The candidates d (the value ≈ d · 10^-k) with k digits after the point, if any.
            @inline(__always) func candidates(_ k: Int) -> (first: UInt64, last: UInt64)? {
                let lo = scaled(low, k), hi = scaled(high, k)
                let first = inclusive ? lo.quotient &+ (lo.remainder == 0 ? 0 : 1) : lo.quotient &+ 1
                let last = inclusive || hi.remainder != 0 ? hi.quotient : hi.quotient &- 1
                return first <= last ? (first, last) : nil
            }
            // The leading digit's place after the point (value ≥ 10^-place ⇔ m · 10^place ≥
            // 2^(shift − 2)); floor((−e − 1) · log10 2) + 1 is it or one short.
            var place = ((125 &- biased) &* 1233) >> 12 &+ 1
            if m &* tens[place] < (1 << (shift &- 2)) { place &+= 1 }
            // Most Floats need eight or nine significant digits: try eight, then fewer or more
            // (if k digits after the point work, so do k + 1).
            var k = place &+ 7
            var range: (first: UInt64, last: UInt64)
            if let eight = candidates(k) {
                range = eight
                while k > 1, let shorter = candidates(k &- 1) { k &-= 1; range = shorter }
            } else {
                while true {
                    k &+= 1
                    if k > 19 { return nil }
                    if let found = candidates(k) { range = found; break }
                }
            }
            // The candidate closest to the exact value (ties to even).
            let exact = scaled(center, k)
            var digits = exact.quotient
            let half: UInt64 = 1 << (shift &- 1)
            if exact.remainder > half || (exact.remainder == half && digits & 1 == 1) { digits &+= 1 }
            digits = Swift.min(Swift.max(digits, range.first), range.last)
            var count = Swift.max(k &- place &+ 1, 1)
            while count > 1 && digits < tens[count &- 1] { count &-= 1 }
            while count < 19 && digits >= tens[count] { count &+= 1 }
            // Below 0.0001, description switches to the exponent form.
            let leading = k &- count &+ 1
            guard leading >= 1, leading <= 4 else { return nil }
            out[0] = UInt8(ascii: "0")
            out[1] = UInt8(ascii: ".")
            var position = 2
            while position < leading &+ 1 { out[position] = UInt8(ascii: "0"); position &+= 1 }
            let total = position &+ count
            var end = total
            var rest = digits
            let pairs = digitPairs.utf8Start
            while rest >= 100 {
                let pair = Int(rest % 100) &* 2
                rest /= 100
                out[end &- 1] = pairs[pair &+ 1]
                out[end &- 2] = pairs[pair]
                end &-= 2
            }
            if rest >= 10 {
                out[end &- 1] = pairs[Int(rest) &* 2 &+ 1]
                out[end &- 2] = pairs[Int(rest) &* 2]
            } else {
                out[end &- 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest)
            }
            return total
        }
    }
}

/// A response body written into one growing block of memory and handed to `Data` without a copy.
///
/// Predictions are several times the size of their request (a Linear Learner line is ~40 bytes
/// for ~11 of CSV), so building them in an array and copying that into `Data` held two copies at
/// once.
struct ResponseBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        let larger = max(needed, capacity + capacity / 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// ASCII text known when compiling (JSON punctuation and keys).
    @inline(__always)
    mutating func append(_ text: StaticString) {
        reserve(text.utf8CodeUnitCount)
        (base + count).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        count += text.utf8CodeUnitCount
    }

    /// A Float as `Float.description` writes it ("nan" for NaN).
    @inline(__always)
    mutating func append(float value: Float) {
        reserve(PredictionFormatting.maximumFloatText)
        count += PredictionFormatting.write(value, to: base + count)
    }

    /// `[0.1, 0.7, 0.2]`, Python's list form, for multi-output rows.
    mutating func appendList(_ values: UnsafeBufferPointer<Float>) {
        append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { append(", ") }
            append(float: value)
        }
        append(UInt8(ascii: "]"))
    }

    /// The bytes written, as `Data` that takes over the block.
    consuming func data() -> Data {
        let base = self.base, count = self.count
        discard self
        guard count > 0 else {
            base.deallocate()
            return Data()
        }
        return Data(bytesNoCopy: base, count: count, deallocator: .custom { pointer, _ in pointer.deallocate() })
    }
}
