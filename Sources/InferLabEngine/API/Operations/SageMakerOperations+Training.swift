import Foundation

/// Training jobs: each entry is a call to the engine's `SageMakerService`.
extension SageMakerOperations {
    static let training: [any AWSOperation.Type] = [
        CreateTrainingJob.self, DescribeTrainingJob.self, ListTrainingJobs.self, StopTrainingJob.self,
    ]

    public enum CreateTrainingJob: SageMakerOperation {
        public static func run(_ input: CreateTrainingJobInput, on engine: Engine) throws -> CreateTrainingJobOutput {
            try engine.sagemaker.createTrainingJob(input)
        }
    }
    public enum DescribeTrainingJob: SageMakerOperation {
        public static func run(_ input: DescribeTrainingJobInput, on engine: Engine) throws -> DescribeTrainingJobOutput {
            try engine.sagemaker.describeTrainingJob(input)
        }
    }
    public enum ListTrainingJobs: SageMakerOperation {
        public static func run(_ input: ListTrainingJobsInput, on engine: Engine) throws -> ListTrainingJobsOutput {
            try engine.sagemaker.listTrainingJobs(input)
        }
    }
    public enum StopTrainingJob: SageMakerOperation {
        public static func run(_ input: StopTrainingJobInput, on engine: Engine) throws -> EmptyOutput {
            try engine.sagemaker.stopTrainingJob(input)
            return EmptyOutput()
        }
    }
}
