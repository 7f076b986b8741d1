#!/usr/bin/env bash
# Installs what InferLab needs and is missing: libedit-dev and libsqlite3-dev through apt-get
# (with sudo when not root). With --test, also python3's pexpect for the pseudo-terminal test.
set -euo pipefail

missing=()
for package in libedit-dev libsqlite3-dev pkg-config; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: please install ${missing[*]} (or your system's libedit and sqlite3 development files)" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  if ! python3 -c "import pexpect" >/dev/null 2>&1; then
    echo "setup: installing pexpect for the pseudo-terminal test"
    python3 -m pip install --quiet pexpect
  fi
fi
