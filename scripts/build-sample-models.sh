#!/usr/bin/env bash
# Rebuilds the sample loan-approval models in datasets/models/ from datasets/loans/:
# - xgboost/model.tar.gz with the real xgboost library (scripts/train_sample_models.py);
# - linear-learner/model.tar.gz with InferLab's own `train linear-learner` (deterministic).
# Usage: scripts/build-sample-models.sh [path/to/inferlab]   (default: .build/debug/inferlab)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/debug/inferlab}"
python3 scripts/train_sample_models.py datasets/models

workspace=$(mktemp -d)
trap 'rm -rf "$workspace"' EXIT
"$binary" --workspace "$workspace" <<'SCRIPT' | tee "$workspace/train.log"
aws s3 mb s3://samples
aws s3 cp datasets/loans/train.csv s3://samples/train/train.csv
aws s3 cp datasets/loans/validation.csv s3://samples/validation/validation.csv
train linear-learner --train s3://samples/train/ --validation s3://samples/validation/ --output s3://samples/models/ --model-name linear-learner
aws s3 cp s3://samples/models/linear-learner/output/model.tar.gz datasets/models/linear-learner/model.tar.gz
SCRIPT
