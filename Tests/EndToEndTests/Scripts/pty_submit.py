"""Drives `lab submit` at the interactive prompt: it asks the learner's name once, writes the
bundle into the workspace's submissions/, and asks no more, also after a restart.

Usage: pty_submit.py BINARY WORKSPACE
"""
import os
import sys

import pexpect

binary, workspace = sys.argv[1], sys.argv[2]
PROMPT = r"inferlab( \[[^\]\r\n]*\])?> "
ENV = {"TERM": "xterm", "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": workspace,
       "INFERLAB_PORT": "0"}


def check(shell, pattern, what):
    try:
        shell.expect(pattern)
    except (pexpect.TIMEOUT, pexpect.EOF):
        print(f"FAIL: {what}: wanted {pattern!r}, screen tail: {shell.before[-300:]!r}")
        sys.exit(1)


def start():
    shell = pexpect.spawn(binary, ["--workspace", workspace], env=ENV, encoding="utf-8", timeout=15, dimensions=(24, 200))
    check(shell, PROMPT, "the first prompt")
    return shell


bundle = os.path.join(workspace, "submissions", "submission-batch-end-to-end-Ada_Lovelace.zip")
shell = start()
shell.send("lab start batch-end-to-end\r")
check(shell, PROMPT, "prompt after lab start")
shell.send("lab submit\r")
check(shell, "Your name, as your instructor knows it", "lab submit asks for the name")
shell.send("Ada Lovelace\r")
check(shell, "Wrote " + bundle, "the bundle goes into the workspace, named after the learner")
check(shell, PROMPT, "prompt after lab submit")
os.remove(bundle)
shell.sendeof()
shell.expect(pexpect.EOF)

shell = start()
shell.send("lab submit\r")
index = shell.expect(["Your name", "Wrote " + bundle])
if index == 0:
    print("FAIL: the name was asked again after a restart")
    sys.exit(1)
check(shell, PROMPT, "prompt after the second lab submit")
shell.sendeof()
shell.expect(pexpect.EOF)
print("pty submit: all checks passed")
