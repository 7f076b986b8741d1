import Foundation

// SageMaker's tagging shapes (AddTags, ListTags, DeleteTags), member for member as in the API.
// `Tag` itself is declared with the model shapes.

public struct AddTagsInput: Codable, Sendable, Equatable {
    public var resourceArn: String
    public var tags: [Tag]
}

public struct AddTagsOutput: Codable, Sendable, Equatable {
    public var tags: [Tag]
}

public struct ListTagsInput: Codable, Sendable, Equatable {
    public var resourceArn: String
    public var nextToken: String?
    public var maxResults: Int?
}

public struct ListTagsOutput: Codable, Sendable, Equatable {
    public var tags: [Tag]
    public var nextToken: String?
}

public struct DeleteTagsInput: Codable, Sendable, Equatable {
    public var resourceArn: String
    public var tagKeys: [String]
}
