"""The async and real-time lessons with boto3 against the kit's endpoint: endpoint configs and
endpoints made over SageMaker's JSON protocol, the `endpoint_in_service` waiter,
`invoke_endpoint_async` with its result polled at OutputLocation, a malformed payload at
FailureLocation, and `invoke_endpoint` on a real-time endpoint, with ModelError for a bad body.
Prints one JSON object. CHECKOUT is the repository (for the sample model)."""
import json
import os
import time

import boto3
from botocore.exceptions import ClientError

s3 = boto3.client("s3")
sm = boto3.client("sagemaker")
runtime = boto3.client("sagemaker-runtime")
seen = {}

s3.create_bucket(Bucket="loan-lab")
s3.upload_file(os.path.join(os.environ["CHECKOUT"], "datasets/models/xgboost/model.tar.gz"), "loan-lab", "models/xgboost/model.tar.gz")
sm.create_model(ModelName="loan-xgb", PrimaryContainer={"Image": "xgboost", "ModelDataUrl": "s3://loan-lab/models/xgboost/model.tar.gz"},
                ExecutionRoleArn="arn:aws:iam::123456789012:role/SageMakerRole")
variant = [{"VariantName": "AllTraffic", "ModelName": "loan-xgb", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}]
sm.create_endpoint_config(EndpointConfigName="async-config", ProductionVariants=variant, AsyncInferenceConfig={
    "OutputConfig": {"S3OutputPath": "s3://loan-lab/async-output/", "S3FailurePath": "s3://loan-lab/async-failures/"}})
sm.create_endpoint_config(EndpointConfigName="rt-config", ProductionVariants=variant)
sm.create_endpoint(EndpointName="loan-async", EndpointConfigName="async-config")
sm.create_endpoint(EndpointName="loan-rt", EndpointConfigName="rt-config")
waiter = sm.get_waiter("endpoint_in_service")
for name in ("loan-async", "loan-rt"):
    waiter.wait(EndpointName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
seen["status"] = sm.describe_endpoint(EndpointName="loan-async")["EndpointStatus"]

s3.put_object(Bucket="loan-lab", Key="async-input/request-1.csv", Body=b"25,50000,2\n35,60000,3\n")
s3.put_object(Bucket="loan-lab", Key="async-input/bad.csv", Body=b"not,a,number\n")
answer = runtime.invoke_endpoint_async(EndpointName="loan-async", InputLocation="s3://loan-lab/async-input/request-1.csv",
                                       ContentType="text/csv")
bad = runtime.invoke_endpoint_async(EndpointName="loan-async", InputLocation="s3://loan-lab/async-input/bad.csv", ContentType="text/csv")
seen["async_status"] = answer["ResponseMetadata"]["HTTPStatusCode"]
seen["has_id"] = bool(answer.get("InferenceId"))


def wait_for(uri):
    bucket, key = uri[len("s3://"):].split("/", 1)
    s3.get_waiter("object_exists").wait(Bucket=bucket, Key=key, WaiterConfig={"Delay": 0.2, "MaxAttempts": 150})
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()


seen["async_scores"] = wait_for(answer["OutputLocation"]).split()
seen["failure"] = "number" in wait_for(bad["FailureLocation"])

realtime = runtime.invoke_endpoint(EndpointName="loan-rt", Body=b"25,50000,2\n35,60000,3\n", ContentType="text/csv", Accept="*/*")
seen["realtime_scores"] = realtime["Body"].read().decode().split()
seen["variant"] = realtime.get("InvokedProductionVariant")
try:
    runtime.invoke_endpoint(EndpointName="loan-rt", Body=b"not,a,number\n", ContentType="text/csv")
    seen["model_error"] = None
except ClientError as error:
    seen["model_error"] = [error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]]
try:
    runtime.invoke_endpoint(EndpointName="no-such-endpoint", Body=b"1\n", ContentType="text/csv")
    seen["missing"] = None
except ClientError as error:
    seen["missing"] = [error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]]

# Application Auto Scaling around the async variant, as the lesson's clean-up calls it.
scaling = boto3.client("application-autoscaling")
target = {"ServiceNamespace": "sagemaker", "ResourceId": "endpoint/loan-async/variant/AllTraffic",
          "ScalableDimension": "sagemaker:variant:DesiredInstanceCount"}
scaling.register_scalable_target(MinCapacity=0, MaxCapacity=2, **target)
put = scaling.put_scaling_policy(PolicyName="backlog", PolicyType="TargetTrackingScaling", **target,
                                 TargetTrackingScalingPolicyConfiguration={"TargetValue": 5.0, "CustomizedMetricSpecification": {
                                     "MetricName": "ApproximateBacklogSizePerInstance", "Namespace": "AWS/SageMaker",
                                     "Dimensions": [{"Name": "EndpointName", "Value": "loan-async"}], "Statistic": "Average"}})
policies = scaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"]
seen["policy_described"] = [p["PolicyARN"] == put["PolicyARN"] and p["PolicyName"] for p in policies]
scaling.delete_scaling_policy(PolicyName="backlog", **target)
scaling.deregister_scalable_target(**target)
seen["targets_left"] = len(scaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"])
try:
    scaling.deregister_scalable_target(**target)
    seen["deregister_again"] = None
except ClientError as error:
    seen["deregister_again"] = error.response["Error"]["Code"]
print(json.dumps(seen))
