"""Lab 1 (batch-end-to-end) the way a learner types it, in a real pseudo-terminal, without
`lab solve`: every checkpoint is announced, the job is watched going InProgress -> Completed
with the waiter's live progress line, Ctrl-C stops the waiting and leaves the job running, and a
hint after the end counts nothing. Exits non-zero with a message on the first failed expectation.

Usage: pty_lab_one.py BINARY WORKSPACE PACKAGE_ROOT
"""
import re
import sys

import pexpect

binary, workspace, root = sys.argv[1], sys.argv[2], sys.argv[3]
# The lab's clock shortened explicitly (15 s + 10 s in the lab), but still long enough to watch.
ENV = {"TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": workspace,
       "INFERLAB_PROVISIONING_SECONDS": "3", "INFERLAB_STARTUP_SECONDS": "2"}
ESC = r"(?:\x1b\[[0-9;]*m)*"


def prompt(step):
    return r"inferlab" + ESC + r" \[batch-end-to-end " + step + r"\]> "


def check(shell, pattern, what, timeout=None):
    try:
        shell.expect(pattern, timeout=timeout)
    except (pexpect.TIMEOUT, pexpect.EOF):
        print(f"FAIL: {what}: wanted {pattern!r}, screen tail: {shell.before[-600:]!r}")
        sys.exit(1)


def checkpoint(shell, description):
    check(shell, r"Checkpoint passed:" + ESC + " " + re.escape(description), f"checkpoint '{description}' is announced")


def typed(shell, line):
    shell.send(line + "\r")


shell = pexpect.spawn(binary, ["--workspace", workspace, "--no-serve"], env=ENV, encoding="utf-8",
                      timeout=20, dimensions=(40, 120), cwd=root)
check(shell, r"Where to begin: `lab start batch-end-to-end`", "the banner says where to begin")
check(shell, r"inferlab" + ESC + "> ", "first prompt")

typed(shell, "lab list")
check(shell, r"1\s+batch-end-to-end\s+Batch transform, end to end\s+not started\s+← start here", "lab list: course order, start here")
check(shell, r"2\s+batch-spread-and-batch", "lab list: lab 2 second")

typed(shell, "lab start batch-end-to-end")
check(shell, "Step 1 of 5: Put the applications in S3", "step 1 is shown")
check(shell, prompt("1/5"), "prompt in step 1")

typed(shell, "aws s3 mb s3://loan-lab")
checkpoint(shell, "The bucket loan-lab exists")
typed(shell, "aws s3 cp datasets/loans/data.csv s3://loan-lab/batch-input/data.csv")
checkpoint(shell, "The applications are at s3://loan-lab/batch-input/data.csv")
checkpoint(shell, "The uploaded file holds the three applications")
check(shell, "Step 1 complete" + ESC + ": Put the applications in S3.", "step 1 completes")
check(shell, "Step 2 of 5", "step 2 is shown")

typed(shell, "aws s3 cp datasets/models/xgboost/model.tar.gz s3://loan-lab/models/xgboost/model.tar.gz")
checkpoint(shell, "The model artifact is at s3://loan-lab/models/xgboost/model.tar.gz")
typed(shell, "aws sagemaker create-model --model-name loan-xgb --primary-container "
             "Image=683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1,"
             "ModelDataUrl=s3://loan-lab/models/xgboost/model.tar.gz")
checkpoint(shell, "A model named loan-xgb runs the XGBoost image")
check(shell, "Step 3 of 5", "step 3 is shown")
check(shell, prompt("3/5"), "prompt in step 3")

typed(shell, "aws sagemaker create-transform-job --transform-job-name loan-batch-1 --model-name loan-xgb "
             "--transform-input 'DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://loan-lab/batch-input/}},"
             "ContentType=text/csv,SplitType=Line' --transform-output S3OutputPath=s3://loan-lab/batch-output/,"
             "Accept=text/csv,AssembleWith=Line --transform-resources InstanceType=ml.m5.large,InstanceCount=1")
checkpoint(shell, "Transform job loan-batch-1 uses loan-xgb on one ml.m5.large, CSV in, one line per record")
check(shell, prompt("3/5"), "the step is not done before the learner has watched the job")

typed(shell, "aws sagemaker describe-transform-job --transform-job-name loan-batch-1")
check(shell, r'"TransformJobStatus": "InProgress"', "describe shows InProgress")
checkpoint(shell, "You followed loan-batch-1 (describe, wait or logs)")
typed(shell, "transform progress loan-batch-1")
check(shell, r'"Phase": "Provisioning instances \(not billed\)"', "transform progress names the unbilled provisioning phase")
check(shell, prompt("3/5"), "still in step 3 while the job runs")

# The waiter's live line, then Ctrl-C: the waiting stops, the job goes on.
typed(shell, "aws sagemaker wait transform-job-completed-or-stopped --transform-job-name loan-batch-1")
check(shell, r"loan-batch-1: " + ESC + "InProgress" + ESC + r" · Provisioning instances \(not billed\) · \d+ s",
      "the waiter's live progress line")
shell.send("\x03")
check(shell, r"Stopped waiting; loan-batch-1 is still InProgress and goes on", "Ctrl-C stops the waiting, not the job")
check(shell, prompt("3/5"), "prompt after Ctrl-C")

typed(shell, "aws sagemaker wait transform-job-completed-or-stopped --transform-job-name loan-batch-1")
check(shell, r"Starting the container and loading the model \(billed\)", "the live line shows the billed start-up", timeout=30)
checkpoint(shell, "Transform job loan-batch-1 has completed")
checkpoint(shell, "The predictions are at s3://loan-lab/batch-output/data.csv.out")
checkpoint(shell, "The output holds loan-xgb's prediction for every application, in order")
check(shell, "Step 3 complete", "step 3 completes")
check(shell, "Step 4 of 5", "step 4 is shown")

typed(shell, "transform progress loan-batch-1")
check(shell, r'"BillableInstanceSeconds": [0-9.]+', "transform progress shows the bill")
check(shell, r'"EstimatedCostUSD": "\$0\.0\d+"', "the cost reads as money")

typed(shell, "head s3://loan-lab/batch-output/data.csv.out")
typed(shell, "lab answer most-likely 3")
check(shell, r"✔ " + ESC + "passed" + ESC + r"\s+Quiz: which applicant is most likely to be approved", "quiz 1 passes")
typed(shell, "lab answer approved-at-half 3")
check(shell, r"Quiz: how many applicants pass a 0.5 threshold", "quiz 2 passes")
check(shell, "Step 4 complete", "step 4 completes")
check(shell, "Step 5 of 5: Why batch was the right tool", "step 5 is shown")
typed(shell, "lab answer why-cheap 2")
check(shell, r"Reflection: why batch transform is cheap", "reflection 1 passes")
typed(shell, "lab answer when-not-batch 3")
check(shell, "Lab complete!", "the lab completes")
check(shell, prompt("done"), "prompt says done")

typed(shell, "lab hint")
check(shell, "The lab is finished: no hint needed", "a hint after the end is refused")
typed(shell, "lab progress")
check(shell, r"Why batch was the right tool\s+done\r\n", "no hint recorded after the end")
# The endpoint waiter has a live line too, and Ctrl-C leaves the endpoint coming up.
typed(shell, "aws sagemaker create-endpoint-config --endpoint-config-name rt --production-variants "
             "VariantName=AllTraffic,ModelName=loan-xgb,InstanceType=ml.m5.large,InitialInstanceCount=1")
typed(shell, "aws sagemaker create-endpoint --endpoint-name loan-rt --endpoint-config-name rt")
check(shell, r'"EndpointArn"', "the endpoint is created")
typed(shell, "aws sagemaker wait endpoint-in-service --endpoint-name loan-rt")
check(shell, r"loan-rt: " + ESC + "Creating" + ESC + r" · \d+ s", "the endpoint waiter's live line")
shell.send("\x03")
check(shell, r"Stopped waiting; loan-rt is still Creating and goes on", "Ctrl-C stops the waiting, not the endpoint")
typed(shell, "aws sagemaker wait endpoint-in-service --endpoint-name loan-rt")
# The waiter that saw it come up says so on its live line; like the CLI's waiters it then prints
# nothing, and the shell's announcement (which would repeat it) is dropped.
check(shell, r"loan-rt: " + ESC + "InService" + ESC, "the endpoint comes up after all", timeout=30)
typed(shell, "exit")
check(shell, pexpect.EOF, "exit leaves")
print("pty lab one: all checks passed")
