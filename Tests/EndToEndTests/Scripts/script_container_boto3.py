"""A learner's SKLearn inference script, deployed with boto3 against the kit's endpoint: a
model.tar.gz carrying code/inference.py (as the SDK repacks an SKLearnModel), a real-time
endpoint on the SKLearn image, `invoke_endpoint` (its answer holds the serving process's pid),
and a 2-container pipeline (the script as a preprocessor in front of the sample XGBoost model)
against XGBoost's own predictions. Prints one JSON object. CHECKOUT is the repository."""
import io
import json
import os
import tarfile
import time

import boto3
from botocore.exceptions import ClientError

SCRIPT = b'''
import os
import numpy as np
from sagemaker_containers.beta.framework import encoders, worker

def model_fn(model_dir):
    return open(os.path.join(model_dir, "columns.txt")).read().split()

def predict_fn(data, model):
    return np.atleast_2d(data)[:, 1:]

def output_fn(prediction, accept):
    if accept == "application/x-pid":
        return worker.Response(str(os.getpid()), mimetype=accept)
    return worker.Response(encoders.encode(prediction, accept), mimetype=accept)
'''

def artifact():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in (("code/inference.py", SCRIPT), ("columns.txt", b"age income credit\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()

s3 = boto3.client("s3")
sm = boto3.client("sagemaker")
runtime = boto3.client("sagemaker-runtime")
seen = {}
image = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
environment = {"SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
               "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv"}
s3.create_bucket(Bucket="loan-lab")
s3.put_object(Bucket="loan-lab", Key="models/prep/model.tar.gz", Body=artifact())
s3.upload_file(os.path.join(os.environ["CHECKOUT"], "datasets/models/xgboost/model.tar.gz"), "loan-lab", "models/xgboost/model.tar.gz")
role = "arn:aws:iam::123456789012:role/SageMakerRole"
sm.create_model(ModelName="prep", ExecutionRoleArn=role,
                PrimaryContainer={"Image": image, "ModelDataUrl": "s3://loan-lab/models/prep/model.tar.gz", "Environment": environment})
sm.create_model(ModelName="xgb", ExecutionRoleArn=role,
                PrimaryContainer={"Image": "xgboost", "ModelDataUrl": "s3://loan-lab/models/xgboost/model.tar.gz"})
sm.create_model(ModelName="pipe", ExecutionRoleArn=role, InferenceExecutionConfig={"Mode": "Serial"}, Containers=[
    {"Image": image, "ModelDataUrl": "s3://loan-lab/models/prep/model.tar.gz", "Environment": environment},
    {"Image": "xgboost", "ModelDataUrl": "s3://loan-lab/models/xgboost/model.tar.gz"}])
described = sm.describe_model(ModelName="pipe")
seen["containers"] = len(described.get("Containers", []))
seen["mode"] = described.get("InferenceExecutionConfig", {}).get("Mode")
for name in ("prep", "xgb", "pipe"):
    sm.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[
        {"VariantName": "AllTraffic", "ModelName": name, "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}])
    sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
for name in ("prep", "xgb", "pipe"):
    for _ in range(600):
        status = sm.describe_endpoint(EndpointName=name)["EndpointStatus"]
        if status != "Creating":
            break
        time.sleep(0.1)
    seen[name + "_status"] = status
    if status != "InService":
        seen[name + "_reason"] = sm.describe_endpoint(EndpointName=name).get("FailureReason")
if seen["prep_status"] != "InService" or seen["pipe_status"] != "InService":
    print(json.dumps(seen))
    raise SystemExit(1)

rows = b"101,25,50000,2\n102,35,60000,3\n"
answer = runtime.invoke_endpoint(EndpointName="prep", Body=rows, ContentType="text/csv", Accept="application/x-pid")
seen["pid"] = int(answer["Body"].read())
seen["preprocessed"] = runtime.invoke_endpoint(EndpointName="prep", Body=rows, ContentType="text/csv")["Body"].read().decode()
seen["pipeline"] = runtime.invoke_endpoint(EndpointName="pipe", Body=rows, ContentType="text/csv")["Body"].read().decode()
seen["own"] = runtime.invoke_endpoint(EndpointName="xgb", Body=b"25,50000,2\n35,60000,3\n", ContentType="text/csv")["Body"].read().decode()
try:
    runtime.invoke_endpoint(EndpointName="pipe", Body=b"1,2\n", ContentType="text/csv")
except ClientError as error:
    seen["error_code"] = error.response["Error"]["Code"]
    seen["error_message"] = error.response["Error"]["Message"]
print(json.dumps(seen))
