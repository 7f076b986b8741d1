/// The random numbers and the little arithmetic behind `LoanGenerator`, chosen so that a seed gives
/// the same bits on every machine.

/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64: small, fast, and the same on
/// every machine, unlike `SystemRandomNumberGenerator`.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var state = seed
        func splitMix() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    /// A uniform number in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    @inline(__always)
    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// `exp`, `log` and the logistic function from additions, multiplications and divisions only, so
/// that every platform computes the same bits (see the top of LoanGenerator.swift). Accurate to a
/// few units in the last place, far more than the data needs, and quick: the generator calls them
/// for every row.
public enum LoanMath {
    private static let ln2 = 0x1.62e42fefa39efp-1
    /// ln 2 in two parts; the first has 33 significant bits, so n·ln2High/64 is exact.
    private static let ln2High = 0x1.62e42fee00000p-1
    private static let ln2Low = 0x1.a39ef35793c76p-33
    private static let log2e = 0x1.71547652b82fep0
    private static let sqrt2 = 0x1.6a09e667f3bcdp0
    /// 2^(j/64) for j = 0…63, summed from their Taylor series at first use.
    private static let powersOfTwo: [Double] = (0..<64).map { j in
        let x = Double(j) / 64 * ln2
        var term = 1.0, sum = 1.0
        for n in 1...27 {
            term = term * x / Double(n)
            sum += term
        }
        return sum
    }

    /// e^x. Results below the normal range (x < −708) are 0.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.7 { return .infinity }
        if x < -708 { return 0 }
        // x = (64k + j)·ln2/64 + r with |r| ≤ ln2/128, so e^x = 2^k · 2^(j/64) · e^r.
        let scaled = x * (64 * log2e)
        let n = Int(scaled + (scaled < 0 ? -0.5 : 0.5))
        let r = (x - Double(n) * (ln2High / 64)) - Double(n) * (ln2Low / 64)
        // e^r to r^5/5!: the next term is below 4·10^-17.
        let p = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))))
        let k = n >> 6
        return powersOfTwo[n & 63] * p * Double(bitPattern: UInt64(1023 + k) << 52)
    }

    /// The natural logarithm.
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return x }
        var x = x, exponent = 0
        if !x.isNormal {
            x *= 0x1.0p54
            exponent = -54
        }
        // x = m · 2^e with m in [√½, √2): ln x = e·ln2 + ln m, and ln m = 2·atanh(s), s = (m−1)/(m+1).
        let bits = x.bitPattern
        exponent += Int((bits >> 52) & 0x7ff) - 1023
        var m = Double(bitPattern: (bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000)
        if m > sqrt2 {
            m *= 0.5
            exponent += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        // 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + …), to s^23: |s| ≤ 0.172, the rest is below 10^-19.
        var series = 1.0 / 23
        series = series * s2 + 1.0 / 21
        series = series * s2 + 1.0 / 19
        series = series * s2 + 1.0 / 17
        series = series * s2 + 1.0 / 15
        series = series * s2 + 1.0 / 13
        series = series * s2 + 1.0 / 11
        series = series * s2 + 1.0 / 9
        series = series * s2 + 1.0 / 7
        series = series * s2 + 1.0 / 5
        series = series * s2 + 1.0 / 3
        series = series * s2 + 1
        return Double(exponent) * ln2 + 2 * s * series
    }

    /// 1 / (1 + e^−x).
    public static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}
