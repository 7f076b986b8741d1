"""Loaded by every Python a test runs as a course client (boto3 scripts, the aws CLI, the SageMaker
SDK), through PYTHONPATH: an audit hook notes each socket connect to an address off loopback, and
at exit the hosts are appended to the file INFERLAB_TEST_SOCKET_LOG names. The test fails when
that file is not empty: no course client may try to reach the internet."""
import atexit
import os
import sys

_log = os.environ.get("INFERLAB_TEST_SOCKET_LOG")
_reached = []


def _audit(event, args):
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "localhost", "::1") and not str(host).startswith("/"):
            _reached.append(str(host))


def _write():
    if _reached and _log:
        with open(_log, "a") as file:
            file.write("".join(f"{' '.join(sys.argv[:2])}: {host}\n" for host in _reached))


if _log:
    sys.addaudithook(_audit)
    atexit.register(_write)
