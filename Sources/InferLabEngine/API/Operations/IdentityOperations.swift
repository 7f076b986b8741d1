import Foundation

/// Who the caller is: STS GetCallerIdentity and IAM GetRole, for the workspace's one account. The
/// caller is the role a SageMaker notebook runs as (`SageMakerRole`, assumed), so the SageMaker
/// SDK's `get_execution_role()` finds a role, as it would on a notebook instance.
public enum IdentityOperations {
    public static let all: [any AWSOperation.Type] = [GetCallerIdentity.self, GetRole.self]

    /// The role learners' code runs as, and the session name it is assumed with.
    public static let roleName = "SageMakerRole"
    public static let sessionName = "inferlab"

    public enum GetCallerIdentity: AWSOperation {
        public static let service = AWSService.sts
        public static let name = "GetCallerIdentity"
        public static func run(_ input: EmptyOutput, on engine: Engine) throws -> CallerIdentity {
            let account = engine.sagemaker.configuration.account
            return CallerIdentity(userId: "AROA\(account)INFERLAB:\(sessionName)", account: account,
                                  arn: "arn:aws:sts::\(account):assumed-role/\(roleName)/\(sessionName)")
        }
    }

    /// Any role name answers (the kit has one account and checks no permissions); its ARN is the
    /// one to pass where the SDK wants a role.
    public enum GetRole: AWSOperation {
        public static let service = AWSService.iam
        public static let name = "GetRole"
        public static func run(_ input: GetRoleInput, on engine: Engine) throws -> RoleDescription {
            guard !input.roleName.isEmpty, input.roleName.count <= 64,
                  input.roleName.allSatisfy({ $0.isLetter || $0.isNumber || "+=,.@_-".contains($0) }) else {
                throw AWSError(code: "ValidationError", message: "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
                               operation: name)
            }
            let account = engine.sagemaker.configuration.account
            return RoleDescription(path: "/", roleName: input.roleName, roleId: "AROA\(account)INFERLAB",
                                   arn: "arn:aws:iam::\(account):role/\(input.roleName)", createDate: Date(timeIntervalSince1970: 1_767_225_600))
        }
    }
}

public struct CallerIdentity: Sendable, Equatable {
    public var userId: String
    public var account: String
    public var arn: String
}

public struct GetRoleInput: Sendable, Equatable {
    public var roleName: String
    public init(roleName: String) { self.roleName = roleName }
}

public struct RoleDescription: Sendable, Equatable {
    public var path: String
    public var roleName: String
    public var roleId: String
    public var arn: String
    public var createDate: Date
}
