"""The lesson's boto3 code for an asynchronous endpoint: queue one request, then wait for its
answer at the OutputLocation the call returned. Run it from the shell with the kit's variables
already set:  !.venv/bin/python labs/async-inference/scripts/invoke_async.py [request-2.csv]"""
import sys

import boto3

request = sys.argv[1] if len(sys.argv) > 1 else "request-1.csv"
runtime = boto3.client("sagemaker-runtime")
s3 = boto3.client("s3")

response = runtime.invoke_endpoint_async(
    EndpointName="loan-async",
    InputLocation=f"s3://loan-lab/async-input/{request}",
    ContentType="text/csv",
)
print("InferenceId:   ", response["InferenceId"])
print("OutputLocation:", response["OutputLocation"])

bucket, key = response["OutputLocation"][len("s3://"):].split("/", 1)
s3.get_waiter("object_exists").wait(Bucket=bucket, Key=key, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
print(s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode(), end="")
