/// What an InProgress transform job is doing, as `InferLabProgress.Phase` says it, and whether
/// it is billed (see `Billing`).
public enum TransformPhase {
    public static let provisioning = "Provisioning instances (not billed)"
    public static let starting = "Starting the container and loading the model (billed)"
    public static let transforming = "Transforming (billed)"
    public static let stopping = "Stopping"
}
