"""The shell's in-process AWS endpoint, through a real pseudo-terminal: the banner names it,
`!COMMAND` runs a real client with `env`'s variables, and the endpoint serves the workspace the
learner is in (a lab's after `lab start`, the learner's own after `lab leave`).

Usage: pty_endpoint.py BINARY WORKSPACE PORT VENV_BIN CHECKOUT
"""
import sys

import pexpect

binary, workspace, port, venv_bin, checkout = sys.argv[1:6]
PROMPT = r"inferlab(\x1b\[0m)?( \[[^\]]*\])?> "
ENV = {"TERM": "xterm", "PATH": f"{venv_bin}:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": workspace,
       "INFERLAB_PORT": port, "INFERLAB_PROVISIONING_SECONDS": "0", "INFERLAB_STARTUP_SECONDS": "0"}


def check(shell, pattern, what):
    try:
        shell.expect(pattern)
    except (pexpect.TIMEOUT, pexpect.EOF):
        print(f"FAIL: {what}: wanted {pattern!r}, screen tail: {shell.before[-400:]!r}")
        sys.exit(1)


def run(shell, line, pattern, what):
    shell.send(line + "\r")
    check(shell, pattern, what)
    check(shell, PROMPT, f"prompt after {line}")


shell = pexpect.spawn(binary, ["--workspace", workspace], env=ENV, encoding="utf-8", timeout=20,
                      dimensions=(40, 200), cwd=checkout)
check(shell, f"AWS endpoint: http://127.0.0.1:{port}", "the banner names the endpoint")
check(shell, PROMPT, "first prompt")
run(shell, "env", f"export AWS_ENDPOINT_URL=http://127.0.0.1:{port}", "env prints the endpoint")
run(shell, "!aws s3 mb s3://from-bang", "make_bucket: from-bang", "!aws reaches the endpoint")
run(shell, "aws s3 ls", "from-bang", "the shell sees what the client made")
run(shell, "lab start batch-end-to-end", r"batch-end-to-end", "a lab starts")
run(shell, "!aws s3 mb s3://in-the-lab", "make_bucket: in-the-lab", "!aws in the lab")
shell.send("aws s3 ls\r")
check(shell, "in-the-lab", "the endpoint serves the lab's workspace")
check(shell, PROMPT, "prompt after ls in the lab")
if "from-bang" in shell.before:
    print("FAIL: the lab's workspace shows the learner's own bucket")
    sys.exit(1)
run(shell, "lab leave", "Back in", "leaving the lab")
shell.send("!aws s3 ls\r")
check(shell, "from-bang", "after leaving, the endpoint serves the learner's workspace again")
check(shell, PROMPT, "prompt after !aws s3 ls")
if "in-the-lab" in shell.before:
    print("FAIL: after lab leave the endpoint still serves the lab")
    sys.exit(1)
run(shell, "requests --last 1", r"aws-cli/\S+\s+s3\.ListBuckets\s+200", "the request log shows the call")
shell.sendeof()
shell.expect(pexpect.EOF)
print("pty endpoint: all checks passed")
