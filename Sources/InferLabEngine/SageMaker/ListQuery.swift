import Foundation

/// What the SageMaker List* operations filter and sort on. A resource without a status or a
/// last-modified time (models, endpoint configs) leaves those nil and is never filtered by them.
protocol ListedResource {
    var name: String { get }
    var creationTime: Date { get }
    var listedStatus: String? { get }
    var listedLastModifiedTime: Date? { get }
}

extension ListedResource {
    var listedStatus: String? { nil }
    var listedLastModifiedTime: Date? { nil }
}

extension ModelRecord: ListedResource {}
extension EndpointConfigRecord: ListedResource {}
extension TransformJobRecord: ListedResource {
    var listedStatus: String? { status }
    var listedLastModifiedTime: Date? { lastModifiedTime }
}
extension EndpointRecord: ListedResource {
    var listedStatus: String? { status }
    var listedLastModifiedTime: Date? { lastModifiedTime }
}

/// One List* request: the filters, the sort, then the page — filters before pagination, as AWS
/// does (moto gets this the other way round). The request's generated `validate` checks it first.
struct ListQuery {
    var nameContains: String?
    var creationTimeBefore: Date?
    var creationTimeAfter: Date?
    var lastModifiedTimeBefore: Date?
    var lastModifiedTimeAfter: Date?
    var statusEquals: String?
    var sortBy: String?
    var sortOrder: String?
    var maxResults: Int?
    var nextToken: String?

    init(nameContains: String? = nil, creationTimeBefore: Date? = nil, creationTimeAfter: Date? = nil,
         lastModifiedTimeBefore: Date? = nil, lastModifiedTimeAfter: Date? = nil, statusEquals: String? = nil,
         sortBy: String?, sortOrder: String?, maxResults: Int?, nextToken: String?) {
        self.nameContains = nameContains
        self.creationTimeBefore = creationTimeBefore
        self.creationTimeAfter = creationTimeAfter
        self.lastModifiedTimeBefore = lastModifiedTimeBefore
        self.lastModifiedTimeAfter = lastModifiedTimeAfter
        self.statusEquals = statusEquals
        self.sortBy = sortBy
        self.sortOrder = sortOrder
        self.maxResults = maxResults
        self.nextToken = nextToken
    }

    init(_ input: ListEndpointsInput) {
        self.init(nameContains: input.nameContains, creationTimeBefore: input.creationTimeBefore, creationTimeAfter: input.creationTimeAfter,
                  lastModifiedTimeBefore: input.lastModifiedTimeBefore, lastModifiedTimeAfter: input.lastModifiedTimeAfter,
                  statusEquals: input.statusEquals, sortBy: input.sortBy, sortOrder: input.sortOrder,
                  maxResults: input.maxResults, nextToken: input.nextToken)
    }

    /// The operation's name. Its SortBy, StatusEquals and MaxResults values are checked before, by
    /// the request's generated `validate` (AWS's enums and bounds).
    struct Operation {
        var name: String
        /// MaxResults when the request has none.
        var defaultMaxResults: Int
    }

    func run<Resource: ListedResource>(_ operation: Operation, over resources: () throws -> [Resource]) throws -> ([Resource], String?) {
        var found = try resources().filter(matches)
        switch sortBy ?? "CreationTime" {
        case "Name": found.sort { $0.name < $1.name }
        case "Status": found.sort { ($0.listedStatus ?? "", $0.creationTime) < ($1.listedStatus ?? "", $1.creationTime) }
        default: found.sort { ($0.creationTime, $0.name) < ($1.creationTime, $1.name) }
        }
        if (sortOrder ?? "Descending") == "Descending" { found.reverse() }
        return try Self.page(found, nextToken: nextToken, maxResults: maxResults ?? operation.defaultMaxResults, operation: operation.name)
    }

    private func matches(_ resource: some ListedResource) -> Bool {
        func within(_ date: Date?, before: Date?, after: Date?) -> Bool {
            guard let date else { return true }
            return (before.map { date < $0 } ?? true) && (after.map { date > $0 } ?? true)
        }
        return (nameContains.map { resource.name.localizedCaseInsensitiveContains($0) } ?? true)
            && (statusEquals.map { resource.listedStatus == nil || resource.listedStatus == $0 } ?? true)
            && within(resource.creationTime, before: creationTimeBefore, after: creationTimeAfter)
            && within(resource.listedLastModifiedTime, before: lastModifiedTimeBefore, after: lastModifiedTimeAfter)
    }

    /// Opaque pagination: the token is the offset of the next item.
    static func page<T>(_ items: [T], nextToken: String?, maxResults: Int, operation: String) throws -> ([T], String?) {
        var start = 0
        if let nextToken {
            guard let offset = Int(nextToken), offset >= 0, offset <= items.count else {
                throw AWSError.validation("Invalid pagination token: \(nextToken)", operation: operation)
            }
            start = offset
        }
        let end = min(items.count, start + maxResults)
        return (Array(items[start..<end]), end < items.count ? String(end) : nil)
    }
}
