#!/usr/bin/env bash
# Regenerates every file in datasets/loans/ exactly as committed (datasets/README.md says what
# each one is): the generated ones with `inferlab datasets generate` and fixed seeds, which give
# the same bytes on any computer, and the few hand-written ones with printf and awk.
#
# Usage: scripts/generate-datasets.sh [INFERLAB]   (default .build/debug/inferlab: `make build` first)
set -euo pipefail
cd "$(dirname "$0")/.."

binary="${1:-.build/debug/inferlab}"
if [ ! -x "$binary" ]; then
  echo "generate-datasets: no inferlab binary at $binary: run \`make build\` first, or pass its path" >&2
  exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The shell wants a workspace; a throwaway one keeps the repository clean.
generate() { "$binary" --workspace "$scratch/workspace" datasets generate "$@"; }

out=datasets/loans
rm -rf "$out/split" "$out/async"
mkdir -p "$out/async"

# Training and validation: the label `approved` first, as SageMaker's built-in algorithms expect.
generate --rows 20000 --seed 1 --with-label --output "$out/train.csv"
generate --rows 5000 --seed 2 --with-label --output "$out/validation.csv"

# Batch transform inputs: the same 1,000 applicants (seed 3) in every shape.
generate --rows 1000 --seed 3 --output "$out/batch-1000.csv"
generate --rows 1000 --seed 3 --format jsonl --output "$out/batch-1000.jsonl"
generate --rows 1000 --seed 3 --with-id --output "$out/batch-1000-with-id.csv"
generate --rows 1000 --seed 3 --files 4 --output "$out/split"

# Asynchronous inference requests: a few rows each.
generate --rows 3 --seed 11 --output "$out/async/request-1.csv"
generate --rows 4 --seed 12 --output "$out/async/request-2.csv"
generate --rows 5 --seed 13 --output "$out/async/request-3.csv"
printf '33,58000,1\n47,seventy thousand,2\n52,61000,0\n' > "$out/async/malformed.csv"

# The course's three example rows, as csv and as jsonl.
printf '25,50000,2\n35,60000,3\n45,45000,1\n' > "$out/data.csv"
printf '{"features":[25,50000,2]}\n{"features":[35,60000,3]}\n{"features":[45,45000,1]}\n' > "$out/data.jsonl"

# 20 good rows (seed 4) with a bad one at lines 5, 10, 15 and 20 of the result.
generate --rows 20 --seed 4 --output "$scratch/good.csv" > /dev/null
awk 'BEGIN {
       bad[5] = "41,52000"                # 2 columns
       bad[10] = "29,48000,1,7"           # 4 columns
       bad[15] = "35,sixty thousand,1"    # not a number
       bad[20] = "40,,2"                  # an empty field
     }
     { while ((n + 1) in bad) { n++; print bad[n] }
       n++; print }' "$scratch/good.csv" > "$out/bad-records.csv"

echo "datasets/loans regenerated"
