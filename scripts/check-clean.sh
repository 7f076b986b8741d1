#!/usr/bin/env bash
# Proves that a run leaves the checkout as it found it: `check-clean.sh save FILE` records what
# `git status` shows (untracked and ignored files too, less the build and venv folders), and
# `check-clean.sh compare FILE` fails, listing them, when anything new has appeared since.
set -euo pipefail
cd "$(dirname "$0")/.."
state() {
  git status --porcelain --untracked-files=all --ignored=matching \
    | grep -v -E '^!! (\.build[^/]*|\.venv|bench/\.venv)/' | sort || true
}
case "${1:-}" in
  save) state > "$2" ;;
  compare)
    new=$(comm -13 "$2" <(state))
    if [ -n "$new" ]; then
      echo "check-clean: the run left files in the checkout (tests must write only into temporary folders):" >&2
      echo "$new" >&2
      exit 1
    fi
    echo "check-clean: the checkout is as it was" ;;
  *) echo "usage: check-clean.sh save|compare FILE" >&2; exit 2 ;;
esac
