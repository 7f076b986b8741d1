/// The registry of every command the shell offers.
public enum AllCommands {
    public static func registry() -> CommandRegistry {
        CommandRegistry(BuiltinCommands.all + S3Commands.all + S3APICommands.all + S3APIBucketCommands.all + S3APIMultipartCommands.all + ModelCommands.all + TagCommands.all + TransformCommands.all + TrainingJobCommands.all + EndpointCommands.all + RuntimeCommands.all + ScalingCommands.all + [S3Waiters.objectExists, LogsCommands.tail] + LogsAPICommands.all + DatasetCommands.all + [TarCommand.tar] + TrainCommands.all + LabCommands.all + [EnvironmentCommand.env, RequestsCommand.requests] + ConfigureCommands.all + [ConfigureCommands.getCallerIdentity])
    }
}
