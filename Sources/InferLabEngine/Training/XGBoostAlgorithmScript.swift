/// The built-in XGBoost algorithm's training side (`sagemaker-xgboost:1.7-1` in algorithm mode),
/// run by the course interpreter with the real `xgboost` library: the hyperparameters as the
/// algorithm takes them (strings, typed here), `train` (required) and `validation` channels of
/// CSV (label first, no header) or libsvm (the default, as the container's), the evaluation log
/// xgboost prints (`[3]\ttrain-logloss:0.41\tvalidation-logloss:0.45`, which the kit turns into
/// `train:logloss` and `validation:logloss`), and `xgboost-model` in `/opt/ml/model`, saved as
/// xgboost's JSON so the kit's own XGBoost container (`XGBoostModel.load`) serves it.
///
/// Written for the kit (not AWS's code): a learner's mistakes end the job as the container ends
/// it, with a `ClientError:` line in `/opt/ml/output/failure`, which SageMaker reads as the
/// job's FailureReason.
enum XGBoostAlgorithmScript {
    static let fileName = "xgboost_algorithm.py"

    static let source = #"""
import json
import os
import sys

OPT_ML = sys.argv[1]
FAILURE = os.path.join(OPT_ML, "output", "failure")


def fail(message):
    with open(FAILURE, "w") as out:
        out.write("ClientError: " + message)
    print("ClientError: " + message, file=sys.stderr)
    sys.exit(2)


INTEGERS = {"num_round", "max_depth", "max_leaves", "max_bin", "num_class", "num_parallel_tree", "seed", "nthread",
            "early_stopping_rounds", "verbosity", "max_cat_to_onehot", "_kfold", "_num_cv_round"}
FLOATS = {"eta", "gamma", "min_child_weight", "max_delta_step", "subsample", "colsample_bytree", "colsample_bylevel",
          "colsample_bynode", "lambda", "alpha", "scale_pos_weight", "base_score", "sketch_eps", "rate_drop", "skip_drop",
          "tweedie_variance_power", "lambda_bias"}
STRINGS = {"booster", "objective", "eval_metric", "tree_method", "grow_policy", "process_type", "updater", "sample_type",
           "normalize_type", "one_drop", "refresh_leaf", "monotone_constraints", "interaction_constraints",
           "single_precision_histogram", "deterministic_histogram", "csv_weights", "save_model_on_termination",
           "use_dask_gpu_training", "_tuning_objective_metric"}
OBJECTIVES = {"binary:logistic", "binary:logitraw", "binary:hinge", "reg:squarederror", "reg:squaredlogerror",
              "reg:logistic", "reg:pseudohubererror", "reg:absoluteerror", "reg:tweedie", "reg:gamma", "count:poisson",
              "multi:softmax", "multi:softprob", "rank:pairwise", "rank:ndcg", "rank:map", "survival:cox", "reg:linear"}


def hyperparameters():
    with open(os.path.join(OPT_ML, "input", "config", "hyperparameters.json")) as source:
        given = json.load(source)
    typed = {}
    for name, text in sorted(given.items()):
        if name.startswith("sagemaker_"):
            continue
        if name not in INTEGERS | FLOATS | STRINGS:
            fail("Additional hyperparameters are not allowed ('%s' was unexpected)" % name)
        try:
            typed[name] = int(float(text)) if name in INTEGERS else float(text) if name in FLOATS else str(text)
        except ValueError:
            kind = "an integer" if name in INTEGERS else "a number"
            fail("Hyperparameter %s: '%s' is not %s" % (name, text, kind))
    if "num_round" not in typed:
        fail("Missing required hyperparameter: num_round")
    if typed["num_round"] < 1:
        fail("Hyperparameter num_round: %d is below the minimum 1" % typed["num_round"])
    objective = typed.get("objective", "reg:squarederror")
    if objective not in OBJECTIVES:
        fail("Hyperparameter objective: '%s' is not one of %s" % (objective, ", ".join(sorted(OBJECTIVES))))
    if objective == "reg:linear":
        typed["objective"] = "reg:squarederror"
    return typed


def files_of(folder):
    found = []
    for base, folders, names in os.walk(folder):
        folders.sort()
        found += [os.path.join(base, name) for name in sorted(names) if not name.startswith(".")]
    return found


def load(channel, content_type):
    import numpy as np
    import xgboost as xgb
    folder = os.path.join(OPT_ML, "input", "data", channel)
    files = files_of(folder)
    if not files:
        fail("No data in %s channel path %s" % (channel, folder))
    kind = (content_type or "libsvm").split(";")[0].strip().lower()
    if kind in ("text/csv", "csv"):
        rows = []
        for path in files:
            try:
                block = np.loadtxt(path, delimiter=",", ndmin=2, dtype=np.float64)
            except ValueError as error:
                fail("Failed to load csv data with exception:\n%s (in %s; the label comes first and there is no header row)"
                     % (error, os.path.relpath(path, folder)))
            if block.size:
                rows.append(block)
        if not rows:
            fail("No data in %s channel path %s" % (channel, folder))
        widths = {block.shape[1] for block in rows}
        if len(widths) > 1:
            fail("Failed to load csv data with exception:\nthe files of channel %s have different numbers of columns: %s"
                 % (channel, sorted(widths)))
        data = np.vstack(rows)
        if data.shape[1] < 2:
            fail("Failed to load csv data with exception:\nchannel %s has one column; the label comes first, then the features" % channel)
        return xgb.DMatrix(data[:, 1:], label=data[:, 0])
    if kind in ("text/libsvm", "libsvm", "text/x-libsvm"):
        from sklearn.datasets import load_svmlight_files
        try:
            loaded = load_svmlight_files(files, zero_based=True)
        except ValueError as error:
            fail("Failed to load libsvm data with exception:\n%s" % error)
        import scipy.sparse
        features = scipy.sparse.vstack(loaded[0::2]).tocsr()
        labels = np.concatenate(loaded[1::2])
        return xgb.DMatrix(features, label=labels)
    fail("Content type %s is not supported by InferLab's XGBoost; use text/csv or text/libsvm" % content_type)


def main():
    params = hyperparameters()
    with open(os.path.join(OPT_ML, "input", "config", "inputdataconfig.json")) as source:
        channels = json.load(source)
    if "train" not in channels:
        fail("InputDataConfig needs a train channel (it has: %s)" % ", ".join(sorted(channels)) if channels else "InputDataConfig needs a train channel")
    import xgboost as xgb
    train = load("train", channels["train"].get("ContentType"))
    watchlist = [(train, "train")]
    if "validation" in channels:
        watchlist.append((load("validation", channels["validation"].get("ContentType")), "validation"))
    rounds = params.pop("num_round")
    stopping = params.pop("early_stopping_rounds", None)
    for unused in ("save_model_on_termination", "_kfold", "_num_cv_round", "_tuning_objective_metric", "csv_weights",
                   "use_dask_gpu_training", "single_precision_histogram", "deterministic_histogram"):
        params.pop(unused, None)
    if "eval_metric" in params:
        params["eval_metric"] = [metric for metric in params["eval_metric"].split(",") if metric]
    print("Train matrix has %d rows and %d columns" % (train.num_row(), train.num_col()))
    booster = xgb.train(params, train, num_boost_round=rounds, evals=watchlist,
                        early_stopping_rounds=stopping if len(watchlist) > 1 else None, verbose_eval=True)
    with open(os.path.join(OPT_ML, "model", "xgboost-model"), "wb") as out:
        out.write(booster.save_raw("json"))
    print("Saved the model to /opt/ml/model/xgboost-model")


if __name__ == "__main__":
    main()
"""#
}
