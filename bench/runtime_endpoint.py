"""The SageMaker runtime benchmark (bench/README.md): the course's clients against `inferlab
serve` and against moto's server, side by side in one run.

- boto3 `invoke_endpoint` of the lesson's 3 rows, N times: p50/p99 as the client sees them, the
  kit's own time per request (its request log), and the difference: what boto3 (signing,
  serialising, parsing) and the loopback round trip cost;
- 1,000 boto3 `invoke_endpoint_async` calls, from the first call until the last output object
  exists (the kit runs the model on its queue; moto writes a canned object at once);
- the SageMaker SDK's `Transformer.transform()` of 1,000 rows until `wait()` returns (run by the
  course venv's python), with provisioning off.

moto answers without running any model (a canned body, an output written at call time, a job
"Completed" at once): its times are the floor of an HTTP round trip, not the same work.

Usage: python runtime_endpoint.py INFERLAB_BINARY COURSE_PYTHON  (env: CALLS=2000 ASYNC=1000 ROUNDS=3)
"""
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

from s3_endpoint import free_port, peak_rss_mib, start_moto, wait_for

CALLS = int(os.environ.get("CALLS", "2000"))
ASYNC = int(os.environ.get("ASYNC", "1000"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ROWS = b"25,50000,2\n35,60000,3\n45,45000,1\n"


def start_inferlab(binary, workspace):
    port = free_port()
    env = dict(os.environ, INFERLAB_PROVISIONING_SECONDS="0")
    process = subprocess.Popen([binary, "--workspace", workspace, "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wait_for(port)
    out = subprocess.run([binary, "--workspace", workspace, "env", "--port", str(port)], capture_output=True, text=True).stdout
    values = dict(line[len("export "):].split("=", 1) for line in out.splitlines() if line.startswith("export "))
    return process, {k: v.strip("'") for k, v in values.items()}


def clients(environment):
    settings = dict(endpoint_url=environment["AWS_ENDPOINT_URL"], aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
                    aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"], region_name="us-east-1",
                    config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=32))
    return boto3.client("s3", **settings), boto3.client("sagemaker", **settings), boto3.client("sagemaker-runtime", **settings)


def deploy(s3, sm):
    s3.create_bucket(Bucket="loan-lab")
    s3.upload_file(os.path.join(ROOT, "datasets/models/xgboost/model.tar.gz"), "loan-lab", "models/xgboost/model.tar.gz")
    s3.put_object(Bucket="loan-lab", Key="batch-input/data.csv", Body=b"".join([ROWS] * 334)[: 1000 * 11])
    sm.create_model(ModelName="loan-xgb", ExecutionRoleArn="arn:aws:iam::123456789012:role/SageMakerRole", PrimaryContainer={
        "Image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1", "ModelDataUrl": "s3://loan-lab/models/xgboost/model.tar.gz"})
    variant = [{"VariantName": "AllTraffic", "ModelName": "loan-xgb", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}]
    sm.create_endpoint_config(EndpointConfigName="rt", ProductionVariants=variant)
    sm.create_endpoint_config(EndpointConfigName="async", ProductionVariants=variant,
                              AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": "s3://loan-lab/async-output/"}})
    sm.create_endpoint(EndpointName="loan-rt", EndpointConfigName="rt")
    sm.create_endpoint(EndpointName="loan-async", EndpointConfigName="async")
    for name in ("loan-rt", "loan-async"):
        sm.get_waiter("endpoint_in_service").wait(EndpointName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
    for index in range(ASYNC):
        s3.put_object(Bucket="loan-lab", Key=f"async-input/{index}.csv", Body=ROWS)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def realtime(runtime):
    for _ in range(50):  # warm the connection pool and the model
        runtime.invoke_endpoint(EndpointName="loan-rt", Body=ROWS, ContentType="text/csv")
    times = []
    for _ in range(CALLS):
        start = time.perf_counter()
        answer = runtime.invoke_endpoint(EndpointName="loan-rt", Body=ROWS, ContentType="text/csv")
        answer["Body"].read()
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 0.5), percentile(times, 0.99)


def async_drain(s3, runtime):
    """Seconds from the first invoke_endpoint_async to the last output object."""
    start = time.perf_counter()
    locations = [runtime.invoke_endpoint_async(EndpointName="loan-async", InputLocation=f"s3://loan-lab/async-input/{index}.csv",
                                               ContentType="text/csv")["OutputLocation"] for index in range(ASYNC)]
    queued = time.perf_counter() - start
    for location in reversed(locations):  # the last queued is about the last answered
        bucket, key = location[len("s3://"):].split("/", 1)
        # HeadObject in a loop: a boto3 waiter per object would cost more than the kit's work.
        for _ in range(6000):
            try:
                s3.head_object(Bucket=bucket, Key=key)
                break
            except s3.exceptions.ClientError:
                time.sleep(0.01)
        else:
            raise SystemExit(f"no answer at {location}")
    elapsed = time.perf_counter() - start
    for location in locations[:: max(1, ASYNC // 20)]:  # spot-check the answers
        bucket, key = location[len("s3://"):].split("/", 1)
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read(), location
    return elapsed, queued


SDK_SCRIPT = """
import sys, time
from sagemaker import Session
from sagemaker.transformer import Transformer
start = time.perf_counter()
transformer = Transformer(model_name="loan-xgb", instance_count=1, instance_type="ml.m5.large",
                          output_path="s3://loan-lab/sdk-output/", accept="text/csv", sagemaker_session=Session())
transformer.transform(data="s3://loan-lab/batch-input/", content_type="text/csv", split_type="Line")
transformer.wait(logs=sys.argv[1] == "logs")
print(); print("SECONDS", time.perf_counter() - start)
"""


def sdk_transform(course_python, environment, logs):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(environment, SAGEMAKER_SUPPRESS_V2_WARNING="1", HOME=tempfile.gettempdir())
    out = subprocess.run([course_python, "-c", SDK_SCRIPT, "logs" if logs else "quiet"], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"the SDK's transform failed: {out.stderr[-1500:]}")
    return float(out.stdout.rsplit("SECONDS", 1)[1])


def kit_server_ms(workspace):
    """The kit's own time for its InvokeEndpoint calls, from its request log (p50, p99)."""
    with sqlite3.connect(f"file:{os.path.join(workspace, 'catalog.sqlite')}?mode=ro", uri=True) as db:
        times = [row[0] for row in db.execute("SELECT duration_ms FROM api_request WHERE operation = 'InvokeEndpoint'")]
    return percentile(times, 0.5), percentile(times, 0.99)


def main():
    binary, course_python = sys.argv[1], sys.argv[2]
    scratch = tempfile.mkdtemp(prefix="inferlab-runtime-bench-")
    rows = {}
    for name in ("inferlab", "moto"):
        workspace = os.path.join(scratch, "workspace")
        if name == "inferlab":
            process, environment = start_inferlab(binary, workspace)
        else:
            process, endpoint, key, secret = start_moto()
            environment = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret,
                           "AWS_DEFAULT_REGION": "us-east-1"}
            # The SDK config of the kit's workspace (a default bucket, no telemetry) serves moto too.
            environment["SAGEMAKER_USER_CONFIG_OVERRIDE"] = os.path.join(workspace + "-kit", ".inferlab", "sagemaker-config.yaml")
        try:
            s3, sm, runtime = clients(environment)
            deploy(s3, sm)
            result = {"p50": [], "p99": [], "async": [], "queued": [], "sdk": [], "sdk_logs": []}
            for _ in range(ROUNDS):
                p50, p99 = realtime(runtime)
                result["p50"].append(p50)
                result["p99"].append(p99)
                drained, queued = async_drain(s3, runtime)
                result["async"].append(drained)
                result["queued"].append(queued)
            result["sdk"].append(sdk_transform(course_python, environment, logs=False))
            result["sdk_logs"].append(sdk_transform(course_python, environment, logs=True))
            rows[name] = {k: statistics.median(v) for k, v in result.items()}
            rows[name]["rss"] = peak_rss_mib(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        if name == "inferlab":
            rows[name]["server_p50"], rows[name]["server_p99"] = kit_server_ms(workspace)
            os.rename(workspace, workspace + "-kit")
    kit, moto = rows["inferlab"], rows["moto"]
    print(f"\n{'Load':<46} {'InferLab':>10} {'moto':>10} {'ratio':>7}")
    for label, field, unit in (("invoke_endpoint p50", "p50", "ms"), ("invoke_endpoint p99", "p99", "ms"),
                               (f"{ASYNC} invoke_endpoint_async to last output", "async", "s"),
                               (f"  of which the {ASYNC} calls themselves", "queued", "s"),
                               ("SDK transform() to wait(logs=False), 1,000 rows", "sdk", "s"),
                               ("SDK transform() to wait() with logs", "sdk_logs", "s")):
        print(f"{label + ' (' + unit + ')':<46} {kit[field]:>10.3f} {moto[field]:>10.3f} {moto[field] / kit[field]:>6.1f}x")
    print(f"{'the kit server-side, p50 / p99 (ms)':<46} {kit['server_p50']:>10.3f} / {kit['server_p99']:.3f}")
    print(f"{'boto3 and the loopback round trip, p50 (ms)':<46} {kit['p50'] - kit['server_p50']:>10.3f}")
    print(f"{'peak RSS (MiB)':<46} {kit['rss']:>10.0f} {moto['rss']:>10.0f}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
