import Foundation
import InferLabEngine

/// What `lab compare` measured, and how it prints: start-up, throughput and latency kept apart,
/// since each option wins on a different one.
struct CompareReport: Codable, Sendable {
    struct Row: Codable, Sendable {
        var option: String
        var records: Int
        /// Until the option could score its first record: a job's provisioning and start-up, an
        /// endpoint's Creating. Paid by every batch run, once by an endpoint.
        var startupSeconds: Double
        /// Scoring the records once running.
        var workSeconds: Double
        /// Records per second once running (records / workSeconds).
        var recordsPerSecond: Double
        /// Per record, from asking to having the answer (for batch: the job's creation to its end,
        /// which every record waits for).
        var latencyP50Ms: Double
        var latencyP99Ms: Double
        /// Billed instance-seconds (`Billing`): the job from start to end; an endpoint while it existed.
        var instanceSeconds: Double
        var estimatedCostUSD: String
        var note: String
    }

    var model: String
    var input: String
    var records: Int
    var instanceType: String
    var hourlyPriceUSD: String
    var pricingSource: String
    var pricingDate: String
    var rows: [Row]

    /// Percentile of sorted values (nearest rank).
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((Double(sorted.count) * fraction).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

    func print(to console: Console) {
        let style = console.style
        func fixed(_ value: Double, _ decimals: Int = 2) -> String { String(format: "%.\(decimals)f", value) }
        let columns: [(String, Int)] = [("OPTION", 20), ("RECORDS", 9), ("START-UP s", 12), ("WORK s", 9), ("REC/s", 11),
                                        ("P50 ms", 10), ("P99 ms", 10), ("INST-s", 9), ("COST", 10)]
        console.print(style.bold(columns.map { $0.0.padding(to: $0.1) }.joined()))
        for row in rows {
            let cells = [row.option, NumberText.grouped(row.records), fixed(row.startupSeconds), fixed(row.workSeconds, 3),
                         NumberText.grouped(Int(row.recordsPerSecond.rounded())), fixed(row.latencyP50Ms), fixed(row.latencyP99Ms),
                         fixed(row.instanceSeconds), row.estimatedCostUSD]
            console.print(zip(cells, columns).map { $0.padding(to: $1.1) }.joined())
        }
        console.print()
        chart("Throughput once running (records per second; higher is better):", rows.sorted { $0.recordsPerSecond > $1.recordsPerSecond },
              value: \.recordsPerSecond, label: { NumberText.grouped(Int($0.rounded())) }, console: console)
        console.print()
        chart("Latency per record, p50 (milliseconds; lower is better):", rows.sorted { $0.latencyP50Ms < $1.latencyP50Ms },
              value: \.latencyP50Ms, label: { fixed($0) }, console: console)
        console.print()
        console.print("Start-up is paid by every batch job and once by an endpoint, which then bills every second it stays up.")
        console.print(Self.wrap("Prices: \(instanceType) at \(hourlyPriceUSD) an hour, on-demand, retrieved \(pricingDate); source: \(pricingSource).",
                                width: 100))
    }

    private func chart(_ title: String, _ rows: [Row], value: KeyPath<Row, Double>, label: (Double) -> String, console: Console) {
        console.print(title)
        let best = rows.map { $0[keyPath: value] }.max() ?? 1
        for row in rows {
            let width = max(1, Int((row[keyPath: value] / max(best, 1e-9) * 40).rounded()))
            let bar = String(repeating: console.style.isDecorated ? "█" : "#", count: width)
            console.print("  " + row.option.padding(to: 20) + bar + " " + label(row[keyPath: value]))
        }
    }

    /// Words wrapped at `width`, continuation lines indented: nothing cut off.
    static func wrap(_ text: String, width: Int) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = "  "
            }
            line += (line.isEmpty || line == "  " ? "" : " ") + word
        }
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
