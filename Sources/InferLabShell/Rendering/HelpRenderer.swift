/// Renders help from command declarations: the overview, a group, one command, the README reference.
public struct HelpRenderer: Sendable {
    public let style: Style

    public init(style: Style) {
        self.style = style
    }

    /// `aws s3 cp SOURCE DESTINATION [--recursive] [--content-type VALUE]`
    public static func synopsis(of spec: CommandSpec) -> String {
        var parts = [spec.displayName]
        for argument in spec.arguments {
            let name = argument.isVariadic ? "\(argument.name)..." : argument.name
            parts.append(argument.isOptional ? "[\(name)]" : name)
        }
        for option in spec.options {
            parts.append(option.isRequired ? option.synopsis : "[\(option.synopsis)]")
        }
        return parts.joined(separator: " ")
    }

    /// Every visible command, by family.
    public func printOverview(_ registry: CommandRegistry, to console: Console) {
        console.print(style.bold("InferLab commands") + " — the leading `aws` is optional.")
        for family in CommandSpec.Family.allCases {
            let members = registry.commands.filter { $0.family == family && !$0.isHidden }
            guard !members.isEmpty else { continue }
            console.print()
            console.print(style.bold(family.title))
            printTable(members, to: console)
        }
        console.print()
        console.print("`help COMMAND` or `COMMAND --help` explains one command, e.g. `help s3 cp`.")
    }

    public func printGroup(prefix: [String], members: [CommandSpec], to console: Console) {
        let name = (members.first?.family.isAWS ?? false ? ["aws"] : []) + CommandRegistry.droppingAWS(prefix)
        console.print(style.bold(name.joined(separator: " ")) + " has these commands:")
        printTable(members.filter { !$0.isHidden }, to: console)
    }

    private func printTable(_ members: [CommandSpec], to console: Console) {
        let width = min(40, (members.map { $0.displayName.count }.max() ?? 0) + 2)
        for spec in members {
            console.print("  " + spec.displayName.padding(to: width) + spec.summary)
        }
    }

    public func printCommand(_ spec: CommandSpec, to console: Console) {
        console.print(style.bold(spec.displayName) + " — " + spec.summary)
        if !spec.family.isAWS { console.print(style.dim("(an InferLab command; there is no AWS equivalent)")) }
        console.print()
        console.print("Usage: " + Self.synopsis(of: spec))
        if !spec.discussion.isEmpty {
            console.print()
            console.print(spec.discussion)
        }
        if !spec.arguments.isEmpty {
            console.print()
            console.print(style.bold("Arguments"))
            for argument in spec.arguments {
                console.print("  " + argument.name.padding(to: 26) + argument.help)
            }
        }
        if !spec.options.isEmpty {
            console.print()
            console.print(style.bold("Options"))
            for option in spec.options {
                let required = option.isRequired ? " (required)" : ""
                console.print("  " + option.synopsis.padding(to: 26) + option.help + required)
            }
        }
        if spec.family.isAWS {
            console.print()
            console.print(style.bold("Global options") + " (any AWS command, before or after the service)")
            for (name, takesValue, help) in GlobalOptions.declarations.prefix(4) {
                console.print("  " + ("--" + name + (takesValue ? " VALUE" : "")).padding(to: 26) + help)
            }
            console.print("  also " + GlobalOptions.declarations.dropFirst(4).map { "--" + $0.name }.joined(separator: ", ")
                          + " (README: \"The AWS CLI's global options\")")
        }
        if !spec.examples.isEmpty {
            console.print()
            console.print(style.bold("Examples"))
            for example in spec.examples { console.print("  " + example) }
        }
    }

    /// The command reference in Markdown, for README.md (`make docs` regenerates it).
    public static func markdownReference(_ registry: CommandRegistry) -> String {
        var lines: [String] = []
        for family in CommandSpec.Family.allCases {
            let members = registry.commands.filter { $0.family == family && !$0.isHidden }
            guard !members.isEmpty else { continue }
            lines.append("#### \(family.title)")
            lines.append("")
            lines.append("| Command | What it does |")
            lines.append("| --- | --- |")
            for spec in members {
                lines.append("| `\(synopsis(of: spec).replacingPipes)` | \(spec.summary.replacingPipes) |")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    fileprivate var replacingPipes: String {
        split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}
