import Foundation

/// On-demand hourly prices per instance type, from `Resources/pricing.json` (which records its
/// source and date). `Billing` applies them.
public struct Pricing: Sendable {
    public let hourly: [String: Double]
    public let source: String
    public let retrieved: String

    private struct File: Decodable {
        var source: String
        var retrieved: String
        var hourly: [String: Double]
    }

    public static let standard: Pricing = {
        guard let url = Bundle.module.url(forResource: "pricing", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let file = try? JSONDecoder().decode(File.self, from: data) else {
            return Pricing(hourly: [:], source: "pricing.json is missing", retrieved: "")
        }
        return Pricing(hourly: file.hourly, source: file.source, retrieved: file.retrieved)
    }()
}
