import ArgumentParser
import Foundation
import InferLabShell

/// `inferlab [--workspace DIR] [--plain] [--keep-going] [-c COMMAND | COMMAND...]`
struct Arguments: ParsableArguments {
    static let configuration = CommandConfiguration(commandName: "inferlab")

    @Option(help: "The workspace folder (default: $INFERLAB_WORKSPACE, else ./workspace).")
    var workspace: String?

    @Flag(help: "No colour and no decoration (also: NO_COLOR, TERM=dumb).")
    var plain = false

    @Flag(help: "Script mode: run the remaining lines after a failing command.")
    var keepGoing = false

    @Option(name: .customShort("c"), help: "Run one command line and exit with its status.")
    var command: String?

    @Argument(parsing: .captureForPassthrough, help: "A command to run instead of the shell, e.g. `lab list`.")
    var words: [String] = []
}

@main
enum Main {
    // An async main runs on the main thread, where the line editor must read.
    static func main() async {
        let arguments = Arguments.parseOrExit()
        var options = Launcher.Options()
        options.workspace = arguments.workspace
        options.plain = arguments.plain
        options.keepGoing = arguments.keepGoing
        options.commandLine = arguments.command
        options.commandWords = arguments.words
        let status = await Launcher(options: options).run()
        exit(status)
    }
}
