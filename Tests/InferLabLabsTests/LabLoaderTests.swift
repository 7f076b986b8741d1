import Foundation
import Testing
@testable import InferLabLabs

/// Writes a lab folder with the given lab.yaml and step files.
func makeLab(_ id: String, yaml: String, steps: [String] = ["steps/01.md"]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("labs-\(UUID().uuidString)")
    let folder = root.appendingPathComponent(id)
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("steps"), withIntermediateDirectories: true)
    try yaml.write(to: folder.appendingPathComponent("lab.yaml"), atomically: true, encoding: .utf8)
    for step in steps { try "# Step\n".write(to: folder.appendingPathComponent(step), atomically: true, encoding: .utf8) }
    return folder
}

let validLab = """
    format: 1
    id: demo
    title: Demo
    version: 2
    summary: A demo.
    setup: [aws s3 mb s3://demo-lab]
    steps:
      - id: one
        title: Upload
        text: steps/01.md
        practises: [aws s3 cp]
        hints: [first, second]
        checks:
          - id: uploaded
            description: data.csv is uploaded
            points: 2
            failure: Upload it.
            object_exists: s3://demo-lab/data.csv
          - id: why
            description: Why batch
            points: 1
            quiz: {question: "Why?", choices: [cheap, fast], answer: 1}
        solve: [aws s3 cp datasets/loans/data.csv s3://demo-lab/data.csv, lab answer why 1]
    """

struct LabLoaderTests {
    @Test func loadsEveryField() throws {
        let lab = try LabLoader.load(try makeLab("demo", yaml: validLab))
        #expect(lab.id == "demo" && lab.version == 2 && lab.setup == ["aws s3 mb s3://demo-lab"])
        #expect(lab.steps.map(\.id) == ["one"])
        #expect(lab.steps[0].hints == ["first", "second"])
        #expect(lab.steps[0].checks.map(\.kind) == [.objectExists("s3://demo-lab/data.csv"), .quiz(question: "Why?", choices: ["cheap", "fast"], answer: 1)])
        #expect(lab.totalPoints == 3)
    }

    @Test(arguments: [
        ("format: 2", "format", "this InferLab reads format 1"),
        ("id: other", "id", "must equal the folder name"),
        ("        object_exists: s3://demo-lab/data.csv\n        bucket_exists: demo-lab", "steps[1].checks[1]", "has several kinds"),
        ("        object_exists: data.csv", "steps[1].checks[1].object_exists", "must be an s3:// URI"),
        ("        quiz: {question: \"Why?\", choices: [cheap, fast], answer: 3}", "answer", "must be 1 to 2"),
        ("    text: steps/02.md", "steps[1].text", "steps/02.md does not exist"),
        ("        object_exists: s3://demo-lab/data.csv\n        colour: red", "steps[1].checks[1]", "unknown field 'colour'"),
    ])
    func problemsNameTheFileThePlaceAndTheFix(replacement: String, location: String, message: String) throws {
        var yaml = validLab
        let key = replacement.trimmingCharacters(in: .whitespaces).split(separator: ":").first.map(String.init) ?? ""
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let index = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") }) {
            var copy = lines
            copy[index] = replacement
            yaml = copy.joined(separator: "\n")
        }
        #expect { try LabLoader.load(try makeLab("demo", yaml: yaml)) } throws: { error in
            guard let problem = error as? LabLoader.Problem else { return false }
            return problem.file == "demo/lab.yaml" && problem.location.contains(location) && problem.message.contains(message)
        }
    }

    @Test func brokenYAMLIsReportedWithItsPlace() throws {
        #expect { try LabLoader.load(try makeLab("demo", yaml: "format: 1\nid: [unclosed\n")) } throws: {
            ($0 as? LabLoader.Problem)?.location == "YAML"
        }
    }

    @Test func duplicateCheckIdsAreRefused() throws {
        let yaml = validLab.replacingOccurrences(of: "- id: why", with: "- id: uploaded")
        #expect { try LabLoader.load(try makeLab("demo", yaml: yaml)) } throws: { "\($0)".contains("'uploaded' is used twice") }
    }
}
