#!/usr/bin/env python3
"""Makes README.md's short tour from a real run, so that it cannot drift from what the kit prints.

Types the tour's commands into `inferlab` on a pseudo-terminal (pexpect, which `make test`
installs), started in an empty temporary folder with a fresh workspace in it, and writes the
transcript: prompts, commands and what they printed, long outputs cut after a few lines. What
changes from run to run is normalised: the temporary folder reads /home/you/inferlab, the
endpoint's port is the default one, times and ids are replaced by fixed ones.

Usage: readme-tour.py BINARY            print the tour
       readme-tour.py BINARY --update   rewrite README.md between the tour markers
"""
import os
import re
import shutil
import sys
import tempfile

import pexpect

# (command as typed, with its comment; at most this many lines of its output, 0 for all)
TOUR = [
    ("lab start batch-end-to-end     # the first lab: follow its steps", 8),
    ("lab hint                       # the next hint (hints used are recorded)", 0),
    ("aws s3 mb s3://loan-lab        # the leading `aws` is optional", 0),
    ("lab check                      # every checkpoint of the step, explained", 0),
    ("help s3 cp                     # one command: usage, options, examples", 4),
    ("history 3                      # what you typed, kept across sessions", 0),
]
BEGIN, END = "<!-- tour:begin -->", "<!-- tour:end -->"
PROMPT = r"inferlab( \[[^\]\r\n]*\])?> "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|[\x01\x02\x07]")


def normalise(text, home, strip=True):
    text = ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "")
    text = text.replace(home, "/home/you/inferlab")
    text = re.sub(r"http://127\.0\.0\.1:\d+", "http://127.0.0.1:4599", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?", "2026-01-05T09:30:00Z", text)
    text = re.sub(r"\b\d\d:\d\d:\d\d\b", "09:30:00", text)
    text = re.sub(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
                  "8f14e45f-ceea-467f-a0e6-1d7c2b7e3a11", text)
    text = re.sub(r"\b\d+\.\d+ s\b", "0.1 s", text)
    return "\n".join(line.rstrip() for line in text.split("\n")) if strip else text


def cut(lines, limit):
    lines = [line for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    if limit and len(lines) > limit:
        return lines[:limit] + ["…"]
    return lines


def tour(binary):
    home = tempfile.mkdtemp(prefix="inferlab-tour-")
    try:
        env = {"TERM": "xterm", "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home,
               "INFERLAB_PORT": "0"}
        for name in ("INFERLAB_LABS_DIR", "INFERLAB_DATASETS_DIR"):
            if name in os.environ:
                env[name] = os.environ[name]
        shell = pexpect.spawn(binary, [], cwd=home, env=env, encoding="utf-8", timeout=30, dimensions=(50, 250))
        shell.expect(PROMPT)
        banner = normalise(shell.before, home).strip("\n").split("\n")
        prompt = normalise(shell.after, home, strip=False)
        out = ["$ inferlab"] + banner
        for command, limit in TOUR:
            shell.send(command + "\r")
            shell.expect(PROMPT)
            lines = normalise(shell.before, home).split("\n")
            # The first line is the echo of what was typed.
            out.append(prompt + command)
            out += cut(lines[1:], limit)
            prompt = normalise(shell.after, home, strip=False)
        shell.sendeof()
        shell.expect(pexpect.EOF)
        return "```text\n" + "\n".join(out) + "\n```\n"
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    text = tour(os.path.abspath(sys.argv[1]))
    if "--update" not in sys.argv[2:]:
        sys.stdout.write(text)
        return
    readme_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")
    readme = open(readme_path, encoding="utf-8").read()
    head, rest = readme.split(BEGIN)
    _, tail = rest.split(END)
    open(readme_path, "w", encoding="utf-8").write(head + BEGIN + "\n" + text + END + tail)
    print("README.md tour updated")


if __name__ == "__main__":
    main()
