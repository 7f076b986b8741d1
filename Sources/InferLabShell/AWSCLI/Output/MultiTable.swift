import InferLabEngine

/// awscli's `MultiTable` and `Section` (table.py): sections of rows drawn with `|`, `+` and
/// `-`, every section scaled to the widest one.
struct MultiTable {
    struct Section {
        var title = ""
        var headers: [String] = []
        var rows: [[String]] = []
        var indent = 0
        var maxWidths: [Int] = []

        mutating func addHeader(_ headers: [String]) {
            updateWidths(headers)
            self.headers = headers
        }

        mutating func addRow(_ row: [String]) {
            rows.append(row)
            updateWidths(row)
        }

        private mutating func updateWidths(_ row: [String]) {
            if maxWidths.isEmpty {
                maxWidths = row.map(EastAsianWidth.length)
            } else {
                for (index, element) in row.enumerated() where index < maxWidths.count {
                    maxWidths[index] = max(EastAsianWidth.length(element), maxWidths[index])
                }
            }
        }

        /// Column widths scaled so that they add up to `maxWidth`, rounding as Python's
        /// `round` does (half to even), then corrected one column at a time.
        func columnWidths(padding: Int, maxWidth: Int? = nil) -> [Int] {
            let unscaled = maxWidths.map { $0 + padding }
            guard let maxWidth, !unscaled.isEmpty else { return unscaled }
            let factor = Double(maxWidth) / Double(unscaled.reduce(0, +))
            var scaled = unscaled.map { Int((factor * Double($0)).rounded(.toNearestOrEven)) }
            var offBy = scaled.reduce(0, +) - maxWidth
            while offBy != 0 {
                let order = offBy < 0 ? Array(scaled.indices.reversed()) : Array(scaled.indices)
                for index in order {
                    if offBy > 0 {
                        scaled[index] -= 1
                        offBy -= 1
                    } else {
                        scaled[index] += 1
                        offBy += 1
                    }
                    if offBy == 0 { break }
                }
            }
            return scaled
        }

        func totalWidth(padding: Int, outerPadding: Int) -> Int {
            let columns = columnWidths(padding: 0).reduce(0) { $0 + $1 + padding } + 2 + 2 * outerPadding
            return max(EastAsianWidth.length(title) + 2 + 2 * outerPadding, columns)
        }
    }

    var terminalWidth: Int
    var colorized: Bool
    private(set) var sections: [Section] = []

    init(terminalWidth: Int, colorized: Bool) {
        self.terminalWidth = terminalWidth
        self.colorized = colorized
    }

    mutating func newSection(_ title: String, indent: Int) {
        sections.append(Section(title: title, indent: indent))
    }

    mutating func addHeader(_ headers: [String]) { sections[sections.count - 1].addHeader(headers) }
    mutating func addRow(_ values: [JSONValue]) { sections[sections.count - 1].addRow(values.map(PythonText.str)) }

    func render() -> String {
        var sections = self.sections
        var maxWidth = Self.maxWidth(sections)
        if maxWidth > terminalWidth {
            // Too wide for the terminal: single-row sections become header–value rows.
            for index in sections.indices where sections[index].rows.count == 1 && !sections[index].headers.isEmpty {
                let old = sections[index]
                var vertical = Section(title: old.title, indent: old.indent)
                for (header, element) in zip(old.headers, old.rows[0]) { vertical.addRow([header, element]) }
                sections[index] = vertical
            }
            maxWidth = Self.maxWidth(sections)
        }
        var out = String(repeating: "-", count: maxWidth) + "\n"
        for section in sections { render(section, maxWidth: maxWidth, to: &out) }
        return out
    }

    private static func maxWidth(_ sections: [Section]) -> Int {
        sections.map { $0.totalWidth(padding: 4, outerPadding: $0.indent) }.max() ?? 0
    }

    private func indentation(_ text: String) -> String {
        colorized ? "\u{1B}[2m\u{1B}[33m\(text)\u{1B}[0m" : text
    }

    private func styledElement(_ text: String) -> String {
        colorized ? "\u{1B}[1m\u{1B}[34m\(text)\u{1B}[0m" : text
    }

    /// awscli's IndentedStream: each line framed by one `|` per indent level on both sides.
    private func render(_ section: Section, maxWidth: Int, to out: inout String) {
        let edge = String(repeating: indentation("|"), count: section.indent)
        func line(_ text: String) { out += edge + text + edge + "\n" }
        let width = maxWidth - section.indent * 2
        if !section.title.isEmpty {
            line(Self.center(section.title, length: width, textLength: EastAsianWidth.length(section.title)))
            if section.headers.isEmpty && section.rows.isEmpty { line("+" + String(repeating: "-", count: width - 2) + "+") }
        }
        if !section.headers.isEmpty {
            let widths = section.columnWidths(padding: 4, maxWidth: width)
            var current = ""
            for (index, (columnWidth, header)) in zip(widths, section.headers).enumerated() {
                current += Self.center(header, length: columnWidth, leftEdge: index == 0 ? "|" : "", textLength: EastAsianWidth.length(header))
            }
            line(Self.lineBreak(widths))
            line(current)
        }
        guard !section.rows.isEmpty else { return }
        let widths = section.columnWidths(padding: 4, maxWidth: width)
        guard !widths.isEmpty else { return }
        line(Self.lineBreak(widths))
        for row in section.rows {
            var current = ""
            for (index, (columnWidth, element)) in zip(widths, row).enumerated() {
                current += Self.alignLeft(styledElement(element), length: columnWidth, leftEdge: index == 0 ? "|" : "",
                                          textLength: EastAsianWidth.length(element))
            }
            line(current)
        }
        line(Self.lineBreak(widths))
    }

    private static func lineBreak(_ widths: [Int]) -> String {
        widths.enumerated().map { index, width in
            index == 0 ? "+" + String(repeating: "-", count: max(0, width - 2)) + "+" : String(repeating: "-", count: max(0, width - 1)) + "+"
        }.joined()
    }

    /// table.py's `center_text` (Python's `//` floors; negative repeats are empty).
    static func center(_ text: String, length: Int, leftEdge: String = "|", rightEdge: String = "|", textLength: Int) -> String {
        let start = floorDivide(length, 2) - floorDivide(textLength, 2) - 1
        let soFar = EastAsianWidth.length(leftEdge) + start + textLength
        let right = length - EastAsianWidth.length(rightEdge) - soFar
        return leftEdge + spaces(start) + text + spaces(right) + rightEdge
    }

    /// table.py's `align_left`, two spaces of padding when they fit.
    static func alignLeft(_ text: String, length: Int, leftEdge: String, rightEdge: String = "|", textLength: Int) -> String {
        let computed = textLength + 2 + EastAsianWidth.length(leftEdge) + EastAsianWidth.length(rightEdge)
        let padding = length - computed >= 0 ? 2 : 0
        let soFar = leftEdge.count + padding + textLength
        return leftEdge + spaces(padding) + text + spaces(length - soFar - rightEdge.count) + rightEdge
    }

    private static func spaces(_ count: Int) -> String { String(repeating: " ", count: max(0, count)) }
    private static func floorDivide(_ a: Int, _ b: Int) -> Int { Int((Double(a) / Double(b)).rounded(.down)) }
}
