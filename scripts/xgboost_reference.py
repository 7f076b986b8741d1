#!/usr/bin/env python3
"""Reference models and predictions from the real xgboost, for Tests/InferLabEngineTests/XGBoostTests.swift.

Usage: python3 scripts/xgboost_reference.py OUTDIR

Trains small models on synthetic data (fixed seeds) and writes, for each case NAME, into OUTDIR:
  NAME.json, NAME.ubj      the model, via booster.save_model
  NAME-input.csv           test rows; a missing value is an empty field or `nan`
  NAME-expected.csv        booster.predict(DMatrix(X, missing=nan)), one row per input row
and manifest.json listing the cases. Values are written as the shortest text that reads back as
the same float32, so the Swift side sees exactly the numbers xgboost saw.

A case with "expect_error" in the manifest is a model the Swift runtime must refuse.
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb

ROWS_TRAIN = 600
ROWS_TEST = 200


def features(rng, rows, columns, missing_rate):
    X = rng.normal(size=(rows, columns)).astype(np.float32)
    X *= np.float32(3.0) ** np.arange(columns, dtype=np.float32) / 3  # columns on different scales
    if missing_rate:
        X[rng.random(X.shape) < missing_rate] = np.nan
    return X


def score(X):
    """A smooth signal with interactions, so trees split on several features."""
    Z = np.nan_to_num(X)
    return Z[:, 0] + 0.5 * Z[:, 1] * (Z[:, 2] > 0) - 0.1 * Z[:, -1]


def thresholds(booster):
    """(feature, threshold) of every numeric split, to put exact ties into the test rows."""
    model = json.loads(booster.save_raw("json"))["learner"]["gradient_booster"]
    model = model.get("model") or model.get("gbtree", {}).get("model") or {}
    pairs = []
    for tree in model.get("trees", []):
        for left, feature, condition in zip(tree["left_children"], tree["split_indices"], tree["split_conditions"]):
            if left != -1:
                pairs.append((feature, np.float32(condition)))
    return pairs


def test_rows(rng, booster, X_train, columns, missing_rate):
    """Fresh rows, rows copied from training (values that became cut points), rows whose values
    equal split thresholds exactly (the `<` versus `<=` question), and an all-missing row."""
    fresh = features(rng, ROWS_TEST, columns, missing_rate)
    copied = X_train[rng.choice(len(X_train), 40, replace=False)].copy()
    ties = features(rng, 40, columns, missing_rate)
    pairs = thresholds(booster)
    if pairs:
        for row in ties:
            for _ in range(3):
                feature, condition = pairs[rng.integers(len(pairs))]
                row[feature] = condition
    missing = np.full((1, columns), np.nan, dtype=np.float32)
    return np.vstack([fresh, copied, ties, missing]).astype(np.float32)


def text(value):
    return "" if np.isnan(value) else str(np.float32(value))


def write_csv(path, matrix, nan_word_every=0):
    with open(path, "w") as out:
        for index, row in enumerate(matrix):
            # Some rows spell missing as `nan`, the rest leave the field empty: readers see both.
            word = "nan" if nan_word_every and index % nan_word_every == 0 else ""
            out.write(",".join(word if np.isnan(v) else text(v) for v in row) + "\n")


def case(outdir, name, params, rounds, columns=5, missing_rate=0.0, labels="binary", seed=0,
         train_kwargs=None, expect_error=None, categorical_columns=()):
    rng = np.random.default_rng(seed)
    X = features(rng, ROWS_TRAIN, columns, missing_rate)
    for column in categorical_columns:
        X[:, column] = rng.integers(0, 4, ROWS_TRAIN)
    signal = score(X) + rng.normal(scale=0.3, size=ROWS_TRAIN)
    if labels == "binary":
        y = (signal > 0).astype(np.float32)
    elif labels == "probability":
        y = (1 / (1 + np.exp(-signal))).astype(np.float32)
    elif labels == "classes3":
        y = np.digitize(signal, [-0.5, 0.5]).astype(np.float32)
    elif labels == "counts":
        y = rng.poisson(np.exp(np.clip(signal, -3, 3))).astype(np.float32)
    elif labels == "positive":
        y = np.exp(np.clip(signal, -3, 3)).astype(np.float32) + np.float32(0.1)
    else:  # "large": regression targets around 100, where a float32 ulp exceeds 1e-6
        y = (100 + 25 * signal).astype(np.float32)
    dtrain = xgb.DMatrix(X, label=y, missing=np.nan, **(train_kwargs or {}))
    booster = xgb.train({"seed": seed, "nthread": 1, **params}, dtrain, rounds)

    booster.save_model(os.path.join(outdir, name + ".json"))
    booster.save_model(os.path.join(outdir, name + ".ubj"))
    entry = {"name": name, "objective": params.get("objective", "reg:squarederror"), "features": columns}
    if expect_error:
        entry["expect_error"] = expect_error
        return entry

    X_test = test_rows(rng, booster, X, columns, missing_rate)
    predictions = booster.predict(xgb.DMatrix(X_test, missing=np.nan))
    predictions = predictions.reshape(len(X_test), -1).astype(np.float32)
    write_csv(os.path.join(outdir, name + "-input.csv"), X_test, nan_word_every=7)
    write_csv(os.path.join(outdir, name + "-expected.csv"), predictions)
    entry.update({"rows": len(X_test), "outputs": predictions.shape[1]})
    return entry


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 scripts/xgboost_reference.py OUTDIR")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    cases = [
        # The cases the runtime is built for.
        case(outdir, "binary_logistic", {"objective": "binary:logistic", "max_depth": 4, "eta": 0.3},
             30, missing_rate=0.2, seed=1),
        case(outdir, "reg_squarederror_base_score",
             {"objective": "reg:squarederror", "max_depth": 5, "base_score": 87.5}, 40,
             missing_rate=0.1, labels="large", seed=2),
        case(outdir, "reg_logistic", {"objective": "reg:logistic", "max_depth": 3}, 20,
             columns=3, missing_rate=0.05, labels="probability", seed=3),
        case(outdir, "multi_softprob", {"objective": "multi:softprob", "num_class": 3, "max_depth": 4}, 25,
             missing_rate=0.1, labels="classes3", seed=4),
        case(outdir, "deep_binary", {"objective": "binary:logistic", "max_depth": 8, "eta": 0.2}, 50,
             columns=8, missing_rate=0.1, seed=5),
        # Cheap extras: other objectives, boosters and tree shapes.
        case(outdir, "multi_softmax", {"objective": "multi:softmax", "num_class": 3, "max_depth": 3}, 10,
             missing_rate=0.1, labels="classes3", seed=6),
        case(outdir, "binary_logitraw", {"objective": "binary:logitraw", "max_depth": 3}, 15,
             missing_rate=0.1, seed=7),
        case(outdir, "binary_hinge", {"objective": "binary:hinge", "max_depth": 3}, 10, seed=8),
        case(outdir, "count_poisson", {"objective": "count:poisson", "max_depth": 3}, 20,
             missing_rate=0.1, labels="counts", seed=9),
        case(outdir, "reg_gamma", {"objective": "reg:gamma", "max_depth": 3}, 20, labels="positive", seed=10),
        case(outdir, "reg_tweedie", {"objective": "reg:tweedie", "max_depth": 3}, 20, labels="counts", seed=11),
        case(outdir, "random_forest", {"objective": "reg:squarederror", "num_parallel_tree": 4,
                                       "subsample": 0.8, "colsample_bynode": 0.8, "max_depth": 4}, 3,
             missing_rate=0.1, labels="large", seed=12),
        case(outdir, "dart_regression", {"booster": "dart", "objective": "reg:squarederror", "max_depth": 4,
                                         "rate_drop": 0.3, "eta": 0.3}, 20,
             missing_rate=0.1, labels="large", seed=13),
        case(outdir, "dart_softprob", {"booster": "dart", "objective": "multi:softprob", "num_class": 3,
                                       "max_depth": 3, "rate_drop": 0.2}, 10,
             missing_rate=0.1, labels="classes3", seed=14),
        case(outdir, "gblinear_regression", {"booster": "gblinear", "objective": "reg:squarederror"}, 20,
             missing_rate=0.1, labels="large", seed=15),
        case(outdir, "gblinear_softprob", {"booster": "gblinear", "objective": "multi:softprob", "num_class": 3}, 10,
             missing_rate=0.1, labels="classes3", seed=16),
        # Models the runtime must refuse, with a message naming why.
        case(outdir, "categorical", {"objective": "binary:logistic", "max_depth": 3, "max_cat_to_onehot": 1}, 3,
             columns=3, seed=17, expect_error="categorical", categorical_columns=[1],
             train_kwargs={"feature_types": ["q", "c", "q"], "enable_categorical": True}),
    ]
    with open(os.path.join(outdir, "manifest.json"), "w") as out:
        json.dump({"xgboost_version": xgb.__version__, "cases": cases}, out, indent=1)


if __name__ == "__main__":
    main()
