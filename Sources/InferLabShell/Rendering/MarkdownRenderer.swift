#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Step texts' Markdown for the terminal: headings, paragraphs wrapped at word boundaries to the
/// width, lists, aligned tables, fenced code kept line for line (commands are copied as they are),
/// inline code and emphasis. In colour, `code` is cyan and **strong** bold; without (`--plain`,
/// `NO_COLOR`, not a terminal) there are no escape codes, emphasis marks go and backticks stay,
/// the plain-text way of marking code.
///
/// Written by hand: the labs use a small, fixed subset of Markdown, and no package in the
/// manifest renders Markdown for a terminal.
struct MarkdownRenderer {
    let style: Style
    let width: Int

    init(style: Style, width: Int = MarkdownRenderer.terminalWidth()) {
        self.style = style
        self.width = max(40, width)
    }

    /// The terminal's columns, at most 100 (longer lines are hard to read); 100 off a terminal.
    static func terminalWidth() -> Int {
        var size = winsize()
        guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 100 }
        return min(100, Int(size.ws_col))
    }

    func render(_ markdown: String) -> String {
        var output: [String] = []
        var paragraph: [String] = []
        var table: [String] = []
        var inCode = false
        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            output += block(paragraph.joined(separator: " "))
            paragraph = []
        }
        func flushTable() {
            guard !table.isEmpty else { return }
            output += renderTable(table)
            table = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                flushParagraph(); flushTable()
                inCode.toggle()
                continue
            }
            if inCode {
                output.append("    " + style.paint(line, .cyan))
                continue
            }
            if trimmed.hasPrefix("|") {
                flushParagraph()
                table.append(trimmed)
                continue
            }
            flushTable()
            if trimmed.isEmpty {
                flushParagraph()
                if output.last != "" { output.append("") }
            } else if trimmed.hasPrefix("#") {
                flushParagraph()
                let text = String(trimmed.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                output.append(style.bold(inline(text)))
            } else if Self.listMarker(trimmed) != nil || (line.hasPrefix(" ") && !paragraph.isEmpty && Self.listMarker(paragraph[0]) != nil) {
                // A list item starts a paragraph of its own; its indented continuation lines join it.
                if Self.listMarker(trimmed) != nil { flushParagraph() }
                paragraph.append(trimmed)
            } else {
                paragraph.append(trimmed)
            }
        }
        flushParagraph(); flushTable()
        while output.last == "" { output.removeLast() }
        return output.joined(separator: "\n")
    }

    /// `- `, `* ` or `1. ` at the start of a line.
    static func listMarker(_ line: String) -> String? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return String(line.prefix(2)) }
        let digits = line.prefix { $0.isNumber }
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") { return digits + ". " }
        return nil
    }

    /// A paragraph or a list item, wrapped; a list item's lines hang under its text.
    private func block(_ text: String) -> [String] {
        guard let marker = Self.listMarker(text) else { return wrap(inlineUnits(text), first: "", rest: "") }
        let bullet = marker.hasPrefix("-") || marker.hasPrefix("*") ? (style.isDecorated ? "• " : "- ") : marker
        let hang = String(repeating: " ", count: 2 + bullet.count)
        return wrap(inlineUnits(String(text.dropFirst(marker.count))), first: "  " + bullet, rest: hang)
    }

    // MARK: Inline

    /// A piece of text that is never broken, with its visible length.
    private struct Unit {
        var text: String
        var visible: Int
    }

    private enum Span { case text(String), code(String), strong(String), emphasis(String) }

    /// Splits on `code`, **strong** and *emphasis* (or _emphasis_); unmatched marks stay text.
    private func spans(_ text: String) -> [Span] {
        var spans: [Span] = []
        var plain = ""
        var rest = Substring(text)
        while let first = rest.first {
            let marks: [(String, (String) -> Span)] = [("`", { .code($0) }), ("**", { .strong($0) }), ("*", { .emphasis($0) }), ("_", { .emphasis($0) })]
            var matched = false
            for (mark, make) in marks where rest.hasPrefix(mark) {
                // `_` inside a word (snake_case) is not emphasis.
                if mark == "_", let last = plain.last, last.isLetter || last.isNumber { break }
                let body = rest.dropFirst(mark.count)
                guard let end = body.range(of: mark), !body[..<end.lowerBound].isEmpty else { break }
                if !plain.isEmpty { spans.append(.text(plain)); plain = "" }
                spans.append(make(String(body[..<end.lowerBound])))
                rest = body[end.upperBound...]
                matched = true
                break
            }
            if !matched {
                plain.append(first)
                rest = rest.dropFirst()
            }
        }
        if !plain.isEmpty { spans.append(.text(plain)) }
        return spans
    }

    /// The text with its marks rendered, for a heading or a table cell.
    private func inline(_ text: String) -> String {
        spans(text).map(styled).joined()
    }

    private func styled(_ span: Span) -> String {
        switch span {
        case .text(let text): text
        case .code(let code): style.usesColor ? style.paint(code, .cyan) : "`\(code)`"
        case .strong(let text): style.bold(text)
        case .emphasis(let text): text
        }
    }

    private func visibleLength(_ span: Span) -> Int {
        switch span {
        case .text(let text), .strong(let text), .emphasis(let text): text.count
        case .code(let code): code.count + (style.usesColor ? 0 : 2)
        }
    }

    /// Words to wrap: text splits at spaces, a code span stays whole; a unit glued to the next
    /// (no space between, as in "`x`,") stays glued.
    private func inlineUnits(_ text: String) -> [Unit] {
        var units: [Unit] = []
        var glue = false
        for span in spans(text) {
            let pieces: [Span]
            var startsWithSpace = false
            var endsWithSpace = false
            switch span {
            case .text(let text), .strong(let text), .emphasis(let text):
                startsWithSpace = text.first == " "
                endsWithSpace = text.last == " "
                pieces = text.split(separator: " ").map { piece in
                    switch span {
                    case .strong: .strong(String(piece))
                    case .emphasis: .emphasis(String(piece))
                    default: .text(String(piece))
                    }
                }
            case .code:
                pieces = [span]
            }
            for (index, piece) in pieces.enumerated() {
                let unit = Unit(text: styled(piece), visible: visibleLength(piece))
                if glue, index == 0, !startsWithSpace, var last = units.popLast() {
                    last.text += unit.text
                    last.visible += unit.visible
                    units.append(last)
                } else {
                    units.append(unit)
                }
            }
            glue = !endsWithSpace && !pieces.isEmpty
        }
        return units
    }

    private func wrap(_ units: [Unit], first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var length = first.count
        var empty = true
        for unit in units {
            if !empty, length + 1 + unit.visible > width {
                lines.append(line)
                line = rest
                length = rest.count
                empty = true
            }
            line += (empty ? "" : " ") + unit.text
            length += (empty ? 0 : 1) + unit.visible
            empty = false
        }
        if !empty { lines.append(line) }
        return lines
    }

    // MARK: Tables

    private func renderTable(_ rows: [String]) -> [String] {
        func cells(_ row: String) -> [String] {
            var inner = Substring(row)
            if inner.hasPrefix("|") { inner = inner.dropFirst() }
            if inner.hasSuffix("|") { inner = inner.dropLast() }
            return inner.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let parsed = rows.map(cells).filter { row in !row.allSatisfy { $0.allSatisfy { "-: ".contains($0) } } }
        guard let columns = parsed.map(\.count).max() else { return [] }
        let rendered = parsed.map { row in (0..<columns).map { index in index < row.count ? row[index] : "" } }
        let widths = (0..<columns).map { column in
            rendered.map { spans($0[column]).map(visibleLength).reduce(0, +) }.max() ?? 0
        }
        return rendered.enumerated().map { number, row in
            let line = row.enumerated().map { column, cell in
                let text = inline(cell)
                let visible = spans(cell).map(visibleLength).reduce(0, +)
                return column == columns - 1 ? text : text + String(repeating: " ", count: widths[column] - visible + 2)
            }.joined()
            return "  " + (number == 0 ? style.bold(line) : line)
        }
    }
}
