import Foundation
import Testing

/// What a new learner meets in a day: where to begin, the course in order, errors that say what
/// was wrong, answers shaped as AWS's, and nothing counted after the end.
@Suite(.serialized)
struct LearnerDayTests {
    static let quick = ["INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"]

    @Test func labListFollowsTheCourseAndSaysWhereToStart() throws {
        let result = try BinaryRunner().run(["-c", "lab list"], environment: Self.quick)
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let order = ["batch-end-to-end", "batch-spread-and-batch", "async-inference", "choose-the-option", "batch-at-scale", "inference-pipeline"]
        let rows = lines.filter { line in line.trimmingCharacters(in: .whitespaces).first?.isNumber == true }
        #expect(rows.count == 6)
        for (index, id) in order.enumerated() { #expect(rows[index].contains("\(index + 1)  \(id)"), "\(rows[index])") }
        #expect(rows[0].hasSuffix("← start here"))
        #expect(result.output.contains("Begin with `lab start batch-end-to-end`."))
        // Every title sits in its column, however long, with the progress after it.
        let progressColumn = rows.map { row in row.range(of: "not started").map { row.distance(from: row.startIndex, to: $0.lowerBound) } ?? -1 }
        #expect(Set(progressColumn).count == 1 && !progressColumn.contains(-1), "\(rows)")
    }

    @Test func aHintAfterTheEndIsNotCounted() throws {
        let runner = BinaryRunner()
        let labs = FileManager.default.temporaryDirectory.appendingPathComponent("labs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: labs, withIntermediateDirectories: true)
        let environment = Self.quick.merging(["INFERLAB_LABS_DIR": labs.path]) { $1 }
        let result = try runner.run([], input: """
            lab new my-lab
            lab start my-lab
            aws s3 mb s3://my-first-bucket
            lab hint
            lab grade --output json
            """, environment: environment)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("Lab complete!"))
        #expect(result.output.contains("The lab is finished: no hint needed"))
        #expect(result.output.contains("\"HintsUsed\": 0"))
        // The step text is rendered, plainly off a terminal: no raw heading or fence, the command indented.
        #expect(!result.output.contains("```") && !result.output.contains("# Make a bucket"))
        #expect(result.output.contains("\n    aws s3 mb s3://my-first-bucket\n"))
    }

    /// A typo in a log group is CloudWatch's ResourceNotFoundException with a non-zero exit, from
    /// the engine's Logs operations, never an empty success.
    @Test func logsTailOfAnUnknownGroupIsResourceNotFound() throws {
        let runner = BinaryRunner()
        for group in ["/aws/sagemaker/TransformJob", "/aws/sagemaker/Endpoints/nope"] {
            let result = try runner.run(["-c", "aws logs tail \(group)"], environment: Self.quick)
            #expect(result.status == 254, "\(group): \(result.status) \(result.output)")
            #expect(result.error.contains("ResourceNotFoundException"), "\(result.error)")
            #expect(result.error.contains("The specified log group does not exist."))
            #expect(result.output.isEmpty)
        }
    }

    /// A target-tracking policy answers the two CloudWatch alarms AWS makes for it; scaling to
    /// zero and back is logged once each, though the pool restarts when the target is registered.
    @Test func putScalingPolicyAnswersItsAlarmsAndEachScalingIsLoggedOnce() throws {
        let result = try BinaryRunner().run([], input: """
            aws s3 mb s3://loan-lab
            aws s3 cp datasets/models/xgboost/model.tar.gz s3://loan-lab/models/xgboost/model.tar.gz
            aws sagemaker create-model --model-name loan-xgb --primary-container Image=xgboost,ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz
            aws sagemaker create-endpoint-config --endpoint-config-name c --production-variants VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1 --async-inference-config 'OutputConfig={S3OutputPath=s3://loan-lab/out/}'
            aws sagemaker create-endpoint --endpoint-name loan-async --endpoint-config-name c
            aws sagemaker wait endpoint-in-service --endpoint-name loan-async
            aws application-autoscaling register-scalable-target --service-namespace sagemaker --resource-id endpoint/loan-async/variant/AllTraffic --scalable-dimension sagemaker:variant:DesiredInstanceCount --min-capacity 0 --max-capacity 2
            aws application-autoscaling put-scaling-policy --policy-name p --service-namespace sagemaker --resource-id endpoint/loan-async/variant/AllTraffic --scalable-dimension sagemaker:variant:DesiredInstanceCount --policy-type TargetTrackingScaling --target-tracking-scaling-policy-configuration 'TargetValue=5.0,ScaleInCooldown=1,CustomizedMetricSpecification={MetricName=ApproximateBacklogSizePerInstance,Namespace=AWS/SageMaker,Dimensions=[{Name=EndpointName,Value=loan-async}],Statistic=Average}'
            !sleep 1.5
            aws s3 cp datasets/loans/async/request-1.csv s3://loan-lab/in/request-1.csv
            aws sagemaker-runtime invoke-endpoint-async --endpoint-name loan-async --input-location s3://loan-lab/in/request-1.csv --content-type text/csv
            endpoint wait-drained loan-async
            aws logs tail /aws/sagemaker/Endpoints/loan-async
            """, environment: Self.quick.merging(["INFERLAB_SCALE_IN_SECONDS": "0.5"]) { $1 })
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.components(separatedBy: "scaled from 1 to 0").count == 2, "scaled in once: \(result.output)")
        #expect(result.output.components(separatedBy: "scaled from 0 to 1").count == 2, "scaled out once: \(result.output)")
        #expect(result.output.contains("\"AlarmName\": \"TargetTracking-endpoint/loan-async/variant/AllTraffic-AlarmHigh-"))
        #expect(result.output.contains("\"AlarmARN\": \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:TargetTracking-endpoint/loan-async/variant/AllTraffic-AlarmLow-"))
        #expect(!result.output.contains("\"Alarms\": []"))
    }
}
