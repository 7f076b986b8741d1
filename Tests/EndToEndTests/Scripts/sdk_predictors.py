"""The SageMaker Python SDK's Predictor and AsyncPredictor against endpoints made in the shell
(`loan-rt` real-time, `loan-async` asynchronous), and boto3's tagging calls on them. An audit hook
records every socket connect; one off loopback fails the run. Prints one JSON object."""
import json
import sys

reached = []


def audit(event, args):
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "localhost", "::1"):
            reached.append(host)


sys.addaudithook(audit)

import boto3  # noqa: E402  (after the hook)
from sagemaker.async_inference import WaiterConfig  # noqa: E402
from sagemaker.deserializers import StringDeserializer  # noqa: E402
from sagemaker.predictor import Predictor  # noqa: E402
from sagemaker.predictor_async import AsyncPredictor  # noqa: E402
from sagemaker.serializers import CSVSerializer  # noqa: E402

rows = "25,50000,2\n35,60000,3\n45,45000,1\n"  # the test's data.csv
seen = {}
predictor = Predictor("loan-rt", serializer=CSVSerializer(), deserializer=StringDeserializer())
seen["realtime"] = predictor.predict(rows).split()
seen["endpoint_context"] = predictor.endpoint_name

async_predictor = AsyncPredictor(Predictor("loan-async", serializer=CSVSerializer(), deserializer=StringDeserializer()))
# The SDK sends no ContentType to an async endpoint unless told (the XGBoost container would
# read the rows as libsvm), so AWS's examples pass it in initial_args.
csv = {"ContentType": "text/csv"}
response = async_predictor.predict_async(data=rows, initial_args=csv)
seen["output_path"] = response.output_path
seen["async"] = response.get_result(WaiterConfig(max_attempts=60, delay=0.5)).split()
# predict() waits itself, with an input already in S3 (as the lesson's boto3 code does).
seen["async_blocking"] = async_predictor.predict(input_path="s3://loan-lab/async-input/request-1.csv", initial_args=csv,
                                                 waiter_config=WaiterConfig(max_attempts=60, delay=0.5)).split()

sm = boto3.client("sagemaker")
arn = sm.describe_endpoint(EndpointName="loan-rt")["EndpointArn"]
sm.add_tags(ResourceArn=arn, Tags=[{"Key": "course", "Value": "async"}, {"Key": "lesson", "Value": "3"}])
sm.delete_tags(ResourceArn=arn, TagKeys=["lesson"])
seen["tags"] = sm.list_tags(ResourceArn=arn)["Tags"]
seen["off_loopback"] = reached
print(json.dumps(seen))
