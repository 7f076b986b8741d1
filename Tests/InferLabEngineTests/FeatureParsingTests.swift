import Foundation
import Testing
@testable import InferLabEngine

struct FeatureParsingTests {
    private func parse(_ text: String, emptyIsMissing: Bool = false) throws -> FeatureMatrix {
        var matrix = FeatureMatrix()
        try Data(text.utf8).withUnsafeBytes { try FeatureParsing.csv($0, emptyIsMissing: emptyIsMissing, into: &matrix) }
        return matrix
    }

    @Test func parsesRowsSkippingBlankLinesAndCarriageReturns() throws {
        let matrix = try parse("25,50000,2\r\n35, 60000 ,3\n\n45,4.5e4,-1\n")
        #expect(matrix.rowCount == 3)
        #expect(matrix.columnCount == 3)
        #expect(matrix.values == [25, 50000, 2, 35, 60000, 3, 45, 45000, -1])
    }

    /// Property: every number parses to exactly what Double(String) then Float gives (numpy's path).
    @Test func numbersRoundLikeDoubleThenFloat() throws {
        var generator = SystemRandomNumberGenerator()
        var texts: [String] = ["0.1", "1e-7", "123456789012345678", "3.4028235e38", "1e-320", "-0", "0.30000000000000004", "nan"]
        for _ in 0..<2_000 {
            let value = Double.random(in: -1e6...1e6, using: &generator) * pow(10, Double(Int.random(in: -12...12, using: &generator)))
            texts.append(String(value))
            texts.append(String(format: "%.\(Int.random(in: 0...20, using: &generator))g", value))
        }
        let matrix = try parse(texts.joined(separator: "\n"))
        for (index, text) in texts.enumerated() {
            let expected = Float(Double(text)!)
            let actual = matrix.values[index]
            #expect(actual.bitPattern == expected.bitPattern || (actual.isNaN && expected.isNaN), "\(text)")
        }
    }

    @Test(arguments: [
        ("1,2,3\n4,5\n", "record 2: it has 2 fields, but the first record has 3"),
        ("1,2,3\n35,sixty thousand,1\n", "record 2, field 2: 'sixty thousand' is not a number"),
        ("40,,2\n", "record 1, field 2: the field is empty"),
        ("1,2\n\n3,x\n", "record 3, field 2: 'x' is not a number"),
    ])
    func badRecordsNameTheRecordAndField(text: String, message: String) {
        #expect { try parse(text) } throws: { "\($0)" == message }
    }

    @Test func emptyFieldsCanMeanMissing() throws {
        let matrix = try parse("40,,2\n", emptyIsMissing: true)
        #expect(matrix.values[1].isNaN)
    }

    @Test func libsvmPlacesValuesByIndex() throws {
        var matrix = FeatureMatrix()
        try Data("0 0:25 2:2\n1:60000\n".utf8).withUnsafeBytes { try FeatureParsing.libsvm($0, columns: 3, into: &matrix) }
        #expect(matrix.rowCount == 2)
        #expect(matrix.values[0] == 25 && matrix.values[1].isNaN && matrix.values[2] == 2)
        #expect(matrix.values[3].isNaN && matrix.values[4] == 60000)
    }
}
