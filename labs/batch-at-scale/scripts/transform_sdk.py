"""This lab's job loan-scale-1 with the SageMaker Python SDK, as a notebook would start it: the
same settings as the step's create-transform-job (4 instances, 2 concurrent requests each, 1 MB
mini-batches). Run it from the shell, where the kit's variables are already set:
    !.venv/bin/python labs/batch-at-scale/scripts/transform_sdk.py
wait() polls the job and prints its log until it ends."""
import sagemaker
from sagemaker.transformer import Transformer

sagemaker_session = sagemaker.Session()
transformer = Transformer(model_name="loan-xgb", instance_count=4, instance_type="ml.m5.large",
                          strategy="MultiRecord", max_concurrent_transforms=2, max_payload=1,
                          output_path="s3://loan-lab/scale-output/", assemble_with="Line",
                          sagemaker_session=sagemaker_session)
transformer.transform(data="s3://loan-lab/scale-input/", content_type="text/csv", split_type="Line",
                      job_name="loan-scale-1")
transformer.wait()
job = sagemaker_session.describe_transform_job("loan-scale-1")
print(f"{job['TransformJobName']}: {job['TransformJobStatus']}; output under {job['TransformOutput']['S3OutputPath']}")
