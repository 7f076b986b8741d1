"""The lesson's SageMaker Python SDK code for this lab's job: a Transformer on loan-xgb, then
transform() and wait() - the same job loan-batch-1 as the step's create-transform-job. Run it from
the shell, where the kit's variables are already set:
    !.venv/bin/python labs/batch-end-to-end/scripts/transform_sdk.py
wait() polls the job and prints its log until it ends."""
import sagemaker
from sagemaker.transformer import Transformer

sagemaker_session = sagemaker.Session()
transformer = Transformer(model_name="loan-xgb", instance_count=1, instance_type="ml.m5.large",
                          output_path="s3://loan-lab/batch-output/", accept="text/csv", assemble_with="Line",
                          sagemaker_session=sagemaker_session)
transformer.transform(data="s3://loan-lab/batch-input/", content_type="text/csv", split_type="Line",
                      job_name="loan-batch-1")
transformer.wait()
job = sagemaker_session.describe_transform_job("loan-batch-1")
print(f"{job['TransformJobName']}: {job['TransformJobStatus']}; output under {job['TransformOutput']['S3OutputPath']}")
