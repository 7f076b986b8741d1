#!/usr/bin/env bash
# The batch-transform benchmark (bench/README.md): one command, release build.
#
# Generates a loan CSV, transforms it with InferLab's two sample models (a transform job each, in a
# fresh workspace) and does the same work on the same file with pandas + scikit-learn, DuckDB,
# polars and pandas + xgboost, then checks that every peer's predictions agree with InferLab's and
# prints wall times, ratios and peak RSS.
#
# Settings (environment):
#   ROWS=10000000        rows to generate (ROWS=200000 for a quick run)
#   RUNS=3               rounds; the table shows each figure's median over the rounds
#   SETTINGS="6x2 100x1" the jobs' MaxPayloadInMB x MaxConcurrentTransforms, one job per model for
#                        each: AWS's default payload (with 2 requests at once, how one instance uses
#                        both cores) and the largest payload AWS allows (100 MB, so one at a time).
#                        The peers' ratios are against the first; the others' outputs must be the
#                        same bytes as the first's.
#   MAX_PAYLOAD_MB, MAX_CONCURRENT   one setting instead (default 6 and 2)
#   INFERLAB=path        the inferlab binary (default .build/release/inferlab, built if missing)
#   PYTHON=python3       the Python that makes bench/.venv
set -euo pipefail

cd "$(dirname "$0")/.."
ROWS=${ROWS:-10000000}
RUNS=${RUNS:-3}
if [ -n "${MAX_PAYLOAD_MB:-}${MAX_CONCURRENT:-}" ]; then SETTINGS="${MAX_PAYLOAD_MB:-6}x${MAX_CONCURRENT:-2}"; fi
SETTINGS=${SETTINGS:-6x2 100x1}
read -r -a SETTING_LIST <<<"$SETTINGS"
FIRST_SETTING=${SETTING_LIST[0]}
INFERLAB=${INFERLAB:-.build/release/inferlab}
PYTHON=${PYTHON:-python3}
OUT=bench/out
VENV=bench/.venv

say() { printf '\n== %s\n' "$*"; }

# --- Tools ----------------------------------------------------------------------------------------

if [ ! -x "$INFERLAB" ]; then
  say "building $INFERLAB (release)"
  swift build -c release --product inferlab
fi
INFERLAB=$(cd "$(dirname "$INFERLAB")" && pwd)/$(basename "$INFERLAB")

if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY=$VENV/bin/python
missing=()
for module in pandas sklearn xgboost duckdb polars; do
  "$PY" -c "import $module" >/dev/null 2>&1 || missing+=("$module")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} into $VENV (PyPI)"
  packages=()
  for module in "${missing[@]}"; do
    case $module in
      sklearn) packages+=(scikit-learn) ;;
      xgboost) ;;  # below: the CPU-only wheel first
      *) packages+=("$module") ;;
    esac
  done
  [ ${#packages[@]} -eq 0 ] || "$PY" -m pip install --quiet "${packages[@]}"
  if [[ " ${missing[*]} " == *" xgboost "* ]]; then
    # xgboost-cpu is the CPU-only wheel (~6 MB against ~130 MB with CUDA); not on every platform.
    "$PY" -m pip install --quiet xgboost-cpu 2>/dev/null || "$PY" -m pip install --quiet xgboost
  fi
fi

# Peak RSS comes from GNU time (-v); Debian's `time` package has it.
if [ ! -x /usr/bin/time ] && command -v apt-get >/dev/null 2>&1; then
  say "installing GNU time (apt-get install time)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq time >/dev/null || true
fi
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time (GNU time) is needed to measure peak RSS" >&2; exit 1; }

# --- Input and models -------------------------------------------------------------------------------

mkdir -p "$OUT"
if [ "$ROWS" = 10000000 ]; then INPUT=$OUT/loans-10m.csv; else INPUT=$OUT/loans-$ROWS.csv; fi
if [ ! -s "$INPUT" ]; then
  say "generating $INPUT"
  "$INFERLAB" datasets generate --rows "$ROWS" --seed 42 --output "$INPUT"
fi
KEY=$(basename "$INPUT")
MODELS=$OUT/models
for model in linear-learner xgboost; do
  mkdir -p "$MODELS/$model"
  tar -xzf "datasets/models/$model/model.tar.gz" -C "$MODELS/$model"
done

# A fresh workspace: the models, and the input uploaded once (the upload is not part of a job).
WORKSPACE=$OUT/workspace
rm -rf "$WORKSPACE"
kit() { INFERLAB_PROVISIONING_SECONDS=0 "$INFERLAB" --plain --workspace "$WORKSPACE" "$@"; }
say "workspace $WORKSPACE"
kit >/dev/null <<EOF
aws s3 mb s3://bench
aws s3 cp datasets/models/linear-learner/model.tar.gz s3://bench/models/linear-learner/model.tar.gz
aws s3 cp datasets/models/xgboost/model.tar.gz s3://bench/models/xgboost/model.tar.gz
aws sagemaker create-model --model-name bench-linear-learner --primary-container Image=linear-learner,ModelDataUrl=s3://bench/models/linear-learner/model.tar.gz
aws sagemaker create-model --model-name bench-xgboost --primary-container Image=xgboost,ModelDataUrl=s3://bench/models/xgboost/model.tar.gz
EOF
start=$(date +%s%N)
kit aws s3 cp "$INPUT" "s3://bench/input/$KEY" >/dev/null
UPLOAD_SECONDS=$(( ($(date +%s%N) - start) / 1000000 ))
say "uploaded $KEY ($(stat -c %s "$INPUT") bytes) in $((UPLOAD_SECONDS / 1000)).$(printf %03d $((UPLOAD_SECONDS % 1000))) s (aws s3 cp, not counted below)"

# --- Measuring -------------------------------------------------------------------------------------

RESULTS=$OUT/results.tsv
: >"$RESULTS"
TIMES=$OUT/time.txt

# measured TOOL TASK OUTPUT_FILE COMMAND... : runs COMMAND under GNU time; sets WALL (seconds, from
# the clock around it), RSS_KIB (peak resident set) and STDOUT (what it printed).
measured() {
  local start end
  start=$(date +%s%N)
  STDOUT=$(/usr/bin/time -v -o "$TIMES" "$@")
  end=$(date +%s%N)
  WALL=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')
  RSS_KIB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TIMES")
}

# One transform job: create-transform-job and wait, in one inferlab process (the job runs in the
# process that creates it), so its peak RSS is the job's.
# The first setting is "InferLab" (and writes output/MODEL/), another "InferLab PxC" (output/MODEL-PxC/).
kit_job() {  # kit_job TASK MODEL ACCEPT RUN SETTING
  local task=$1 model=$2 accept=$3 run=$4 setting=$5 name="bench-$2-$4-$5"
  local payload=${setting%x*} concurrent=${setting#*x} tool="InferLab" prefix=$model
  if [ "$setting" != "$FIRST_SETTING" ]; then tool="InferLab $setting"; prefix=$model-$setting; fi
  local script=$OUT/$name.txt
  cat >"$script" <<EOF
aws sagemaker create-transform-job --transform-job-name $name --model-name bench-$model --max-concurrent-transforms $concurrent --max-payload-in-mb $payload --transform-input 'DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://bench/input/$KEY}},ContentType=text/csv,SplitType=Line' --transform-output S3OutputPath=s3://bench/output/$prefix/,Accept=$accept,AssembleWith=Line --transform-resources InstanceType=ml.m5.large,InstanceCount=1
aws sagemaker wait transform-job-completed-or-stopped --transform-job-name $name
EOF
  measured env INFERLAB_PROVISIONING_SECONDS=0 "$INFERLAB" --plain --workspace "$WORKSPACE" <"$script"
  # The job's own time: TransformStartTime to TransformEndTime.
  local job
  job=$(kit aws sagemaker describe-transform-job --transform-job-name "$name" | "$PY" -c '
import json, sys
from datetime import datetime
job = json.load(sys.stdin)
assert job["TransformJobStatus"] == "Completed", job.get("FailureReason")
start, end = (datetime.fromisoformat(job[k]) for k in ("TransformStartTime", "TransformEndTime"))
print(f"{(end - start).total_seconds():.3f}")')
  local output=$WORKSPACE/buckets/bench/output/$prefix/$KEY.out
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$task" "$WALL" "$job" "$RSS_KIB" "$(stat -c %s "$output")" >>"$RESULTS"
  printf '  %-15s %s: MaxPayloadInMB=%s, MaxConcurrentTransforms=%s: job %s s, command %s s, peak RSS %s MiB\n' \
    "$tool" "$task" "$payload" "$concurrent" "$job" "$WALL" $((RSS_KIB / 1024))
}

peer() {  # peer TOOL TASK MODEL_DIR
  local tool=$1 task=$2 output=$OUT/$1.csv
  rm -f "$output"
  measured "$PY" bench/peers.py run "$tool" "$INPUT" "$output" "$MODELS/$3"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$task" "$WALL" "$STDOUT" "$RSS_KIB" "$(stat -c %s "$output")" >>"$RESULTS"
  printf '  %-15s %s: work %s s, process %s s, peak RSS %s MiB\n' "$tool" "$task" "$STDOUT" "$WALL" $((RSS_KIB / 1024))
}

LOGISTIC="logistic (Linear Learner)"
TREES="XGBoost"
# Other work on the machine skews every figure: say how busy it was.
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }
for run in $(seq 1 "$RUNS"); do
  say "round $run of $RUNS ($ROWS rows; load average before: $(load))"
  for setting in "${SETTING_LIST[@]}"; do kit_job "$LOGISTIC" linear-learner application/jsonlines "$run" "$setting"; done
  peer duckdb "$LOGISTIC" linear-learner
  peer polars "$LOGISTIC" linear-learner
  peer pandas-sklearn "$LOGISTIC" linear-learner
  for setting in "${SETTING_LIST[@]}"; do kit_job "$TREES" xgboost text/csv "$run" "$setting"; done
  peer pandas-xgboost "$TREES" xgboost
done

# --- Checks and table ----------------------------------------------------------------------------------

say "do the peers predict what InferLab predicts?"
status=0
for tool in duckdb polars pandas-sklearn; do
  "$PY" bench/peers.py check logistic "$WORKSPACE/buckets/bench/output/linear-learner/$KEY.out" "$OUT/$tool.csv" || status=1
done
"$PY" bench/peers.py check xgboost "$WORKSPACE/buckets/bench/output/xgboost/$KEY.out" "$OUT/pandas-xgboost.csv" || status=1
for setting in "${SETTING_LIST[@]:1}"; do
  for model in linear-learner xgboost; do
    if cmp -s "$WORKSPACE/buckets/bench/output/$model/$KEY.out" "$WORKSPACE/buckets/bench/output/$model-$setting/$KEY.out"; then
      echo "  ok   $model at $setting: the same output as at $FIRST_SETTING"
    else
      echo "  FAIL $model at $setting: not the output of $FIRST_SETTING"; status=1
    fi
  done
done

say "results: $ROWS rows, $RUNS round(s), medians; InferLab at MaxPayloadInMB x MaxConcurrentTransforms $FIRST_SETTING (\"InferLab PxC\": at PxC)"
"$PY" bench/peers.py table "$RESULTS"
echo
echo "Wall: the whole process (InferLab: create-transform-job + wait; peers: python, imports included)."
echo "Work: InferLab's job (TransformStartTime to TransformEndTime); a peer's read-score-write."
echo "Ratio: the peer's time over InferLab's for the same task (above 1: InferLab is faster)."
echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date -u +%Y-%m-%d)"
"$PY" bench/peers.py versions

# --- Endpoints -----------------------------------------------------------------------------------------

say "endpoints: 1,000 async invocations and real-time latency (bench/EndpointBench)"
swift build -c release --product inferlab-endpoint-bench
.build/release/inferlab-endpoint-bench . || status=1
exit $status
