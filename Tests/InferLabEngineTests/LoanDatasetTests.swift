import Foundation
import Testing
@testable import InferLabEngine

/// The synthetic loan data: deterministic, shaped as documented, labelled by a learnable rule.
final class LoanDatasetTests {
    /// Each test's own scratch folder, removed afterwards.
    private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("loans-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: scratch) }

    // MARK: - Determinism

    @Test func theSameSeedGivesIdenticalBytes() throws {
        let folder = try temporaryFolder()
        let format = LoanDatasetFormat(.csv, includesID: true, includesLabel: true)
        let first = folder.appendingPathComponent("first.csv"), second = folder.appendingPathComponent("second.csv")
        try LoanDatasetWriter.write(rows: 20_000, seed: 42, format: format, to: first)
        try LoanDatasetWriter.write(rows: 20_000, seed: 42, format: format, to: second)
        let bytes = try Data(contentsOf: first)
        #expect(bytes.count > 20_000 * 20)
        #expect(bytes == (try Data(contentsOf: second)))
    }

    /// Pinned output: a change to the generator, the rule or the formatting shows up here, and so
    /// would a platform that computed different bits.
    @Test func seedOneStartsWithThePinnedRows() {
        var generator = LoanGenerator(seed: 1)
        let rows = (0..<3).map { _ in generator.nextApplication() }
        #expect(LoanDatasetWriter.encode(rows, format: LoanDatasetFormat(includesID: true, includesLabel: true)) == """
            APP-00000001,1,50,143700,0
            APP-00000002,0,22,61000,2
            APP-00000003,0,42,32500,4

            """)
    }

    @Test func differentSeedsGiveDifferentRows() throws {
        let folder = try temporaryFolder()
        let format = LoanDatasetFormat()
        let one = folder.appendingPathComponent("one.csv"), two = folder.appendingPathComponent("two.csv")
        try LoanDatasetWriter.write(rows: 1_000, seed: 1, format: format, to: one)
        try LoanDatasetWriter.write(rows: 1_000, seed: 2, format: format, to: two)
        let a = try lines(one), b = try lines(two)
        #expect(a.count == b.count)
        // Two independent streams can share a row by chance, but not many.
        #expect(zip(a, b).filter { $0 == $1 }.count < 10)
    }

    @Test func theLabelDoesNotChangeTheFeatures() throws {
        var plain = LoanGenerator(seed: 9), labelled = LoanGenerator(seed: 9)
        for _ in 0..<1_000 {
            let a = plain.nextApplication(withLabel: false), b = labelled.nextApplication()
            #expect(a.features == b.features)
            #expect(a.number == b.number)
        }
    }

    // MARK: - Shape

    @Test(arguments: [(false, false, 3), (false, true, 4), (true, false, 4), (true, true, 5)])
    func csvHasOneLinePerRowAndTheDocumentedColumns(withID: Bool, withLabel: Bool, columns: Int) throws {
        let file = try temporaryFolder().appendingPathComponent("rows.csv")
        let format = LoanDatasetFormat(.csv, includesID: withID, includesLabel: withLabel)
        let summary = try LoanDatasetWriter.write(rows: 2_345, seed: 5, format: format, to: file)
        let rows = try lines(file)
        #expect(rows.count == 2_345)
        #expect(summary.rows == 2_345)
        #expect(summary.bytes == (try Data(contentsOf: file)).count)
        #expect(format.columns.count == columns)
        for (index, row) in rows.enumerated() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == columns, "line \(index + 1): \(row)")
            var rest = fields[...]
            if withID { #expect(rest.removeFirst() == LoanApplication(number: index + 1, age: 0, annualIncome: 0, existingLoans: 0, approved: false).applicationID) }
            if withLabel { #expect(["0", "1"].contains(rest.removeFirst())) }
            let features = rest.compactMap { Int($0) }
            try #require(features.count == 3, "line \(index + 1): \(row)")
            #expect(LoanGenerator.ageRange.contains(features[0]))
            #expect(LoanGenerator.incomeRange.contains(features[1]) && features[1] % 100 == 0)
            #expect(LoanGenerator.loansRange.contains(features[2]))
        }
    }

    @Test func applicationIDsArePaddedToEightDigits() {
        func id(_ number: Int) -> String {
            LoanApplication(number: number, age: 30, annualIncome: 50_000, existingLoans: 1, approved: true).applicationID
        }
        #expect(id(1) == "APP-00000001")
        #expect(id(12_345_678) == "APP-12345678")
        #expect(id(123_456_789) == "APP-123456789")
    }

    @Test func jsonLinesParseWithTheDocumentedMembers() throws {
        let folder = try temporaryFolder()
        let jsonl = folder.appendingPathComponent("rows.jsonl"), csv = folder.appendingPathComponent("rows.csv")
        try LoanDatasetWriter.write(rows: 500, seed: 11, format: LoanDatasetFormat(.jsonl, includesID: true, includesLabel: true), to: jsonl)
        try LoanDatasetWriter.write(rows: 500, seed: 11, format: LoanDatasetFormat(.csv, includesLabel: true), to: csv)
        let csvRows = try lines(csv)
        let jsonRows = try lines(jsonl)
        #expect(jsonRows.count == 500)
        for (index, line) in jsonRows.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["id", "features", "label"])
            #expect(object["id"] as? String == String(format: "APP-%08d", index + 1))
            let features = try #require(object["features"] as? [Int])
            let label = try #require(object["label"] as? Int)
            #expect(csvRows[index] == "\(label),\(features.map(String.init).joined(separator: ","))")
        }

        let plain = LoanDatasetWriter.encode([LoanApplication(number: 1, age: 25, annualIncome: 50_000, existingLoans: 2, approved: true)],
                                                 format: LoanDatasetFormat(.jsonl))
        #expect(plain == "{\"features\":[25,50000,2]}\n")
    }

    @Test func splittingSpreadsTheRowsInOrder() throws {
        let folder = try temporaryFolder()
        let format = LoanDatasetFormat(.csv, includesID: true)
        let whole = folder.appendingPathComponent("whole.csv")
        try LoanDatasetWriter.write(rows: 1_003, seed: 3, format: format, to: whole)
        let summary = try LoanDatasetWriter.write(rows: 1_003, seed: 3, format: format, files: 4, into: folder.appendingPathComponent("split"))
        #expect(summary.files.map(\.lastPathComponent) == ["part-00000.csv", "part-00001.csv", "part-00002.csv", "part-00003.csv"])
        let parts = try summary.files.map(lines)
        #expect(parts.map(\.count) == [251, 251, 251, 250])
        #expect(parts.flatMap { $0 } == (try lines(whole)))
        #expect(LoanDatasetWriter.partSizes(rows: 10, files: 3) == [4, 3, 3])
        #expect(LoanDatasetWriter.partFileName(12, format: LoanDatasetFormat(.jsonl)) == "part-00012.jsonl")
    }

    // MARK: - The label

    @Test func theApprovalRateIsInTheDocumentedBand() {
        var generator = LoanGenerator(seed: 2_024)
        let approved = (0..<50_000).filter { _ in generator.nextApplication().approved }.count
        let rate = Double(approved) / 50_000
        #expect((0.40...0.60).contains(rate), "approval rate \(rate)")
    }

    @Test func theLabelDependsOnTheFeatures() {
        var generator = LoanGenerator(seed: 77)
        let rows = (0..<50_000).map { _ in generator.nextApplication() }
        func rate(_ keep: (LoanApplication) -> Bool) -> Double {
            let group = rows.filter(keep)
            return Double(group.filter(\.approved).count) / Double(max(1, group.count))
        }
        let rich = rate { $0.annualIncome > 100_000 }, poor = rate { $0.annualIncome < 30_000 }
        #expect(rich > 0.8 && poor < 0.2, "income over 100k: \(rich), under 30k: \(poor)")
        let noLoans = rate { $0.existingLoans == 0 }, manyLoans = rate { $0.existingLoans >= 4 }
        #expect(noLoans - manyLoans > 0.3, "no loans: \(noLoans), four or more: \(manyLoans)")
        // The age effect is not linear: the middle does better than both ends.
        let young = rate { $0.age < 22 }, middle = rate { (35...50).contains($0.age) }, old = rate { $0.age > 70 }
        #expect(middle - young > 0.2 && middle - old > 0.2, "under 22: \(young), 35–50: \(middle), over 70: \(old)")
    }

    @Test func theRuleMatchesItsDocumentedFormula() {
        #expect(abs(LoanGroundTruth.logit(age: 45, annualIncome: 50_000, existingLoans: 0) - 1.3) < 1e-12)
        // L = ln(0.5): 1.3 + 3·L − 0.6·2 − 1.2·2·(−L) − 0.35·(28 − 20)
        let expected = 1.3 + 3 * Foundation.log(0.5) - 1.2 + 2.4 * Foundation.log(0.5) - 0.35 * 8
        #expect(abs(LoanGroundTruth.logit(age: 20, annualIncome: 25_000, existingLoans: 2) - expected) < 1e-12)
        #expect(abs(LoanGroundTruth.logit(age: 70, annualIncome: 50_000, existingLoans: 0) - (1.3 - 2)) < 1e-12)
        #expect(abs(LoanGroundTruth.probability(age: 45, annualIncome: 50_000, existingLoans: 0) - 1 / (1 + Foundation.exp(-1.3))) < 1e-12)
    }

    @Test func theOwnMathAgreesWithTheCLibrary() {
        var random = Xoshiro256StarStar(seed: 5)
        for _ in 0..<10_000 {
            let x = random.nextUnit() * 100 - 50
            #expect(abs(LoanMath.exp(x) / Foundation.exp(x) - 1) < 1e-14, "exp(\(x))")
            let y = Foundation.exp(random.nextUnit() * 40 - 20)
            #expect(abs(LoanMath.log(y) - Foundation.log(y)) <= 1e-14 * max(1, abs(Foundation.log(y))), "log(\(y))")
        }
        #expect(LoanMath.exp(0) == 1 && LoanMath.log(1) == 0)
        #expect(LoanMath.exp(-800) == 0 && LoanMath.exp(800) == .infinity && LoanMath.log(0) == -.infinity)
    }

    // MARK: - The committed files

    @Test func theCommittedDataCSVIsExactlyTheThreeLessonRows() throws {
        let text = try String(contentsOf: loansFolder.appendingPathComponent("data.csv"), encoding: .utf8)
        #expect(text == "25,50000,2\n35,60000,3\n45,45000,1\n")
        let jsonl = try String(contentsOf: loansFolder.appendingPathComponent("data.jsonl"), encoding: .utf8)
        #expect(jsonl == "{\"features\":[25,50000,2]}\n{\"features\":[35,60000,3]}\n{\"features\":[45,45000,1]}\n")
    }

    /// datasets/README.md says train.csv is seed 1 with labels; check that regenerating gives it.
    @Test func theCommittedTrainingSetIsWhatItsSeedGenerates() throws {
        let committed = try Data(contentsOf: loansFolder.appendingPathComponent("train.csv"))
        let file = try temporaryFolder().appendingPathComponent("train.csv")
        try LoanDatasetWriter.write(rows: 20_000, seed: 1, format: LoanDatasetFormat(includesLabel: true), to: file)
        #expect(committed == (try Data(contentsOf: file)))
    }

    /// The figures datasets/README.md gives for validation.csv.
    @Test func theValidationSetHasTheDocumentedRateAndBayesAccuracy() throws {
        let rows = try lines(loansFolder.appendingPathComponent("validation.csv")).map { $0.split(separator: ",").compactMap { Int($0) } }
        #expect(rows.count == 5_000)
        let approved = rows.filter { $0[0] == 1 }.count
        let correct = rows.filter { row in
            let p = LoanGroundTruth.probability(age: row[1], annualIncome: row[2], existingLoans: row[3])
            return (p > 0.5 ? 1 : 0) == row[0]
        }.count
        #expect(approved == 2_610, "approved: \(approved)")
        #expect(correct == 3_979, "the true rule is right on \(correct)")
    }

    // MARK: - Helpers

    private var loansFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("datasets/loans")
    }

    private func temporaryFolder() throws -> URL {
        let folder = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func lines(_ file: URL) throws -> [String] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}
