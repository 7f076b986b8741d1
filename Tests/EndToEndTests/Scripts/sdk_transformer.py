"""The advanced-inference lesson's SageMaker SDK code, unmodified, against the kit: a Transformer
on the learner's model, transform() and wait(). Every socket connect is recorded by an audit hook;
one off loopback fails the run (the SDK must not try to reach AWS). Prints one JSON object.

Usage: sdk_transformer.py [v2|v3] — v2 (the default) is `sagemaker.transformer.Transformer` of the
SageMaker Python SDK 2.x; v3 is the same class at `sagemaker.core.transformer` (SDK 3.x)."""
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

# After the hook: nothing may connect before it is in place.
if sys.argv[1:] == ["v3"]:
    from sagemaker.core.helper.session_helper import Session
    from sagemaker.core.transformer import Transformer
else:
    from sagemaker import Session
    from sagemaker.transformer import Transformer

sagemaker_session = Session()
default_bucket = sagemaker_session.default_bucket()
transformer = Transformer(model_name="loan-xgb", instance_count=1, instance_type="ml.m5.large",
                          output_path="s3://loan-lab/batch-output/", accept="text/csv")
transformer.transform(data="s3://loan-lab/batch-input/", content_type="text/csv", split_type="Line")
transformer.wait()
import boto3  # noqa: E402

job = transformer.latest_transform_job  # v2: a job with .name; v3: sagemaker.core's TransformJob
body = boto3.client("s3").get_object(Bucket="loan-lab", Key="batch-output/data.csv.out")["Body"].read().decode()
print(json.dumps({"default_bucket": default_bucket, "scores": body.split(), "off_loopback": reached,
                  "job": getattr(job, "name", None) or job.transform_job_name}))
