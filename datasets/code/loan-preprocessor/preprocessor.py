"""The loan applications' preprocessor, for SageMaker's scikit-learn container.

As a training script (`python preprocessor.py`, as a training job runs it) it learns, from the
labelled applications in the `train` channel, what a missing value stands for (each column's
median) and how to scale each column (its mean and standard deviation), and saves that as
model.joblib in SM_MODEL_DIR.

As an inference script (the same file, loaded by the container's serving toolkit) it answers
with the scaled applications: model_fn loads model.joblib, input_fn reads CSV with or without the
label column (told apart by the number of columns), predict_fn imputes and scales, putting the
label back first when it was there, and output_fn writes CSV for text/csv and Linear Learner's
JSON ({"instances": [{"features": [...]}]}) for application/json.
"""
import argparse
import io
import json
import os

import joblib
import numpy as np
import pandas as pd
from sagemaker_containers.beta.framework import encoders, worker
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

LABEL = "approved"
FEATURES = ["age", "annual_income", "existing_loans"]


def train(channel, model_dir):
    files = sorted(name for name in os.listdir(channel) if name.endswith(".csv"))
    if not files:
        raise ValueError(f"no .csv files in {channel}: the train channel must point at the labelled applications")
    data = pd.concat(pd.read_csv(os.path.join(channel, name), header=None, names=[LABEL] + FEATURES) for name in files)
    preprocessor = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    preprocessor.fit(data[FEATURES])
    joblib.dump(preprocessor, os.path.join(model_dir, "model.joblib"))
    medians = preprocessor.named_steps["simpleimputer"].statistics_
    print(f"fitted on {len(data)} applications from {len(files)} file(s); medians: "
          + ", ".join(f"{name}={value:g}" for name, value in zip(FEATURES, medians)))


def model_fn(model_dir):
    return joblib.load(os.path.join(model_dir, "model.joblib"))


def input_fn(input_data, content_type):
    if content_type != "text/csv":
        raise ValueError(f"{content_type} is not supported: send text/csv")
    if isinstance(input_data, bytes):
        input_data = input_data.decode("utf-8")
    frame = pd.read_csv(io.StringIO(input_data), header=None)
    if len(frame.columns) == len(FEATURES) + 1:
        frame.columns = [LABEL] + FEATURES
    elif len(frame.columns) == len(FEATURES):
        frame.columns = FEATURES
    else:
        raise ValueError(f"expected {len(FEATURES)} columns ({', '.join(FEATURES)}), or {len(FEATURES) + 1} with the label first; got {len(frame.columns)}")
    return frame


def predict_fn(input_data, model):
    features = model.transform(input_data[FEATURES])
    if LABEL in input_data:
        return np.insert(features, 0, input_data[LABEL], axis=1)
    return features


def output_fn(prediction, accept):
    if accept == "application/json":
        instances = [{"features": row} for row in prediction.tolist()]
        return worker.Response(json.dumps({"instances": instances}), mimetype=accept)
    if accept == "text/csv":
        return worker.Response(encoders.encode(prediction, accept), mimetype=accept)
    raise ValueError(f"{accept} is not supported: ask for text/csv or application/json")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR"))
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN"))
    arguments, _ = parser.parse_known_args()
    train(arguments.train, arguments.model_dir)
