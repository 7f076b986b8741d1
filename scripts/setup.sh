#!/usr/bin/env bash
# Installs what InferLab needs and is missing: libedit-dev, libsqlite3-dev and zlib1g-dev through apt-get
# (with sudo when not root), and the course's Python clients (boto3, the aws CLI, the SageMaker SDK)
# in a venv, .venv/,
# which the kit's local AWS endpoint is tested with and learners can use (`.venv/bin/aws`). With
# --test, also python3's pexpect for the pseudo-terminal test and xgboost (with numpy) for the
# XGBoost reference test.
set -euo pipefail

missing=()
for package in libedit-dev libsqlite3-dev zlib1g-dev pkg-config; do
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

# The course's clients, at the versions the wire captures were recorded with or later: boto3, the
# aws CLI and the SageMaker Python SDK v2 (the course's `sagemaker.transformer.Transformer`).
venv="$(dirname "$0")/../.venv"
if ! "$venv/bin/python" -c "import boto3, awscli, sagemaker.transformer" >/dev/null 2>&1; then
  echo "setup: making the course venv (.venv) with boto3, the aws CLI and the SageMaker SDK"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade "boto3>=1.43" "awscli>=1.45" "sagemaker>=2.257,<3"
fi
# What learners' own code runs with, in the framework containers and training jobs (the SKLearn and
# XGBoost images' libraries). xgboost-cpu is the CPU-only wheel (about 6 MB against 130 MB with the
# CUDA libraries); where PyPI has none (macOS), xgboost.
if ! "$venv/bin/python" -c "import sklearn, pandas, numpy, joblib, xgboost" >/dev/null 2>&1; then
  echo "setup: adding scikit-learn, pandas, numpy, joblib and xgboost to the course venv"
  "$venv/bin/python" -m pip install --quiet "scikit-learn>=1.3" "pandas>=2" numpy joblib
  "$venv/bin/python" -m pip install --quiet xgboost-cpu 2>/dev/null || "$venv/bin/python" -m pip install --quiet xgboost
fi
# AWS's serving toolkit, which the SKLearn and XGBoost images run learners' inference scripts with
# and which scripts import (`from sagemaker_containers.beta.framework import encoders, worker`).
# Its last release pins flask==1.1.1, which does not run on this Python; the images install it
# beside Flask 3 (their requirements.txt), and so does this: without its pins, then what its
# import needs (the gunicorn and gevent server it would start is not used: the kit calls the
# toolkit's Flask worker itself). It builds a small C extension, so it needs a C compiler.
if ! "$venv/bin/python" -c "import sagemaker_containers, flask, paramiko, retrying, inotify_simple" >/dev/null 2>&1; then
  echo "setup: adding AWS's serving toolkit (sagemaker-containers) and Flask to the course venv"
  "$venv/bin/python" -m pip install --quiet --no-deps "sagemaker-containers==2.8.6.post2"
  "$venv/bin/python" -m pip install --quiet "flask>=3" "paramiko>=2.4.2" "retrying>=1.3.3" "inotify_simple==1.2.1"
fi

if [ "${1:-}" = "--test" ]; then
  if ! python3 -c "import pexpect" >/dev/null 2>&1; then
    echo "setup: installing pexpect for the pseudo-terminal test"
    python3 -m pip install --quiet pexpect
  fi
  # The SageMaker SDK v3 (its core holds `sagemaker.core.transformer.Transformer`) in a venv of its
  # own: v2 and v3 are both the package `sagemaker`.
  sdk3="$(dirname "$0")/../.venv-sdk3"
  if ! "$sdk3/bin/python" -c "import sagemaker.core.transformer" >/dev/null 2>&1; then
    echo "setup: making the SageMaker SDK v3 test venv (.venv-sdk3)"
    python3 -m venv "$sdk3"
    "$sdk3/bin/python" -m pip install --quiet --upgrade "sagemaker-core>=2.27,<3"
  fi
  # The XGBoost runtime is checked against the real library. xgboost-cpu is the CPU-only wheel
  # (about 6 MB against 130 MB with the CUDA libraries); where PyPI has none (macOS), use xgboost.
  if ! python3 -c "import xgboost, numpy" >/dev/null 2>&1; then
    echo "setup: installing xgboost and numpy for the XGBoost reference test"
    python3 -m pip install --quiet xgboost-cpu numpy 2>/dev/null || python3 -m pip install --quiet xgboost numpy
  fi
fi
