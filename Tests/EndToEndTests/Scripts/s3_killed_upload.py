"""Starts a 1 GiB multipart upload with boto3 (8 MiB parts, a sparse file: no disk is spent on
the source) and prints READY once two parts are stored, then keeps uploading until killed."""
import os
import sys
import threading
import time

import boto3
from boto3.s3.transfer import TransferConfig

path = os.path.join(os.environ["SCRATCH"], "gig.bin")
with open(path, "wb") as out:
    out.truncate(1 << 30)
s3 = boto3.client("s3")
s3.create_bucket(Bucket="big-lab")
uploads = os.path.join(os.environ["BUCKETS"], ".uploads")


def announce():
    while True:
        parts = [name for folder in (os.listdir(uploads) if os.path.isdir(uploads) else [])
                 for name in os.listdir(os.path.join(uploads, folder)) if name.endswith(".json") and name != "upload.json"]
        if len(parts) >= 2:
            print("READY", flush=True)
            return
        time.sleep(0.05)


threading.Thread(target=announce, daemon=True).start()
try:
    s3.upload_file(path, "big-lab", "gig.bin", Config=TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20,
                                                                       max_concurrency=2))
    print("FINISHED", flush=True)
except Exception as error:  # the server was killed: what a learner's upload would see
    print("FAILED", type(error).__name__, flush=True)
