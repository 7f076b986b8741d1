import Testing
@testable import InferLabShell

struct TokenizerTests {
    @Test(arguments: [
        ("aws s3 ls", ["aws", "s3", "ls"]),
        ("  cp   a\tb  ", ["cp", "a", "b"]),
        ("echo 'a b' \"c d\"", ["echo", "a b", "c d"]),
        (#"--body '{"a": 1}'"#, ["--body", #"{"a": 1}"#]),
        (#"x "say \"hi\"" y"#, ["x", #"say "hi""#, "y"]),
        (#"a\ b c"#, ["a b", "c"]),
        (#"'it'\''s'"#, ["it's"]),
        ("ls # a comment", ["ls"]),
        ("ls a#b", ["ls", "a#b"]),
        ("''", [""]),
        (#""tab\tkeeps backslash""#, [#"tab\tkeeps backslash"#]),
        ("héllo wörld", ["héllo", "wörld"]),
    ])
    func splitsLikeAPOSIXShell(line: String, expected: [String]) throws {
        #expect(try Tokenizer.split(line) == expected)
    }

    @Test func unterminatedQuotesAreErrors() {
        #expect(throws: Tokenizer.UnterminatedQuote(quote: "'")) { try Tokenizer.split("cp 'a b") }
        #expect(throws: Tokenizer.UnterminatedQuote(quote: "\"")) { try Tokenizer.split("cp \"a") }
    }

    @Test func scanReportsAnOpenLastWord() {
        #expect(Tokenizer.scan("s3 c").lastWordOpen)
        #expect(!Tokenizer.scan("s3 cp ").lastWordOpen)
        #expect(Tokenizer.scan("cp 'a b").openQuote == .single)
    }

    /// Property: joining any words and splitting them again gives the same words.
    @Test func quoteAndSplitRoundTrip() throws {
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array("ab c'\"\\#$`\t{}[]:,=é日-_./")
        for _ in 0..<500 {
            let words = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            }
            let line = Tokenizer.join(words)
            #expect(try Tokenizer.split(line) == words, "line: \(line)")
        }
    }
}

/// A small deterministic generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct ContinuationTests {
    @Test func aTrailingBackslashContinuesTheLine() {
        #expect(Tokenizer.continuation("aws s3 ls \\") == "aws s3 ls ")
        #expect(Tokenizer.continuation("aws s3 ls") == nil)
        #expect(Tokenizer.continuation("echo a\\\\") == nil, "an escaped backslash does not continue")
        #expect(Tokenizer.continuation("echo 'a \\") == nil, "inside quotes it is text")
    }
}
