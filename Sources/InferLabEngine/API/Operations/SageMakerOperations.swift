import Foundation

/// SageMaker's control plane: each entry is a call to the engine's `SageMakerService`.
public enum SageMakerOperations {
    public static let all: [any AWSOperation.Type] = [
        CreateModel.self, DescribeModel.self, ListModels.self, DeleteModel.self,
        CreateTransformJob.self, DescribeTransformJob.self, ListTransformJobs.self, StopTransformJob.self,
        CreateEndpointConfig.self, DescribeEndpointConfig.self, ListEndpointConfigs.self, DeleteEndpointConfig.self,
        CreateEndpoint.self, DescribeEndpoint.self, ListEndpoints.self, UpdateEndpoint.self, DeleteEndpoint.self,
        AddTags.self, ListTags.self, DeleteTags.self,
    ] + training

    public enum CreateModel: SageMakerOperation {
        public static func run(_ input: CreateModelInput, on engine: Engine) throws -> CreateModelOutput { try engine.sagemaker.createModel(input) }
    }
    public enum DescribeModel: SageMakerOperation {
        public static func run(_ input: DescribeModelInput, on engine: Engine) throws -> DescribeModelOutput { try engine.sagemaker.describeModel(input) }
    }
    public enum ListModels: SageMakerOperation {
        public static func run(_ input: ListModelsInput, on engine: Engine) throws -> ListModelsOutput { try engine.sagemaker.listModels(input) }
    }
    public enum DeleteModel: SageMakerOperation {
        public static func run(_ input: DeleteModelInput, on engine: Engine) throws -> EmptyOutput {
            try engine.sagemaker.deleteModel(input)
            return EmptyOutput()
        }
    }

    public enum CreateTransformJob: SageMakerOperation {
        public static func run(_ input: CreateTransformJobInput, on engine: Engine) throws -> CreateTransformJobOutput {
            try engine.sagemaker.createTransformJob(input)
        }
    }
    /// AWS's members only, as every client sees them: the kit's progress (`InferLabProgress`) is
    /// for the kit's own front-ends (`transform progress`, the waiter's line, lab checks), which ask
    /// `SageMakerService.describeTransformJob` for it.
    public enum DescribeTransformJob: SageMakerOperation {
        public static func run(_ input: DescribeTransformJobInput, on engine: Engine) throws -> DescribeTransformJobOutput {
            var job = try engine.sagemaker.describeTransformJob(input)
            job.inferLabProgress = nil
            return job
        }
    }
    public enum ListTransformJobs: SageMakerOperation {
        public static func run(_ input: ListTransformJobsInput, on engine: Engine) throws -> ListTransformJobsOutput {
            try engine.sagemaker.listTransformJobs(input)
        }
    }
    public enum StopTransformJob: SageMakerOperation {
        public static func run(_ input: StopTransformJobInput, on engine: Engine) throws -> EmptyOutput {
            try engine.sagemaker.stopTransformJob(input)
            return EmptyOutput()
        }
    }

    public enum CreateEndpointConfig: SageMakerOperation {
        public static func run(_ input: CreateEndpointConfigInput, on engine: Engine) throws -> CreateEndpointConfigOutput {
            try engine.sagemaker.createEndpointConfig(input)
        }
    }
    public enum DescribeEndpointConfig: SageMakerOperation {
        public static func run(_ input: DescribeEndpointConfigInput, on engine: Engine) throws -> DescribeEndpointConfigOutput {
            try engine.sagemaker.describeEndpointConfig(input)
        }
    }
    public enum ListEndpointConfigs: SageMakerOperation {
        public static func run(_ input: ListEndpointConfigsInput, on engine: Engine) throws -> ListEndpointConfigsOutput {
            try engine.sagemaker.listEndpointConfigs(input)
        }
    }
    public enum DeleteEndpointConfig: SageMakerOperation {
        public static func run(_ input: DeleteEndpointConfigInput, on engine: Engine) throws -> EmptyOutput {
            try engine.sagemaker.deleteEndpointConfig(input)
            return EmptyOutput()
        }
    }

    public enum CreateEndpoint: SageMakerOperation {
        public static func run(_ input: CreateEndpointInput, on engine: Engine) throws -> CreateEndpointOutput { try engine.sagemaker.createEndpoint(input) }
    }
    public enum DescribeEndpoint: SageMakerOperation {
        public static func run(_ input: DescribeEndpointInput, on engine: Engine) throws -> DescribeEndpointOutput { try engine.sagemaker.describeEndpoint(input) }
    }
    public enum ListEndpoints: SageMakerOperation {
        public static func run(_ input: ListEndpointsInput, on engine: Engine) throws -> ListEndpointsOutput { try engine.sagemaker.listEndpoints(input) }
    }
    public enum UpdateEndpoint: SageMakerOperation {
        public static func run(_ input: UpdateEndpointInput, on engine: Engine) throws -> UpdateEndpointOutput { try engine.sagemaker.updateEndpoint(input) }
    }
    public enum DeleteEndpoint: SageMakerOperation {
        public static func run(_ input: DeleteEndpointInput, on engine: Engine) throws -> EmptyOutput {
            try engine.sagemaker.deleteEndpoint(input)
            return EmptyOutput()
        }
    }

    public enum AddTags: SageMakerOperation {
        public static func run(_ input: AddTagsInput, on engine: Engine) throws -> AddTagsOutput { try engine.sagemaker.addTags(input) }
    }
    public enum ListTags: SageMakerOperation {
        public static func run(_ input: ListTagsInput, on engine: Engine) throws -> ListTagsOutput { try engine.sagemaker.listTags(input) }
    }
    public enum DeleteTags: SageMakerOperation {
        public static func run(_ input: DeleteTagsInput, on engine: Engine) throws -> EmptyOutput {
            try engine.sagemaker.deleteTags(input)
            return EmptyOutput()
        }
    }
}

/// An entry of SageMaker's control plane: the name is the type's.
public protocol SageMakerOperation: JSONOperation {}

extension SageMakerOperation {
    public static var service: AWSService { .sagemaker }
    public static var name: String { String(describing: Self.self) }
}
