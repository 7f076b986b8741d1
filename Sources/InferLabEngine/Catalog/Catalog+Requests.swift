import Foundation
import GRDB

/// One call to the local AWS endpoint, as the request log keeps it.
public struct APIRequestRecord: Sendable, Equatable {
    public var time: Date
    /// From the User-Agent: `Boto3/1.43.11`, `aws-cli/1.45.11`, `sagemaker-python-sdk/2.257.7`.
    public var client: String
    public var service: String
    public var operation: String
    public var status: Int
    public var durationMilliseconds: Double
    public var errorCode: String?
    /// `/bucket/key`, an endpoint's name…: what the call was about.
    public var resource: String

    public init(time: Date, client: String, service: String, operation: String, status: Int,
                durationMilliseconds: Double, errorCode: String?, resource: String) {
        (self.time, self.client, self.service, self.operation) = (time, client, service, operation)
        (self.status, self.durationMilliseconds, self.errorCode, self.resource) = (status, durationMilliseconds, errorCode, resource)
    }

    /// `sagemaker-runtime.InvokeEndpointAsync Boto3/1.43.11`: what lab checks match.
    public var summary: String { "\(service).\(operation) \(client)" }

    /// The client named by a User-Agent header: the SageMaker SDK by its own token, else the
    /// first product token (`Boto3/1.43.11 md/Botocore#…` → `Boto3/1.43.11`).
    public static func client(fromUserAgent agent: String?) -> String {
        guard let agent, !agent.isEmpty else { return "unknown" }
        let tokens = agent.split(separator: " ")
        if let sdk = tokens.first(where: { $0.lowercased().contains("sagemaker-python-sdk") }) {
            return String(sdk.split(separator: "#").last.map { "sagemaker-python-sdk/\($0)" } ?? sdk)
        }
        return String(tokens.first ?? "unknown")
    }
}

extension Catalog {
    /// Appends calls to the request log in one transaction.
    public func appendRequests(_ records: [APIRequestRecord]) throws {
        guard !records.isEmpty else { return }
        try writer.write { db in
            for record in records {
                try db.execute(
                    sql: "INSERT INTO api_request (time, client, service, operation, status, duration_ms, error_code, resource) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [record.time.timeIntervalSince1970, record.client, record.service, record.operation, record.status,
                                record.durationMilliseconds, record.errorCode, record.resource])
            }
        }
    }

    /// The latest calls, oldest first; only failed ones (status 400 and up) with `errorsOnly`.
    public func recentRequests(limit: Int = 20, errorsOnly: Bool = false) throws -> [APIRequestRecord] {
        try writer.read { db in
            let filter = errorsOnly ? "WHERE status >= 400" : ""
            return try Row.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM api_request \(filter) ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [limit])
                .map { row in
                    APIRequestRecord(time: Date(timeIntervalSince1970: row["time"]), client: row["client"], service: row["service"],
                                     operation: row["operation"], status: row["status"], durationMilliseconds: row["duration_ms"],
                                     errorCode: row["error_code"], resource: row["resource"])
                }
        }
    }
}
