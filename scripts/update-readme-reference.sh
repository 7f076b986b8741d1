#!/usr/bin/env bash
# Replaces the command reference in README.md (between the commands markers) with what the
# command declarations say: `inferlab docs commands`.
set -euo pipefail
binary="$1"
cd "$(dirname "$0")/.."
reference=$(mktemp)
"$binary" --workspace "$(mktemp -d)" docs commands > "$reference"
python3 - "$reference" <<'PY'
import sys, re
reference = open(sys.argv[1]).read()
readme = open("README.md").read()
begin, end = "<!-- commands:begin -->", "<!-- commands:end -->"
head, rest = readme.split(begin)
_, tail = rest.split(end)
open("README.md", "w").write(head + begin + "\n" + reference + end + tail)
PY
echo "README.md command reference updated"
