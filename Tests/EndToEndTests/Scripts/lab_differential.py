#!/usr/bin/env python3
"""A lab's whole solution, typed twice in lockstep: every AWS command once in the shell
(workspace A) and once through the real AWS CLI against `inferlab serve` (workspace B), every
kit command in both shells. After each AWS command the two answers must agree: exit status,
stdout (times, ids and other per-run values normalised), and the error code on stderr.

Usage: lab_differential.py BINARY AWS LAB_ID WORKDIR
Prints one line per difference and a summary `N commands compared, M differences`; exit 1 if
there are differences, 2 if the run could not be set up.
"""
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml  # PyYAML, which awscli installs in the course venv

binary, aws, lab_id, workdir = sys.argv[1:5]
workdir = Path(workdir)
labs_dir = Path(os.environ["INFERLAB_LABS_DIR"])
datasets_dir = Path(os.environ["INFERLAB_DATASETS_DIR"])

base_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
base_env.update({"HOME": str(workdir), "INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0",
                 "INFERLAB_TIME_SCALE": "0", "INFERLAB_LEARNER_NAME": "differential", "NO_COLOR": "1",
                 "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "80"})
# The real CLI prints timestamps as v2 does (ISO 8601), which the shell follows.
cli_config = workdir / "aws-config"
cli_config.write_text("[default]\ncli_timestamp_format = iso8601\n")

a, b = workdir / "a", workdir / "b"


class Ran:
    """A finished command; its output decoded without newline translation (the CLI's transfer
    progress ends in carriage returns, which universal newlines would turn into lines)."""
    def __init__(self, done):
        self.returncode = done.returncode
        self.stdout = done.stdout.decode("utf-8", "replace")
        self.stderr = done.stderr.decode("utf-8", "replace")


def run(arguments, cwd, env):
    return Ran(subprocess.run(arguments, cwd=cwd, env=env, capture_output=True, timeout=600))


def shell(workspace, line):
    return run([binary, "--workspace", str(workspace), "--plain", "-c", line], workspace, base_env)


def settle(workspace):
    """Lets background work end on one side before the next command is compared: what a job or
    an endpoint shows while it runs depends on when it is asked, on AWS as here."""
    def listed(line):
        # One answer, as JSON; the lab's announcements after it are cut off.
        text = shell(workspace, line + " --output json").stdout
        return json.JSONDecoder().raw_decode(text.lstrip())[0]

    jobs = listed("aws sagemaker list-transform-jobs --status-equals InProgress --query 'TransformJobSummaries[].TransformJobName'")
    endpoints = listed("aws sagemaker list-endpoints --query 'Endpoints[].[EndpointName, EndpointStatus]'")
    waits = [f"transform wait-ended {name}" for name in jobs]
    for name, status in endpoints:
        if status in ("Creating", "Updating", "SystemUpdating"):
            waits.append(f"aws sagemaker wait endpoint-in-service --endpoint-name {name}")
        elif status == "Deleting":
            waits.append(f"aws sagemaker wait endpoint-deleted --endpoint-name {name}")
        elif status == "InService":
            waits.append(f"endpoint wait-drained {name}")
    if waits:
        subprocess.run([binary, "--workspace", str(workspace), "--plain"], cwd=workspace, env=base_env,
                       capture_output=True, timeout=600, input="\n".join(waits).encode() + b"\n")


def starts_background_work(line):
    """Commands after which a job, an endpoint or a queue goes on working."""
    return any(verb in line for verb in ("create-transform-job", "create-endpoint ", "update-endpoint", "delete-endpoint ",
                                        "invoke-endpoint-async", "lab compare", "transform_sdk", "invoke_async"))


for workspace in (a, b):
    workspace.mkdir(parents=True)
    started = shell(workspace, f"lab start {lab_id}")
    if started.returncode != 0:
        print(f"setup: lab start {lab_id} in {workspace.name}: {started.stderr}")
        sys.exit(2)
lab_b = b / "labs" / lab_id
# The real CLI runs in the lab's folder, where lab-data/ is, with the kit's datasets beside it.
(lab_b / "datasets").symlink_to(datasets_dir)
(lab_b / "lab-data").mkdir(exist_ok=True)

server = subprocess.Popen([binary, "--workspace", str(lab_b), "serve", "--port", "0"], env=base_env,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    first = server.stdout.readline()
    port = re.search(r"127\.0\.0\.1:(\d+)", first)
    if not port:
        print(f"setup: inferlab serve said {first!r}")
        sys.exit(2)
    exported = subprocess.run([binary, "--workspace", str(lab_b), "env", "--port", port.group(1)], env=base_env,
                              capture_output=True, text=True).stdout
    cli_env = dict(base_env)
    for line in exported.splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            cli_env[key] = shlex.split(value)[0] if value else ""
    cli_env["AWS_CONFIG_FILE"] = str(cli_config)
    cli_env["AWS_PAGER"] = ""

    def real_cli(line):
        words = shlex.split(line)
        return run([aws] + words[1:], lab_b, cli_env)

    PER_RUN = [
        (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?"), "<time>"),
        (re.compile(r"\b1[6-9]\d{8}(\.\d+)?\b"), "<epoch>"),
        (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
        (re.compile(r"\bi-[0-9a-f]{17}\b"), "<instance>"),
        (re.compile(r"\d+(\.\d+)? ?(ms|s)\b"), "<duration>"),
    ]

    # The lab's announcements after a command (checkpoints, the next step's text) are the
    # shell's own, not the command's answer.
    ANNOUNCEMENT = re.compile(r"^(✔ Checkpoint|✘ Checkpoint|Step \d+ complete|Lab complete|All steps)", re.M)

    def answer(text):
        found = ANNOUNCEMENT.search(text)
        return text[:found.start()] if found else text

    def normalised(text):
        # As a terminal shows it: a line a carriage return rewrote (the CLI's transfer progress)
        # is what was written last, without the spaces that blanked the rest.
        text = "\n".join(line.split("\r")[-1].rstrip() for line in text.split("\n"))
        for pattern, stand_in in PER_RUN:
            text = pattern.sub(stand_in, text)
        return text

    # Commands whose answer is this run's own: compared by exit status and error only, and why.
    PER_RUN_ANSWERS = {
        "aws s3 ls s3://loan-lab/reports/": "the comparison report holds this run's timings, so its size varies",
    }

    def unordered(line, text):
        """Lines whose order is not the answer's: the CLI transfers files in parallel and prints
        each as it finishes; keys named by a random id list in a random order."""
        words = shlex.split(line)
        parallel = words[1] == "s3" and (words[2] == "sync" or "--recursive" in words)
        return parallel or (words[1:3] == ["s3", "ls"] and "<uuid>" in text)

    def same_output(line, mine, theirs):
        if line in PER_RUN_ANSWERS:
            return True
        if mine == theirs:
            return True
        return unordered(line, mine) and sorted(mine.splitlines()) == sorted(theirs.splitlines())

    def error_code(text):
        found = re.search(r"An error occurred \(([A-Za-z.]+)\)", text)
        return found.group(1) if found else ("error" if text.strip() else "")

    lab = yaml.safe_load((labs_dir / lab_id / "lab.yaml").read_text())
    compared, differences = 0, []
    for step in lab["steps"]:
        for line in step.get("solve", []):
            if line.startswith("!"):
                continue  # a local program (the SDK's scripts), not a command of either side
            if not line.startswith("aws "):
                for workspace in (a, b):
                    done = shell(workspace, line)
                    if done.returncode != 0:
                        differences.append(f"{step['id']}: kit command failed in {workspace.name}: {line}: {done.stderr.strip()}")
                    if starts_background_work(line):
                        settle(workspace)
                continue
            if line.startswith("aws logs tail"):
                continue  # a CLI v2 command: v1, the real CLI here, has no `logs tail`
            mine, theirs = shell(a, line), real_cli(line)
            compared += 1
            problems = []
            # A service error exits 254 in the shell, as in CLI v2; v1 says 255.
            if mine.returncode != theirs.returncode and (mine.returncode, theirs.returncode) != (254, 255):
                problems.append(f"exit {mine.returncode} against the CLI's {theirs.returncode}")
            if not same_output(line, normalised(answer(mine.stdout)), normalised(theirs.stdout)):
                problems.append(f"stdout differs\n--- shell:\n{normalised(answer(mine.stdout))}\n--- aws:\n{normalised(theirs.stdout)}")
            if error_code(mine.stderr) != error_code(theirs.stderr):
                problems.append(f"stderr differs\n--- shell:\n{mine.stderr}--- aws:\n{theirs.stderr}")
            if starts_background_work(line):
                settle(a)
                settle(b)
            if problems:
                differences.append(f"{step['id']}: {line}\n  " + "\n  ".join(problems))
    for difference in differences:
        print(difference)
    print(f"{lab_id}: {compared} commands compared, {len(differences)} differences")
    sys.exit(1 if differences else 0)
finally:
    server.terminate()
    server.wait()
