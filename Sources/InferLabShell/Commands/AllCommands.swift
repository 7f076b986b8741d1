/// The registry of every command the shell offers.
public enum AllCommands {
    public static func registry() -> CommandRegistry {
        CommandRegistry(BuiltinCommands.all + S3Commands.all + S3APICommands.all + DatasetCommands.all)
    }
}
