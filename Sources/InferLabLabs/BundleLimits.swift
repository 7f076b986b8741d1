/// How much of a bundle `verify` is willing to read. A bundle made by `lab submit` is far inside
/// every limit (the largest lab's bundle is a few MiB in a few dozen files); a bundle over one
/// is flagged with the limit it broke and is not graded.
///
/// Sizes are counted while inflating, never taken from the zip's headers, and reading stops at
/// the limit, so what `verify` holds in memory stays within `bundleBytes` whatever arrives
/// (with the binary's own 36 MiB, a 16 MiB bundle of junk peaks near 55 MiB).
public struct BundleLimits: Sendable, Equatable {
    /// Uncompressed bytes of one file (the largest real one is a 200,000-row CSV of about 2.3 MiB).
    public var entryBytes: Int64 = 8 << 20
    /// Uncompressed bytes of all files together (the largest real bundle, `batch-spread-and-batch`
    /// solved, is 2.3 MiB in 16 files).
    public var bundleBytes: Int64 = 16 << 20
    /// `events.jsonl`: about 20,000 commands (a solved lab logs a few dozen, 11 KiB).
    public var logBytes: Int64 = 2 << 20
    /// Files in the bundle (a real one has fewer than 50).
    public var entries = 1_000
    /// Uncompressed bytes per compressed byte of a file, once it is past `ratioFloor` bytes
    /// (CSV and JSON deflate 3 to 20 times; a zip bomb over 1,000).
    public var compressionRatio: Int64 = 100
    public var ratioFloor: Int64 = 1 << 20
    /// The input a `predictions_match` check recomputes with the reference model (the largest
    /// in the labs is a 1,000-row CSV of 24 KiB); a larger one fails the check.
    public var predictionInputBytes: Int64 = 1 << 20
    /// `manifest.json` and `progress.json`.
    public var metadataBytes: Int64 = 1 << 20
    /// Characters of a student's name, a lab id, an entry's path.
    public var nameCharacters = 100
    public var pathCharacters = 1_024

    public init() {}

    public static let standard = BundleLimits()
}
