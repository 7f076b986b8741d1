import Foundation

/// AWS's billing for what the kit runs, in one place (the reference's §8): per second, per
/// instance, at the instance type's on-demand price (`Pricing`).
///
/// - A transform job is billed per instance from `TransformStartTime` (its instances have started)
///   to `TransformEndTime`. Acquiring the instances comes before `TransformStartTime` and is not
///   billed; starting the container and loading the model happen on the instances, after it, and
///   are. Seconds when no instance ran (its process died, until another took the job up) are not.
/// - A training job is billed from `TrainingStartTime` (after its instances were acquired, while
///   it downloads its input, pulls the image, trains and uploads) to `TrainingEndTime`, in whole
///   seconds (`BillableTimeInSeconds`; times the instance count for the compute billed).
/// - An endpoint is billed per instance for as long as it has instances, idle or busy; an async
///   endpoint scaled to zero costs nothing.
public enum Billing {
    /// Billable instance-seconds of a transform job; nothing before it has started.
    public static func transformInstanceSeconds(instances: Int, start: Date?, end: Date?, now: Date, unbilled: Double = 0) -> Double {
        guard let start else { return 0 }
        return max(0, (end ?? now).timeIntervalSince(start) - unbilled) * Double(instances)
    }

    /// A training job's TrainingTimeInSeconds and BillableTimeInSeconds (one instance, on demand:
    /// the same), TrainingStartTime to TrainingEndTime in whole seconds, at least 1, less the
    /// seconds no instance ran; nil before the job has started.
    public static func trainingSeconds(start: Date?, end: Date?, unbilled: Double = 0) -> Int? {
        guard let start, let end else { return nil }
        return max(1, Int((end.timeIntervalSince(start) - unbilled).rounded()))
    }

    /// Billable instance-seconds of an endpoint's instances over an interval.
    public static func endpointInstanceSeconds(instances: Int, from: Date, to: Date) -> Double {
        max(0, to.timeIntervalSince(from)) * Double(instances)
    }

    /// The estimated cost in USD; nil when the instance type has no known price.
    public static func cost(instanceType: String, instanceSeconds: Double, pricing: Pricing = .standard) -> Double? {
        pricing.hourly[instanceType].map { instanceSeconds / 3600 * $0 }
    }

    /// An amount of money as a learner reads it: `$0.000092`, `$0.0123`, `$84.00`. Small sums
    /// keep enough decimals to be seen (a few seconds of an ml.m5.large are fractions of a cent).
    public static func money(_ usd: Double) -> String {
        let amount = max(0, usd)
        if amount == 0 { return "$0.00" }
        if amount >= 1 { return "$" + String(format: "%.2f", amount) }
        if amount >= 0.01 { return "$" + String(format: "%.4f", amount) }
        return "$" + String(format: "%.6f", amount)
    }
}
