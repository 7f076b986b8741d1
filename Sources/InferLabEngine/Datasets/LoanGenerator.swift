/// The synthetic loan-application data the labs score: three numeric features and a label drawn
/// from a documented rule with noise (`datasets/README.md` is the data dictionary).
///
/// Everything here is deterministic across machines: the random numbers come from our own
/// xoshiro256** generator, and the few transcendental functions are computed by `LoanMath` with
/// nothing but IEEE-754 additions, multiplications and divisions (and exact bit operations), which
/// every platform rounds the same way; the C library's `exp` and `log` are not correctly rounded
/// and differ between glibc and Apple's libm in the last bit. Swift never fuses `a * b + c` into
/// one FMA on its own, so the arithmetic is the same on x86 and ARM. The same seed therefore gives
/// the same bytes everywhere; a test pins the first rows of seed 1 and the committed train.csv.

/// One generated applicant.
public struct LoanApplication: Sendable, Equatable {
    /// 1 for the first row of a seed, 2 for the next, and so on.
    public var number: Int
    /// Years, 18 to 80.
    public var age: Int
    /// US dollars, 15,000 to 400,000, a multiple of 100.
    public var annualIncome: Int
    /// Loans already held, 0 to 6.
    public var existingLoans: Int
    /// The label: drawn from `LoanGroundTruth.probability`.
    public var approved: Bool

    public init(number: Int, age: Int, annualIncome: Int, existingLoans: Int, approved: Bool) {
        self.number = number
        self.age = age
        self.annualIncome = annualIncome
        self.existingLoans = existingLoans
        self.approved = approved
    }

    /// `APP-00000001`: the row number, zero-padded to at least eight digits.
    public var applicationID: String {
        let digits = String(number)
        return "APP-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// The features in file order: age, annual_income, existing_loans.
    public var features: [Int] { [age, annualIncome, existingLoans] }
}

/// The rule the labels are drawn from. A model can learn it but never beat it.
///
///     L     = ln(annual_income / 50,000)
///     logit = 1.3 + 3.0·L − 0.6·loans − 1.2·loans·max(0, −L)
///                 − 0.35·max(0, 28 − age) − 0.2·max(0, age − 60)
///     approved ~ Bernoulli(1 / (1 + e^−logit))
public enum LoanGroundTruth {
    public static let intercept = 1.3
    public static let referenceIncome = 50_000.0
    public static let incomeWeight = 3.0
    public static let loanWeight = 0.6
    /// Extra weight per loan for each unit of log income below the reference: loans hurt more at
    /// low income.
    public static let lowIncomeLoanWeight = 1.2
    /// Below this age, each year costs `youngWeight`.
    public static let youngAge = 28
    public static let youngWeight = 0.35
    /// Above this age, each year costs `oldWeight`.
    public static let oldAge = 60
    public static let oldWeight = 0.2

    public static func logit(age: Int, annualIncome: Int, existingLoans: Int) -> Double {
        logit(age: age, relativeIncome: LoanMath.log(Double(annualIncome) / referenceIncome), existingLoans: existingLoans)
    }

    /// The logit with L = ln(annual_income / 50,000) already computed.
    @inline(__always)
    static func logit(age: Int, relativeIncome: Double, existingLoans: Int) -> Double {
        let loans = Double(existingLoans)
        return intercept + incomeWeight * relativeIncome - loanWeight * loans
            - lowIncomeLoanWeight * loans * max(0, -relativeIncome)
            - youngWeight * Double(max(0, youngAge - age)) - oldWeight * Double(max(0, age - oldAge))
    }

    /// The true probability of approval for these features.
    public static func probability(age: Int, annualIncome: Int, existingLoans: Int) -> Double {
        LoanMath.sigmoid(logit(age: age, annualIncome: annualIncome, existingLoans: existingLoans))
    }
}

/// Draws applicants one after another from a seed.
///
/// Per row, in this order: age from four uniforms (the second smallest, a Beta(2,3) shape scaled
/// to 18–80); income as 52,000·e^(0.6·z) with z the sum of twelve uniforms minus six, rounded to
/// the nearest 100 (halves up) and drawn again while outside 15,000–400,000; loans from one
/// uniform through a fixed table; one uniform for the label. The label's uniform is drawn even when the label is not wanted, so a
/// seed gives the same features with or without labels.
public struct LoanGenerator: Sendable {
    public static let ageRange = 18...80
    public static let incomeRange = 15_000...400_000
    public static let loansRange = 0...6
    public static let medianIncome = 52_000.0
    public static let incomeSpread = 0.6
    /// Percent of applicants with 0, 1, … 6 loans: 30, 27, 19, 12, 7, 3, 2.
    public static let loanPercentages = [30, 27, 19, 12, 7, 3, 2]
    /// Cumulative `loanPercentages`, as the draw uses them.
    private static let loanThresholds: [UInt64] = loanPercentages.reduce(into: []) { sums, percent in
        sums.append((sums.last ?? 0) + UInt64(percent))
    }

    /// ln(income / 50,000) for every income the generator makes: 15,000, 15,100, … 400,000.
    private static let relativeIncomes: [Double] = stride(from: incomeRange.lowerBound, through: incomeRange.upperBound, by: 100)
        .map { LoanMath.log(Double($0) / LoanGroundTruth.referenceIncome) }

    public let seed: UInt64
    private var random: Xoshiro256StarStar
    /// How many rows have been drawn.
    public private(set) var count = 0

    public init(seed: UInt64) {
        self.seed = seed
        self.random = Xoshiro256StarStar(seed: seed)
    }

    public mutating func nextApplication() -> LoanApplication {
        nextApplication(withLabel: true)
    }

    /// The next row; with `withLabel` false `approved` is left false, which saves the label's
    /// arithmetic (its random number is still drawn).
    @inline(__always)
    mutating func nextApplication(withLabel: Bool) -> LoanApplication {
        count += 1
        let age = nextAge()
        let income = nextIncome()
        let loans = nextLoans()
        let draw = random.nextUnit()
        var approved = false
        if withLabel {
            // The logarithm of every possible income is in a table: same value, less time.
            let relativeIncome = Self.relativeIncomes[(income - Self.incomeRange.lowerBound) / 100]
            approved = draw < LoanMath.sigmoid(LoanGroundTruth.logit(age: age, relativeIncome: relativeIncome, existingLoans: loans))
        }
        return LoanApplication(number: count, age: age, annualIncome: income, existingLoans: loans, approved: approved)
    }

    @inline(__always)
    private mutating func nextAge() -> Int {
        let a = random.next(), b = random.next(), c = random.next(), d = random.next()
        let secondSmallest = Swift.min(Swift.max(Swift.min(a, b), Swift.min(c, d)), Swift.min(Swift.max(a, b), Swift.max(c, d)))
        // floor(secondSmallest / 2^64 · 63), exactly, in integers.
        let span = UInt64(Self.ageRange.count)
        return Self.ageRange.lowerBound + Int(secondSmallest.multipliedFullWidth(by: span).high)
    }

    @inline(__always)
    private mutating func nextIncome() -> Int {
        while true {
            var sum: UInt64 = 0
            for _ in 0..<12 { sum &+= random.next() >> 11 }
            let z = Double(sum) * 0x1.0p-53 - 6
            let dollars = Self.medianIncome * LoanMath.exp(Self.incomeSpread * z)
            let income = Int(dollars / 100 + 0.5) * 100
            if Self.incomeRange.contains(income) { return income }
        }
    }

    @inline(__always)
    private mutating func nextLoans() -> Int {
        let percentile = random.next().multipliedFullWidth(by: 100).high
        var loans = 0
        while percentile >= Self.loanThresholds[loans] { loans += 1 }
        return loans
    }
}
