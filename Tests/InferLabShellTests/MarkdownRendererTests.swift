import Testing
@testable import InferLabShell

/// Step texts' Markdown for the terminal: nothing raw, nothing cut mid-phrase, plain without colour.
struct MarkdownRendererTests {
    static let text = """
        # Queue requests

        Each call returns **at once** with an `InferenceId` and an `OutputLocation`: the request has
        been *accepted*, not answered. `head` the error object to read the container's message. Note that the other requests were not affected.

        | | Batch transform | Asynchronous endpoint |
        | --- | --- | --- |
        | Made for | a large, finished dataset | single requests that are slow |
        | Answer in the response | no | no |

        - `S3OutputPath`: where results are written,
          one object per request;
        - `S3FailurePath`: where errors go.

        ```
        aws sagemaker-runtime invoke-endpoint-async --endpoint-name loan-async --input-location s3://loan-lab/async-input/request-1.csv --content-type text/csv
        ```
        """

    @Test func plainModeDropsTheMarkupAndKeepsCodeMarked() {
        let out = MarkdownRenderer(style: .plain, width: 60).render(Self.text)
        #expect(!out.contains("**") && !out.contains("# ") && !out.contains("```") && !out.contains("| ---"))
        #expect(!out.contains("\u{1B}"), "no escape codes in plain mode")
        #expect(out.hasPrefix("Queue requests\n"))
        #expect(out.contains("at once") && out.contains("accepted,") && !out.contains("*accepted*"))
        #expect(out.contains("`InferenceId`"), "backticks mark code in plain text")
        // The long line is wrapped at word boundaries to the width; the command is never wrapped.
        let prose = out.split(separator: "\n").filter { !$0.contains("invoke-endpoint-async") && !$0.contains("Batch transform") && !$0.contains(" no ") && !$0.contains("Made for") }
        for line in prose { #expect(line.count <= 60, "\(line)") }
        #expect(out.contains("    aws sagemaker-runtime invoke-endpoint-async --endpoint-name loan-async --input-location s3://loan-lab/async-input/request-1.csv --content-type text/csv"))
        #expect(out.contains("requests were not") || out.contains("requests were\nnot") || out.contains("other\nrequests"), "\(out)")
        #expect(!out.contains("request\ns"), "no word is cut in two")
        // Tables are aligned in columns.
        let rows = out.split(separator: "\n").filter { $0.contains("Made for") || $0.contains("Answer in the response") }
        #expect(rows.count == 2)
        #expect(rows[0].distance(from: rows[0].startIndex, to: rows[0].range(of: "a large")!.lowerBound)
                == rows[1].distance(from: rows[1].startIndex, to: rows[1].range(of: "no")!.lowerBound), "\(rows)")
        // List items keep their text together, continuation lines hang under it.
        #expect(out.contains("  - `S3OutputPath`: where results are written, one object\n    per request;\n  - `S3FailurePath`"))
    }

    @Test func richModeStylesInsteadOfShowingMarks() {
        let out = MarkdownRenderer(style: .rich, width: 80).render(Self.text)
        #expect(out.contains("\u{1B}[1mQueue requests\u{1B}[0m"), "the heading is bold")
        #expect(out.contains("\u{1B}[36mInferenceId\u{1B}[0m"), "inline code is coloured, without backticks")
        #expect(!out.contains("`") && !out.contains("**"))
        #expect(out.contains("• "), "bullets")
    }
}
