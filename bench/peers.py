"""The peers of the batch-transform benchmark, and its checks and table.

Each peer does what an InferLab transform job does with the same sample model: read the loan
CSV (no header; age, annual_income, existing_loans), score every row, write one prediction per
line to a file. One peer per process, so that run.sh can measure each one's peak RSS.

    peers.py run TOOL INPUT OUTPUT MODEL_DIR   # TOOL: pandas-sklearn | duckdb | polars | pandas-xgboost
    peers.py check KIND KIT_OUTPUT PEER_OUTPUT # KIND: logistic | xgboost; exit 1 when they disagree
    peers.py table RESULTS_TSV                 # the table run.sh prints and bench/README.md quotes
    peers.py versions                          # the Python packages measured

`run` prints the seconds spent from reading the CSV to closing the output (after the imports),
so the table can show that next to the whole process's wall time.

The logistic peers compute what Linear Learner's container computes, from the same artifact
(linear-learner-model.json): z = bias + sum(w_i * (x_i - mean_i) / scale_i) in float64, then
1 / (1 + e^-z), and the label score >= threshold. They write `score,predicted_label`: the same
two facts as the kit's JSON Lines, in CSV, the format these tools write natively.
"""

import json
import os
import sys
import time

FEATURES = ["age", "annual_income", "existing_loans"]


def linear_learner(model_dir):
    with open(os.path.join(model_dir, "linear-learner-model.json")) as handle:
        model = json.load(handle)
    assert model["predictor_type"] == "binary_classifier", "the benchmark expects the binary classifier"
    return model


def pandas_sklearn(source, target, model_dir):
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = linear_learner(model_dir)
    # A fitted scaler and classifier built from the artifact's numbers rather than by fit():
    # StandardScaler computes (x - mean_) / scale_, LogisticRegression sigmoid(x . coef_ + intercept_),
    # the container's own formula.
    scaler = StandardScaler()
    scaler.mean_ = np.array(model["feature_means"])
    scaler.scale_ = np.array(model["feature_scales"])
    scaler.var_ = scaler.scale_ ** 2
    scaler.n_features_in_ = len(FEATURES)
    scaler.n_samples_seen_ = model.get("training", {}).get("rows", 1)
    classifier = LogisticRegression()
    classifier.coef_ = np.array([model["weights"]])
    classifier.intercept_ = np.array([model["bias"]])
    classifier.classes_ = np.array([0, 1])
    classifier.n_features_in_ = len(FEATURES)
    pipeline = make_pipeline(scaler, classifier)

    started = time.perf_counter()
    frame = pd.read_csv(source, header=None, names=FEATURES, dtype="float64")
    score = pipeline.predict_proba(frame.to_numpy())[:, 1]
    out = pd.DataFrame({"score": score, "predicted_label": (score >= model["binary_threshold"]).astype("int8")})
    out.to_csv(target, header=False, index=False)
    return time.perf_counter() - started


def logistic_sql(model):
    """The score as one SQL expression over the feature columns (DuckDB)."""
    terms = [f"{w!r} * (({name} - {m!r}) / {s!r})"
             for name, w, m, s in zip(FEATURES, model["weights"], model["feature_means"], model["feature_scales"])]
    return f"1.0 / (1.0 + exp(-({model['bias']!r} + " + " + ".join(terms) + ")))"


def duckdb_peer(source, target, model_dir):
    import duckdb

    model = linear_learner(model_dir)
    score = logistic_sql(model)
    columns = "{" + ", ".join(f"'{name}': 'DOUBLE'" for name in FEATURES) + "}"
    started = time.perf_counter()
    connection = duckdb.connect()
    connection.execute(f"""
        COPY (
            SELECT score, CAST(score >= {model['binary_threshold']!r} AS INTEGER) AS predicted_label
            FROM (SELECT {score} AS score
                  FROM read_csv('{source}', header = false, columns = {columns}))
        ) TO '{target}' (FORMAT csv, HEADER false)
    """)
    connection.close()
    return time.perf_counter() - started


def polars_peer(source, target, model_dir):
    import polars as pl

    model = linear_learner(model_dir)
    z = pl.lit(model["bias"])
    for name, w, m, s in zip(FEATURES, model["weights"], model["feature_means"], model["feature_scales"]):
        z = z + w * ((pl.col(name) - m) / s)
    score = 1.0 / (1.0 + (-z).exp())
    started = time.perf_counter()
    (pl.scan_csv(source, has_header=False, new_columns=FEATURES, schema_overrides={n: pl.Float64 for n in FEATURES})
       .select(score.alias("score"))
       .with_columns((pl.col("score") >= model["binary_threshold"]).cast(pl.Int8).alias("predicted_label"))
       .sink_csv(target, include_header=False))
    return time.perf_counter() - started


def pandas_xgboost(source, target, model_dir):
    import pandas as pd
    import xgboost

    booster = xgboost.Booster()
    # The artifact's file has no extension (SageMaker's name): hand xgboost the bytes, which it
    # recognises as JSON or UBJSON, rather than let it guess from a file name.
    with open(os.path.join(model_dir, "xgboost-model"), "rb") as handle:
        booster.load_model(bytearray(handle.read()))
    started = time.perf_counter()
    # float32 straight away, as xgboost (and SageMaker's container) reads CSV features.
    frame = pd.read_csv(source, header=None, names=FEATURES, dtype="float32")
    prediction = booster.inplace_predict(frame.to_numpy())
    pd.DataFrame({"score": prediction}).to_csv(target, header=False, index=False)
    return time.perf_counter() - started


PEERS = {"pandas-sklearn": pandas_sklearn, "duckdb": duckdb_peer, "polars": polars_peer, "pandas-xgboost": pandas_xgboost}


def kit_scores(path, kind):
    import polars as pl
    if kind == "logistic":
        # {"score":0.3264097,"predicted_label":0} per line.
        frame = pl.read_ndjson(path, schema={"score": pl.Float64, "predicted_label": pl.Int64})
        return frame["score"].to_numpy(), frame["predicted_label"].to_numpy()
    frame = pl.read_csv(path, has_header=False, new_columns=["score"], schema_overrides={"score": pl.Float64})
    return frame["score"].to_numpy(), None


def peer_scores(path, kind):
    import polars as pl
    names = ["score", "predicted_label"] if kind == "logistic" else ["score"]
    frame = pl.read_csv(path, has_header=False, new_columns=names,
                        schema_overrides={"score": pl.Float64, "predicted_label": pl.Int64} if kind == "logistic" else {"score": pl.Float64})
    return frame["score"].to_numpy(), frame["predicted_label"].to_numpy() if kind == "logistic" else None


def check(kind, kit_path, peer_path):
    import numpy as np
    tolerance = 1e-5 if kind == "logistic" else 1e-6
    kit, kit_labels = kit_scores(kit_path, kind)
    peer, peer_labels = peer_scores(peer_path, kind)
    if len(kit) != len(peer):
        print(f"  FAIL {os.path.basename(peer_path)}: {len(peer)} rows, InferLab wrote {len(kit)}")
        return False
    difference = float(np.max(np.abs(kit - peer))) if len(kit) else 0.0
    # A score within float32 rounding of the threshold may take either label; count the others.
    labels = "" if kit_labels is None else f", labels differing: {int(np.sum(kit_labels != peer_labels))}"
    ok = difference < tolerance
    print(f"  {'ok  ' if ok else 'FAIL'} {os.path.basename(peer_path)}: {len(kit):,} rows, max |diff| = {difference:.2e} (< {tolerance:g}){labels}")
    return ok


def table(path):
    """Medians over the rounds, one row per tool and task, InferLab first in each task."""
    from statistics import median
    runs = {}
    for line in open(path):
        if line.strip():
            tool, task, wall, work, rss, size = line.rstrip("\n").split("\t")
            runs.setdefault((task, tool), []).append((float(wall), float(work), int(rss), int(size)))
    tasks = list(dict.fromkeys(task for task, _ in runs))
    header = ("Task", "Tool", "Wall s", "Wall ratio", "Work s", "Work ratio", "Peak RSS MiB", "Output MB")
    print("| " + " | ".join(header) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in header[2:]) + " |")
    for task in tasks:
        tools = sorted((tool for t, tool in runs if t == task), key=lambda tool: tool != "InferLab")
        kit = runs.get((task, "InferLab"))
        kit_wall = median(r[0] for r in kit) if kit else float("nan")
        kit_work = median(r[1] for r in kit) if kit else float("nan")
        for tool in tools:
            rows = runs[(task, tool)]
            wall, work = median(r[0] for r in rows), median(r[1] for r in rows)
            rss, size = median(r[2] for r in rows), rows[-1][3]
            ratio = "1" if tool == "InferLab" else f"{wall / kit_wall:.2f}"
            work_ratio = "1" if tool == "InferLab" else f"{work / kit_work:.2f}"
            print(f"| {task} | {tool} | {wall:.2f} | {ratio} | {work:.2f} | {work_ratio} | {rss / 1024:.0f} | {size / 1e6:.0f} |")


def versions():
    import importlib.metadata as metadata
    import platform
    names = ["pandas", "numpy", "scikit-learn", "duckdb", "polars", "xgboost-cpu", "xgboost"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    print(f"Python {platform.python_version()}: " + ", ".join(found))


def main(argv):
    if len(argv) == 5 and argv[0] == "run" and argv[1] in PEERS:
        seconds = PEERS[argv[1]](os.path.abspath(argv[2]), os.path.abspath(argv[3]), argv[4])
        print(f"{seconds:.3f}")
        return 0
    if len(argv) == 4 and argv[0] == "check" and argv[1] in ("logistic", "xgboost"):
        return 0 if check(argv[1], argv[2], argv[3]) else 1
    if len(argv) == 2 and argv[0] == "table":
        table(argv[1])
        return 0
    if argv == ["versions"]:
        versions()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
