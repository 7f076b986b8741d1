#!/usr/bin/env python3
"""Runs every AWS command of the labs and the README through the real AWS CLI's own parsing:
awscli's argument parser and shorthand parser, then botocore's ParamValidator, and stops
before any request is sent (a `before-call` hook raises). No network, no credentials.

Usage: check_cli_commands.py ROOT            prints one line per rejected command, exit 1 if any
       check_cli_commands.py --list ROOT     prints the commands it found (file:line: command)
       check_cli_commands.py --command 'aws …' checks one command line

Where commands are found: lines of fenced code blocks and `solve:` entries that begin with
`aws `, and inline `aws …` spans in backticks that are whole commands (no `…`, no <placeholder>); not the
README's generated command reference, which holds usage lines.
`aws s3` (the high-level transfer commands) is parsed but not sent, like the others; a command
that would need a local file that only exists during the lab (file://, fileb://) is given an
empty stand-in file so the parsing still runs.
"""
import io
import os
import re
import shlex
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

AWS_SERVICES = {"s3", "s3api", "sagemaker", "sagemaker-runtime", "application-autoscaling", "logs", "sts"}


class Reached(Exception):
    """Raised by the before-call hook: everything before the request was accepted."""


# Set when a request was about to go: `aws s3` transfers catch the hook's exception and print
# "upload failed", so whether it was reached is what counts.
reached = False


def commands_in(path: Path):
    """(line number, command) for every AWS command line in a lab text, lab.yaml or README."""
    found = []
    in_fence = False
    in_reference = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        # The README's command reference holds usage lines (generated), not commands.
        if stripped in ("<!-- commands:begin -->", "<!-- commands:end -->"):
            in_reference = stripped.endswith("begin -->")
            continue
        if in_reference:
            continue
        if stripped.startswith("```"):
            in_fence = not in_fence
            continue
        candidates = []
        if in_fence and stripped.startswith("aws "):
            candidates.append(stripped)
        elif path.suffix == ".yaml" and re.match(r"^-\s+aws ", stripped):
            candidates.append(unquote_yaml(stripped[1:].strip()))
        else:
            # Inline spans with options (or `aws s3` ones): `aws sagemaker wait …` alone names a command.
            candidates += [span for span in re.findall(r"`(aws [^`]+)`", line) 
                           if " --" in span or (span.split()[1] == "s3" and len(span.split()) > 3)]
        for command in candidates:
            # A help title in a transcript (`aws s3 cp — Copy files …`) names a command, it is not one.
            if " — " in command:
                continue
            if "…" in command or "..." in command or re.search(r"<[A-Za-z_-]+>", command):
                continue
            words = safe_split(command)
            if words is None or len(words) < 3 or words[1] not in AWS_SERVICES:
                continue
            found.append((number, command))
    return found


def unquote_yaml(text):
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        body = text[1:-1]
        return body.replace("''", "'") if text[0] == "'" else body.replace('\\"', '"')
    return text


def safe_split(command):
    # A comment, a pipe or a redirection ends the AWS command, as in a shell.
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars="|;&<>")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words = []
        for word in lexer:
            if word and set(word) <= set("|;&<>"):
                break
            words.append(word)
        return words
    except ValueError:
        return None


def stand_in_files(words, folder):
    """file:// and fileb:// arguments that name no existing file get an empty stand-in."""
    replaced = []
    for word in words:
        match = re.match(r"^(fileb?://)(.+)$", word)
        if match and not os.path.exists(match.group(2)):
            stand_in = Path(folder) / Path(match.group(2)).name
            if not stand_in.exists():
                stand_in.write_text("{}" if stand_in.suffix == ".json" else "", encoding="utf-8")
            word = match.group(1) + str(stand_in)
        replaced.append(word)
    return replaced


_driver = None


def driver():
    """One CLI driver for every command (making one takes a second)."""
    global _driver
    if _driver is None:
        from awscli.clidriver import create_clidriver

        def stop(**_):
            global reached
            reached = True
            raise Reached()

        _driver = create_clidriver()
        _driver.session.register("before-call", stop)
        # High-level `aws s3` commands send without a before-call of their own.
        _driver.session.register("before-send", stop)
    return _driver


def check(words):
    """None if the real CLI accepts the command, else what it says."""
    global reached
    reached = False
    if words[1:3] == ["logs", "tail"]:
        return None  # a CLI v2 command (v1 has no `logs tail`); the kit follows v2
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            status = driver().main(words[1:] + ["--endpoint-url", "http://127.0.0.1:9"])
    except Reached:
        return None
    except SystemExit as exit:
        status = exit.code
    text = err.getvalue().strip()
    missing = re.match(r"The user-provided path (lab-data/\S+) does not exist", text)
    if missing:
        return None  # a file the lab makes on the way (lab-data/ is the learner's folder)
    if reached or "Reached" in text or (status == 0 and not text):
        return None
    # awscli prints argparse's usage banner first; the last line says what was wrong.
    return text.splitlines()[-1] if "usage:" in text else text


def main(arguments):
    os.environ.update({
        "AWS_ACCESS_KEY_ID": "checker", "AWS_SECRET_ACCESS_KEY": "checker", "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_PAGER": "",
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    if arguments[:1] == ["--command"]:
        with tempfile.TemporaryDirectory() as folder:
            problem = check(stand_in_files(safe_split(arguments[1]), folder))
        print(problem or "accepted")
        return 1 if problem else 0
    listing = arguments[:1] == ["--list"]
    root = Path(arguments[-1])
    os.chdir(root)
    files = sorted(root.glob("labs/**/*.md")) + sorted(root.glob("labs/**/*.yaml")) + [root / "README.md"]
    rejected = 0
    total = 0
    with tempfile.TemporaryDirectory() as folder:
        for path in files:
            for number, command in commands_in(path):
                total += 1
                where = f"{path.relative_to(root)}:{number}"
                if listing:
                    print(f"{where}: {command}")
                    continue
                problem = check(stand_in_files(safe_split(command), folder))
                if problem:
                    rejected += 1
                    print(f"{where}: {command}\n    {problem.replace(chr(10), chr(10) + '    ')}")
    if not listing:
        print(f"{total} commands checked, {rejected} rejected")
    return 1 if rejected else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
