"""Trains the sample loan-approval XGBoost model with the real xgboost library and packages it
as SageMaker does: model.tar.gz holding `xgboost-model` (JSON format).

Usage: python3 scripts/train_sample_models.py [OUTPUT_DIR]   (default: datasets/models)
Reads datasets/loans/train.csv and validation.csv (label first, no header). Deterministic:
fixed seed, single thread, exact tree method. Prints validation accuracy and AUC.
"""
import io
import json
import os
import sys
import tarfile

import numpy as np
import xgboost as xgb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "datasets", "models")

PARAMS = {
    "objective": "binary:logistic",
    "max_depth": 4,
    "eta": 0.2,
    "subsample": 1.0,
    "min_child_weight": 5,
    "eval_metric": "auc",
    "tree_method": "exact",
    "nthread": 1,
    "seed": 7,
}
ROUNDS = 60


def load(name):
    data = np.loadtxt(os.path.join(ROOT, "datasets", "loans", name), delimiter=",", dtype=np.float64)
    return data[:, 1:], data[:, 0]


def auc(labels, scores):
    """Rank-based AUC (Mann-Whitney U), ties averaged."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = labels == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return (ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def package(model_bytes, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("xgboost-model")
        info.size = len(model_bytes)
        info.mtime = 0
        tar.addfile(info, io.BytesIO(model_bytes))
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue())


def main():
    x_train, y_train = load("train.csv")
    x_valid, y_valid = load("validation.csv")
    booster = xgb.train(PARAMS, xgb.DMatrix(x_train, label=y_train), ROUNDS)
    scores = booster.predict(xgb.DMatrix(x_valid))
    accuracy = float(((scores >= 0.5) == (y_valid == 1)).mean())
    metrics = {"validation_accuracy": round(accuracy, 4), "validation_auc": round(float(auc(y_valid, scores)), 4),
               "xgboost_version": xgb.__version__, "rounds": ROUNDS, "params": PARAMS}
    raw = booster.save_raw(raw_format="json")
    package(bytes(raw), os.path.join(OUT, "xgboost", "model.tar.gz"))
    with open(os.path.join(OUT, "xgboost", "metrics.json"), "w") as handle:
        json.dump(metrics, handle, indent=2)
        handle.write("\n")
    print(json.dumps(metrics))
    lesson = np.array([[25, 50000, 2], [35, 60000, 3], [45, 45000, 1]], dtype=np.float64)
    print("lesson rows:", booster.predict(xgb.DMatrix(lesson)).tolist())


if __name__ == "__main__":
    main()
