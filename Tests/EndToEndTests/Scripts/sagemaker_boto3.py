"""The batch lesson with boto3 against the kit's endpoint: upload, create_model, a transform job
and its waiter, the output read back; and SageMaker's errors through botocore's classes. Prints
one JSON object. Only `inferlab env`'s variables point it at the kit; CHECKOUT is the repository
(for the sample model)."""
import json
import os

import boto3
from botocore.exceptions import ClientError

s3 = boto3.client("s3")
sm = boto3.client("sagemaker")
seen = {}


def code_of(call):
    try:
        call()
    except ClientError as error:
        return [error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]]
    return None


s3.create_bucket(Bucket="loan-lab")
s3.upload_file(os.path.join(os.environ["CHECKOUT"], "datasets/models/xgboost/model.tar.gz"), "loan-lab", "models/xgboost/model.tar.gz")
s3.put_object(Bucket="loan-lab", Key="batch-input/data.csv", Body=b"25,50000,2\n35,60000,3\n45,45000,1\n")
sm.create_model(ModelName="loan-xgb", ExecutionRoleArn="arn:aws:iam::123456789012:role/SageMakerRole",
                PrimaryContainer={"Image": "xgboost", "ModelDataUrl": "s3://loan-lab/models/xgboost/model.tar.gz"})
seen["model"] = sm.describe_model(ModelName="loan-xgb")["ModelName"]
seen["models"] = [m["ModelName"] for m in sm.list_models()["Models"]]
sm.create_transform_job(
    TransformJobName="loan-batch-1", ModelName="loan-xgb",
    TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://loan-lab/batch-input/"}},
                    "ContentType": "text/csv", "SplitType": "Line"},
    TransformOutput={"S3OutputPath": "s3://loan-lab/batch-output/", "AssembleWith": "Line"},
    TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1})
sm.get_waiter("transform_job_completed_or_stopped").wait(TransformJobName="loan-batch-1", WaiterConfig={"Delay": 1, "MaxAttempts": 60})
job = sm.describe_transform_job(TransformJobName="loan-batch-1")
seen["status"] = job["TransformJobStatus"]
seen["times"] = job["TransformEndTime"] >= job["TransformStartTime"] >= job["CreationTime"]
seen["scores"] = s3.get_object(Bucket="loan-lab", Key="batch-output/data.csv.out")["Body"].read().decode().split()
# The job's log, as the SDK's transformer.wait() polls it: CloudWatch Logs' JSON protocol.
logs = boto3.client("logs")
streams = logs.describe_log_streams(logGroupName="/aws/sagemaker/TransformJobs", logStreamNamePrefix="loan-batch-1")["logStreams"]
seen["log_streams"] = [stream["logStreamName"].startswith("loan-batch-1/") for stream in streams]
events = logs.filter_log_events(logGroupName="/aws/sagemaker/TransformJobs", logStreamNamePrefix="loan-batch-1")["events"]
seen["log_events"] = len(events) > 0 and all(isinstance(event["timestamp"], int) for event in events)
seen["log_groups"] = [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/aws/sagemaker/")["logGroups"]]
first_stream = streams[0]["logStreamName"]
seen["get_log_events"] = len(logs.get_log_events(logGroupName="/aws/sagemaker/TransformJobs", logStreamName=first_stream,
                                                 startFromHead=True)["events"]) > 0
seen["typo_group"] = code_of(lambda: logs.filter_log_events(logGroupName="/aws/sagemaker/TransformJob"))
# Application Auto Scaling's JSON protocol on an endpoint variant's capacity.
scaling = boto3.client("application-autoscaling")
sm.create_endpoint_config(EndpointConfigName="async-config", ProductionVariants=[
    {"VariantName": "AllTraffic", "ModelName": "loan-xgb", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}],
    AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": "s3://loan-lab/async-output/"}})
sm.create_endpoint(EndpointName="loan-async", EndpointConfigName="async-config")
registered = scaling.register_scalable_target(ServiceNamespace="sagemaker", ResourceId="endpoint/loan-async/variant/AllTraffic",
                                              ScalableDimension="sagemaker:variant:DesiredInstanceCount", MinCapacity=0, MaxCapacity=2)
seen["scalable_arn"] = registered.get("ScalableTargetARN", "").startswith("arn:aws:application-autoscaling:")
targets = scaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
seen["targets"] = [(t["ResourceId"], t["MinCapacity"], t["MaxCapacity"]) for t in targets]
seen["missing_model"] = code_of(lambda: sm.describe_model(ModelName="no-such-model"))
seen["invalid"] = code_of(lambda: sm.create_model(ModelName="bad name!", PrimaryContainer={"Image": "xgboost"}))
seen["taken"] = code_of(lambda: sm.create_transform_job(
    TransformJobName="loan-batch-1", ModelName="loan-xgb",
    TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://loan-lab/batch-input/"}}},
    TransformOutput={"S3OutputPath": "s3://loan-lab/other/"}, TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1}))
wrong = boto3.client("sagemaker", aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="wrong")
seen["wrong_secret"] = code_of(lambda: wrong.list_models())
seen["unknown"] = code_of(lambda: sm.list_processing_jobs())
print(json.dumps(seen))
