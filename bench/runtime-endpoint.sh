#!/usr/bin/env bash
# The SageMaker runtime over HTTP against moto's server (bench/README.md): one command, release
# build. Settings: CALLS (invoke_endpoint calls per round, 2000), ASYNC (1000), ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
INFERLAB=${INFERLAB:-.build/release/inferlab}
VENV=bench/.venv
[ -x "$INFERLAB" ] || swift build -c release --product inferlab
[ -x .venv/bin/python ] || scripts/setup.sh
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import moto, boto3, flask" >/dev/null 2>&1 || "$VENV/bin/python" -m pip install --quiet "moto[server]" boto3
binary="$(cd "$(dirname "$INFERLAB")" && pwd)/$(basename "$INFERLAB")"
course_python="$(pwd)/.venv/bin/python"
cd bench  # runtime_endpoint.py imports s3_endpoint.py's helpers
exec ".venv/bin/python" runtime_endpoint.py "$binary" "$course_python"
