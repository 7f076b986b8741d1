#!/usr/bin/env bash
# The training-job benchmark (bench/README.md): what a training job costs over doing the same
# training by hand, for the three kinds the kit runs.
#
# Generates labelled loan rows, then, RUNS times:
#   - XGBoost: a training job with the built-in XGBoost image (num_round=50, max_depth=4,
#     binary:logistic, CSV) against the same xgboost.train in one plain Python process;
#   - Linear Learner: a training job (the kit's Newton trainer) against scikit-learn's
#     StandardScaler + LogisticRegression (lbfgs) in one Python process;
#   - SKLearn script mode: a training job running a LogisticRegression script against the same
#     script run directly.
# Each job runs in one `inferlab` process (create + wait) with no simulated delays, under GNU time
# (peak RSS of the kit's process; the container's own Python is a child, counted by GNU time too).
#
# Settings: ROWS=1000000, RUNS=3, INFERLAB=.build/release/inferlab (built if missing),
# PYTHON=.venv/bin/python (the course venv: xgboost, scikit-learn, pandas).
set -euo pipefail

cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
INFERLAB=${INFERLAB:-.build/release/inferlab}
PYTHON=${PYTHON:-.venv/bin/python}
OUT=bench/out/training
[ -x "$INFERLAB" ] || swift build -c release --product inferlab
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time (GNU time) is needed" >&2; exit 1; }
[ -x "$PYTHON" ] || scripts/setup.sh
rm -rf "$OUT" && mkdir -p "$OUT/code"
export INFERLAB_PROVISIONING_SECONDS=0 INFERLAB_STARTUP_SECONDS=0 INFERLAB_PYTHON="$PWD/$PYTHON"

"$INFERLAB" --workspace "$OUT/ws" datasets generate --rows "$ROWS" --seed 42 --with-label --output "$OUT/train.csv" >/dev/null
cat >"$OUT/code/train.py" <<'PY'
import os, joblib, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
folder = os.environ.get("SM_CHANNEL_TRAIN", os.path.dirname(os.path.abspath(__file__)) + "/..")
frame = pd.read_csv(os.path.join(folder, "train.csv"), header=None)
model = make_pipeline(StandardScaler(), LogisticRegression()).fit(frame.iloc[:, 1:], frame.iloc[:, 0])
print("accuracy", model.score(frame.iloc[:, 1:], frame.iloc[:, 0]))
joblib.dump(model, os.path.join(os.environ.get("SM_MODEL_DIR", "/tmp"), "model.joblib"))
PY
tar czf "$OUT/sourcedir.tar.gz" -C "$OUT/code" train.py
"$INFERLAB" --workspace "$OUT/ws" >/dev/null <<EOF
aws s3 mb s3://bench
aws s3 cp $OUT/train.csv s3://bench/train/train.csv
aws s3 cp $OUT/sourcedir.tar.gz s3://bench/code/sourcedir.tar.gz
EOF

ROLE=arn:aws:iam::123456789012:role/SageMakerRole
CHANNEL='ChannelName=train,DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://bench/train/}},ContentType=text/csv'
RESOURCES=InstanceType=ml.m5.large,InstanceCount=1,VolumeSizeInGB=10
job() {  # job NAME IMAGE HYPERPARAMETERS
  printf 'aws sagemaker create-training-job --training-job-name %s --role-arn %s --algorithm-specification TrainingImage=%s,TrainingInputMode=File --hyper-parameters %s --input-data-config %s --output-data-config S3OutputPath=s3://bench/out/ --resource-config %s\naws sagemaker wait training-job-completed-or-stopped --training-job-name %s\n' \
    "$1" "$ROLE" "$2" "'$3'" "'$CHANNEL'" "$RESOURCES" "$1"
}
# measure LABEL COMMAND... : prints "LABEL | wall s | peak RSS MiB" (GNU time's, the largest of the
# process and the children it waited for: for a job, the container's Python)
measure() {
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$OUT/rss" "$@" >/dev/null
  end=$(date +%s.%N)
  printf '%s | %.2f | %d\n' "$label" "$(echo "$end - $start" | bc)" "$(( $(tail -1 "$OUT/rss") / 1024 ))"
}

XGB='num_round=50,max_depth=4,eta=0.2,objective=binary:logistic'
SCRIPT='sagemaker_program="train.py",sagemaker_submit_directory="s3://bench/code/sourcedir.tar.gz"'
for run in $(seq 1 "$RUNS"); do
  job "xgb-$run" xgboost "$XGB" >"$OUT/xgb.txt"
  job "ll-$run" linear-learner 'feature_dim=3,predictor_type=binary_classifier' >"$OUT/ll.txt"
  job "sk-$run" sklearn "$SCRIPT" >"$OUT/sk.txt"
  measure "XGBoost job" sh -c "exec '$INFERLAB' --workspace '$OUT/ws' <'$OUT/xgb.txt'"
  measure "XGBoost by hand (numpy + xgboost.train)" "$PYTHON" -c "
import numpy as np, xgboost as xgb
data = np.loadtxt('$OUT/train.csv', delimiter=',', ndmin=2)
matrix = xgb.DMatrix(data[:, 1:], label=data[:, 0])
booster = xgb.train({'max_depth': 4, 'eta': 0.2, 'objective': 'binary:logistic'}, matrix, 50, evals=[(matrix, 'train')])
open('$OUT/xgboost-model', 'wb').write(booster.save_raw('json'))"
  measure "Linear Learner job" sh -c "exec '$INFERLAB' --workspace '$OUT/ws' <'$OUT/ll.txt'"
  measure "logistic by hand (pandas + scikit-learn)" "$PYTHON" -c "
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
frame = pd.read_csv('$OUT/train.csv', header=None)
make_pipeline(StandardScaler(), LogisticRegression()).fit(frame.iloc[:, 1:], frame.iloc[:, 0])"
  measure "SKLearn script-mode job" sh -c "exec '$INFERLAB' --workspace '$OUT/ws' <'$OUT/sk.txt'"
  measure "the same script by hand" env SM_CHANNEL_TRAIN="$PWD/$OUT" SM_MODEL_DIR="$PWD/$OUT" "$PYTHON" "$OUT/code/train.py"
done
"$INFERLAB" --workspace "$OUT/ws" -c "aws sagemaker list-training-jobs --query 'TrainingJobSummaries[].[TrainingJobName,TrainingJobStatus]' --output text"
