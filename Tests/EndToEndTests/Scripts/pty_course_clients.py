"""The course's three kinds of client code against the shell's own endpoint, typed at a real
pseudo-terminal as `!COMMAND`: the boto3 async and real-time lesson (runtime_boto3.py), the SDK's
Transformer lesson (sdk_transformer.py) and the aws CLI's create-transform-job, wait and
invoke-endpoint-async. The SDK's predictions must equal the shell's `predict`.

Usage: pty_course_clients.py BINARY WORKSPACE PORT VENV_BIN CHECKOUT
"""
import json
import os
import re
import sys
import tempfile

import pexpect

binary, workspace, port, venv_bin, checkout = sys.argv[1:6]
PROMPT = r"inferlab(\x1b\[0m)?( \[[^\]]*\])?> "
ENV = {"TERM": "xterm", "PATH": f"{venv_bin}:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": workspace, "NO_COLOR": "1",
       "INFERLAB_PORT": port, "INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0", "CHECKOUT": checkout, "SAGEMAKER_SUPPRESS_V2_WARNING": "1"}
scripts = os.path.join(checkout, "Tests/EndToEndTests/Scripts")


def fail(what, text):
    print(f"FAIL: {what}: screen tail: {text[-1500:]!r}")
    sys.exit(1)


def run(shell, line, timeout=60):
    """Types a line and answers what it printed before the next prompt."""
    shell.send(line + "\r")
    try:
        shell.expect(PROMPT, timeout=timeout)
    except (pexpect.TIMEOUT, pexpect.EOF):
        fail(f"no prompt after {line}", shell.before or "")
    return shell.before


def last_json(text, what):
    for line in reversed(text.replace("\r", "").split("\n")):
        if line.startswith("{"):
            return json.loads(line)
    fail(f"{what} printed no JSON", text)


shell = pexpect.spawn(binary, ["--workspace", workspace], env=ENV, encoding="utf-8", timeout=20,
                      dimensions=(40, 300), cwd=checkout)
shell.expect(f"AWS endpoint: http://127.0.0.1:{port}")
shell.expect(PROMPT)

boto = last_json(run(shell, f"!python {scripts}/runtime_boto3.py"), "runtime_boto3.py")
if boto.get("async_status") != 202 or len(boto.get("async_scores", [])) != 2 or boto.get("failure") is not True \
        or boto.get("model_error") != ["ModelError", 424] or len(boto.get("realtime_scores", [])) != 2:
    fail("boto3 lesson", json.dumps(boto))

rows = os.path.join(tempfile.mkdtemp(prefix="inferlab-pty-"), "data.csv")
with open(rows, "w") as file:
    file.write("25,50000,2\n35,60000,3\n45,45000,1\n")
run(shell, f"aws s3 cp {rows} s3://loan-lab/batch-input/data.csv")
sdk = last_json(run(shell, f"!python {scripts}/sdk_transformer.py", timeout=120), "sdk_transformer.py")
predicted = [float(x) for x in re.findall(r"^\s*(\d\.\d+)\s*$", run(shell, f"predict --model-name loan-xgb --body fileb://{rows} --content-type text/csv"), re.M)]
if sdk.get("off_loopback") != [] or [float(x) for x in sdk.get("scores", [])] != predicted or len(predicted) != 3:
    fail(f"SDK Transformer against predict {predicted}", json.dumps(sdk))

created = run(shell, "!aws sagemaker create-transform-job --transform-job-name cli-job --model-name loan-xgb "
                     "--transform-input DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://loan-lab/batch-input/}},ContentType=text/csv,SplitType=Line "
                     "--transform-output S3OutputPath=s3://loan-lab/cli-output/ --transform-resources InstanceType=ml.m5.large,InstanceCount=1")
if "TransformJobArn" not in created:
    fail("aws sagemaker create-transform-job", created)
run(shell, "!aws sagemaker wait transform-job-completed-or-stopped --transform-job-name cli-job")
if '"Completed"' not in run(shell, "aws sagemaker describe-transform-job --transform-job-name cli-job"):
    fail("the CLI's job is not Completed", shell.before)
invoked = run(shell, "!aws sagemaker-runtime invoke-endpoint-async --endpoint-name loan-async "
                     "--input-location s3://loan-lab/batch-input/data.csv --content-type text/csv")
if "s3://loan-lab/async-output/" not in invoked:
    fail("aws sagemaker-runtime invoke-endpoint-async", invoked)
# Lab 1's job with the SDK's Transformer instead of the CLI: the step's checks read the real job.
run(shell, "lab start batch-end-to-end")
run(shell, "lab solve")
run(shell, "lab solve")
ran = run(shell, "!.venv/bin/python labs/batch-end-to-end/scripts/transform_sdk.py", timeout=120)
if "loan-batch-1: Completed" not in ran:
    fail("the lab's SDK script", ran)
# Every check passes on the SDK's job but `watched`, which reads the shell's commands (the SDK's
# wait() looked over HTTP); one describe in the shell completes the step.
checked = run(shell, "lab check")
if checked.count("✔ passed") != 4 or "you have not looked at loan-batch-1" not in checked:
    fail("lab check after the SDK's job", checked)
looked = run(shell, "aws sagemaker describe-transform-job --transform-job-name loan-batch-1")
if "Step 3 complete" not in looked:
    fail("describe should complete the step", looked)
shell.sendeof()
shell.expect(pexpect.EOF)
print("pty course clients: all checks passed")
