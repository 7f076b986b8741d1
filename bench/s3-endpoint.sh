#!/usr/bin/env bash
# The S3 endpoint against moto's server (bench/README.md): one command, release build.
# Settings: DURATION (s per wrk run, 10), CONNECTIONS (16), ROUNDS (3), BIG_MB (100).
set -euo pipefail
cd "$(dirname "$0")/.."
INFERLAB=${INFERLAB:-.build/release/inferlab}
VENV=bench/.venv
[ -x "$INFERLAB" ] || swift build -c release --product inferlab
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq wrk >/dev/null
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import moto, boto3, flask" >/dev/null 2>&1 || "$VENV/bin/python" -m pip install --quiet "moto[server]" boto3
exec "$VENV/bin/python" bench/s3_endpoint.py "$(cd "$(dirname "$INFERLAB")" && pwd)/$(basename "$INFERLAB")"
