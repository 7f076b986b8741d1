"""Training jobs from the course's own clients against the kit, with nothing but `inferlab env`'s
variables. Every socket connect is recorded by an audit hook (the clients must not reach AWS).
Prints one JSON object on its last line.

Usage: sdk_training.py boto3 | linear-learner | sklearn SOURCE_DIR
- boto3: create_training_job with the built-in XGBoost image, the training_job_completed_or_stopped
  waiter, describe, list, a duplicate name, an unknown name, StopTrainingJob on an ended job;
- linear-learner: the SDK's Estimator with image_uris.retrieve("linear-learner") (the workshop's
  step 4), fit() with logs;
- sklearn: the SDK's SKLearn(entry_point="train.py", framework_version="1.2-1").fit({"train": …}).
"""
import json
import sys

reached = []


def audit(event, args):
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "localhost", "::1"):
            reached.append(host)


sys.addaudithook(audit)

import boto3  # noqa: E402
from botocore.exceptions import ClientError, WaiterError  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
XGBOOST = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
mode = sys.argv[1]
seen = {}

if mode == "boto3":
    sm = boto3.client("sagemaker")
    request = dict(
        TrainingJobName="boto3-xgb", RoleArn=ROLE,
        AlgorithmSpecification={"TrainingImage": XGBOOST, "TrainingInputMode": "File"},
        HyperParameters={"num_round": "8", "objective": "binary:logistic", "max_depth": "3"},
        InputDataConfig=[{"ChannelName": "train", "ContentType": "text/csv",
                          "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://loan-lab/train/",
                                                          "S3DataDistributionType": "FullyReplicated"}}},
                         {"ChannelName": "validation", "ContentType": "text/csv",
                          "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://loan-lab/validation/"}}}],
        OutputDataConfig={"S3OutputPath": "s3://loan-lab/training-output/"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 600},
        Tags=[{"Key": "course", "Value": "training"}])
    seen["arn"] = sm.create_training_job(**request)["TrainingJobArn"]
    sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName="boto3-xgb", WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    job = sm.describe_training_job(TrainingJobName="boto3-xgb")
    seen["status"] = job["TrainingJobStatus"]
    seen["secondary"] = [t["Status"] for t in job["SecondaryStatusTransitions"]]
    seen["metrics"] = sorted(m["MetricName"] for m in job["FinalMetricDataList"])
    seen["model"] = job["ModelArtifacts"]["S3ModelArtifacts"]
    seen["billable"] = job["BillableTimeInSeconds"]
    seen["start_is_datetime"] = type(job["TrainingStartTime"]).__name__
    seen["listed"] = [s["TrainingJobName"] for s in sm.list_training_jobs(StatusEquals="Completed")["TrainingJobSummaries"]]
    seen["tags"] = sm.list_tags(ResourceArn=seen["arn"])["Tags"]
    for name, call in (("duplicate", lambda: sm.create_training_job(**request)),
                       ("unknown", lambda: sm.describe_training_job(TrainingJobName="no-such-job")),
                       ("stop_ended", lambda: sm.stop_training_job(TrainingJobName="boto3-xgb"))):
        try:
            call()
            seen[name] = None
        except ClientError as error:
            seen[name] = [error.response["Error"]["Code"], error.response["Error"]["Message"]]
    try:
        sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName="no-such-job", WaiterConfig={"Delay": 1})
        seen["waiter_unknown"] = "succeeded"
    except WaiterError as error:
        seen["waiter_unknown"] = str(error)
    logs = boto3.client("logs")
    streams = logs.describe_log_streams(logGroupName="/aws/sagemaker/TrainingJobs", logStreamNamePrefix="boto3-xgb/")["logStreams"]
    seen["streams"] = [s["logStreamName"] for s in streams]
elif mode == "linear-learner":
    import sagemaker
    from sagemaker import image_uris
    from sagemaker.inputs import TrainingInput

    session = sagemaker.Session()
    image = image_uris.retrieve("linear-learner", session.boto_region_name)
    estimator = sagemaker.estimator.Estimator(image, ROLE, instance_count=1, instance_type="ml.m5.large",
                                              output_path="s3://loan-lab/sdk-output/", sagemaker_session=session)
    estimator.set_hyperparameters(feature_dim=3, predictor_type="binary_classifier", mini_batch_size=32)
    estimator.fit({"train": TrainingInput("s3://loan-lab/train/", content_type="text/csv"),
                   "validation": TrainingInput("s3://loan-lab/validation/", content_type="text/csv")})
    seen["image"] = image
    seen["model_data"] = estimator.model_data
    seen["job"] = estimator.latest_training_job.name
    seen["metrics"] = [m["MetricName"] for m in session.describe_training_job(estimator.latest_training_job.name)["FinalMetricDataList"]]
elif mode == "sklearn":
    import sagemaker
    from sagemaker.sklearn.estimator import SKLearn

    session = sagemaker.Session()
    estimator = SKLearn(entry_point="train.py", source_dir=sys.argv[2], framework_version="1.2-1", role=ROLE,
                        instance_count=1, instance_type="ml.m5.large", hyperparameters={"C": 0.5, "solver": "lbfgs"},
                        output_path="s3://loan-lab/sdk-output/", sagemaker_session=session)
    estimator.fit({"train": "s3://loan-lab/train/"})
    job = session.describe_training_job(estimator.latest_training_job.name)
    seen["image"] = job["AlgorithmSpecification"]["TrainingImage"]
    seen["hyperparameters"] = job["HyperParameters"]
    seen["model_data"] = estimator.model_data
    seen["status"] = job["TrainingJobStatus"]

seen["off_loopback"] = reached
print(json.dumps(seen))
