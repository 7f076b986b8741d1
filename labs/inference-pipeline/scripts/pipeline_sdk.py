"""The workshop notebook's SageMaker Python SDK code, one lab step at a time, under the names the
lab's checks look for. Run it from the shell, where the kit's variables are already set:
    !.venv/bin/python labs/inference-pipeline/scripts/pipeline_sdk.py STEP
STEP is one of: train-preprocessor, preprocess, train-linear, deploy, batch, clean-up. Each step
finds what earlier steps made by name (Estimator.attach), so the shell and the SDK can be mixed.
Step 1 (the data and sourcedir.tar.gz in S3) is typed in the shell: the SDK packs and uploads the
code itself, from datasets/code/loan-preprocessor."""
import json
import sys
from pathlib import Path

import sagemaker
from sagemaker import image_uris
from sagemaker.deserializers import JSONDeserializer
from sagemaker.estimator import Estimator
from sagemaker.inputs import TrainingInput
from sagemaker.pipeline import PipelineModel
from sagemaker.predictor import Predictor
from sagemaker.serializers import CSVSerializer
from sagemaker.sklearn.estimator import SKLearn

KIT = Path(__file__).resolve().parents[3]  # the checkout, or share/inferlab of an installed kit
ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"
PIPELINE = "s3://loan-lab/pipeline"
INSTANCE = "ml.m5.large"
session = sagemaker.Session()


def train_preprocessor():
    preprocessor = SKLearn(entry_point="preprocessor.py", source_dir=str(KIT / "datasets/code/loan-preprocessor"),
                           framework_version="1.2-1", instance_type=INSTANCE, instance_count=1, role=ROLE,
                           output_path=f"{PIPELINE}/preprocessor/", code_location=f"{PIPELINE}/sdk-code",
                           sagemaker_session=session)
    preprocessor.fit({"train": f"{PIPELINE}/train/"}, job_name="loan-preprocessor")
    print(f"loan-preprocessor: {preprocessor.model_data}")


def preprocess():
    preprocessor = SKLearn.attach("loan-preprocessor", sagemaker_session=session)
    transformer = preprocessor.transformer(instance_count=1, instance_type=INSTANCE, assemble_with="Line", accept="text/csv",
                                           output_path=f"{PIPELINE}/train-preprocessed/", model_name="loan-preprocessor")
    transformer.transform(f"{PIPELINE}/train/", content_type="text/csv", split_type="Line", job_name="loan-preprocess-train")
    transformer.wait()
    print(f"loan-preprocess-train: output under {transformer.output_path}")


def train_linear():
    linear = Estimator(image_uris.retrieve("linear-learner", session.boto_region_name), ROLE, instance_count=1,
                       instance_type=INSTANCE, output_path=f"{PIPELINE}/linear/", sagemaker_session=session)
    linear.set_hyperparameters(feature_dim=3, predictor_type="binary_classifier", mini_batch_size=32)
    linear.fit({"train": TrainingInput(f"{PIPELINE}/train-preprocessed/", content_type="text/csv")}, job_name="loan-linear")
    print(f"loan-linear: {linear.model_data}")


def pipeline_model():
    preprocessor = SKLearn.attach("loan-preprocessor", sagemaker_session=session).create_model()
    linear = Estimator.attach("loan-linear", sagemaker_session=session).create_model()
    return PipelineModel(name="loan-pipeline", role=ROLE, models=[preprocessor, linear], sagemaker_session=session)


def deploy():
    pipeline_model().deploy(initial_instance_count=1, instance_type=INSTANCE, endpoint_name="loan-pipeline")
    predictor = Predictor("loan-pipeline", sagemaker_session=session, serializer=CSVSerializer(), deserializer=JSONDeserializer())
    applications = (KIT / "datasets/loans/applications-raw.csv").read_text()
    answers = predictor.predict(applications)
    for row, answer in zip(applications.splitlines(), answers["predictions"]):
        print(f"{row:<14} score {answer['score']:.3f}, predicted_label {answer['predicted_label']}")
    # Kept in S3, as the shell's way keeps it (the step's check reads it there).
    session.upload_string_as_file_body(json.dumps(answers), bucket="loan-lab", key="pipeline/realtime/answers.json")


def batch():
    transformer = sagemaker.transformer.Transformer(model_name="loan-pipeline", instance_count=1, instance_type=INSTANCE,
                                                    output_path=f"{PIPELINE}/decisions/", accept="application/jsonlines",
                                                    assemble_with="Line", sagemaker_session=session)
    transformer.transform(f"{PIPELINE}/applications/", content_type="text/csv", split_type="Line", job_name="loan-pipeline-batch")
    transformer.wait()
    print(f"loan-pipeline-batch: output under {transformer.output_path}")


def clean_up():
    Predictor("loan-pipeline", sagemaker_session=session).delete_endpoint(delete_endpoint_config=False)
    print("loan-pipeline: deleted (its configuration and the models stay)")


STEPS = {"train-preprocessor": train_preprocessor, "preprocess": preprocess, "train-linear": train_linear,
         "deploy": deploy, "batch": batch, "clean-up": clean_up}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in STEPS:
        sys.exit(f"usage: pipeline_sdk.py {'|'.join(STEPS)}")
    STEPS[sys.argv[1]]()
