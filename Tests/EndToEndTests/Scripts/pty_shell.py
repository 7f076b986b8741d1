"""Drives `inferlab` through a real pseudo-terminal: Tab completion, history across restarts,
Ctrl-C at the prompt, Ctrl-D. Exits non-zero with a message on the first failed expectation.

Usage: pty_shell.py BINARY WORKSPACE
"""
import sys

import pexpect

binary, workspace = sys.argv[1], sys.argv[2]
PROMPT = r"inferlab(\x1b\[0m)?> "
ENV = {"TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": workspace}


def start():
    shell = pexpect.spawn(binary, ["--workspace", workspace], env=ENV, encoding="utf-8",
                          timeout=10, dimensions=(24, 120))
    shell.expect("Workspace: ")
    shell.expect(PROMPT)
    return shell


def check(shell, pattern, what):
    try:
        shell.expect(pattern)
    except (pexpect.TIMEOUT, pexpect.EOF):
        print(f"FAIL: {what}: wanted {pattern!r}, screen tail: {shell.before[-300:]!r}")
        sys.exit(1)


shell = start()
# Tab-Tab lists the candidates of an ambiguous prefix: `he` could be `head` or `help`.
shell.send("he\t\t")
check(shell, r"head\s+help", "Tab-Tab lists head and help")
shell.send("\x15")  # Ctrl-U clears the line
# Tab completes a unique command word: `hel` becomes `help `.
shell.send("hel\t")
check(shell, "p ", "Tab completes hel -> help")
if "\a" in shell.before:
    print(f"FAIL: a unique completion rang the bell: {shell.before[-80:]!r}")
    sys.exit(1)
shell.send("\r")
check(shell, "InferLab commands", "the completed line runs help")
check(shell, PROMPT, "prompt after help")

# Completion works inside arguments too.
shell.send("help hi\t\r")
check(shell, "Usage: history", "completion inside arguments")
check(shell, PROMPT, "prompt after help history")

# Ctrl-C at the prompt drops the line and shows a fresh prompt; the shell lives on.
shell.send("some half-typed words")
shell.send("\x03")
check(shell, PROMPT, "fresh prompt after Ctrl-C")
shell.send("history 2\r")
check(shell, r"2  help history\r\n    3  history 2", "shell alive after Ctrl-C, and the dropped line is not history")
check(shell, PROMPT, "prompt after history")

# UTF-8 input survives the editor.
shell.send("hélp\r")
check(shell, "unknown command 'hélp'", "UTF-8 typed text reaches the command")
check(shell, PROMPT, "prompt after unknown command")

# Ctrl-D on an empty line exits cleanly.
shell.send("\x04")
check(shell, pexpect.EOF, "Ctrl-D exits")
shell.close()
if shell.exitstatus not in (0, 252):
    print(f"FAIL: exit status {shell.exitstatus}")
    sys.exit(1)

# After a restart, Up recalls the last command of the previous session.
shell = start()
shell.send("\x1b[A")
check(shell, "hélp", "Up recalls the last command after a restart")
shell.send("\x15")  # Ctrl-U clears the line

# Lab ids complete, and the prompt shows the lab and the step.
shell.send("lab start batch-end-to\t")
check(shell, "end ", "Tab completes a lab id")
shell.send("\r")
check(shell, r"inferlab(\x1b\[0m)? \[batch-end-to-end 1/\d+\]> ", "the prompt shows the lab and step")
shell.send("exit\r")
check(shell, pexpect.EOF, "exit leaves")
print("pty: all checks passed")
