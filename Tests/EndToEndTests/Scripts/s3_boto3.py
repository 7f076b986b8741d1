"""Drives the kit's S3 endpoint with real boto3, as the course's code would, and prints one JSON
object of what it saw. The endpoint, keys and region come from the environment alone
(`inferlab env`); only SCRATCH (a temporary folder) is this script's own."""
import hashlib
import json
import os
import sys
import urllib.request

import boto3
import botocore
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

scratch = os.environ["SCRATCH"]
s3 = boto3.client("s3")
seen = {}


def code_of(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]
    return None


s3.create_bucket(Bucket="loan-lab")
seen["buckets"] = [b["Name"] for b in s3.list_buckets()["Buckets"]]
s3.put_object(Bucket="loan-lab", Key="batch-input/a b+c.csv", Body=b"25,50000,2\n", ContentType="text/csv",
              Metadata={"owner": "learner"})
# boto3 sends a CRC32 with every PutObject; asked for it, a GET returns it (and botocore checks
# the body against it).
put = s3.put_object(Bucket="loan-lab", Key="checked.csv", Body=b"35,60000,3\n", ChecksumAlgorithm="CRC32")
checked = s3.get_object(Bucket="loan-lab", Key="checked.csv", ChecksumMode="ENABLED")
seen["checksum"] = [put.get("ChecksumCRC32"), checked.get("ChecksumCRC32"), checked["Body"].read().decode()]
seen["checksum_head"] = s3.head_object(Bucket="loan-lab", Key="checked.csv", ChecksumMode="ENABLED").get("ChecksumCRC32")
s3.delete_object(Bucket="loan-lab", Key="checked.csv")
head = s3.head_object(Bucket="loan-lab", Key="batch-input/a b+c.csv")
seen["head"] = {"length": head["ContentLength"], "type": head["ContentType"], "meta": head["Metadata"],
                "etag": head["ETag"]}
seen["get"] = s3.get_object(Bucket="loan-lab", Key="batch-input/a b+c.csv")["Body"].read().decode()
seen["range"] = s3.get_object(Bucket="loan-lab", Key="batch-input/a b+c.csv", Range="bytes=3-7")["Body"].read().decode()
seen["list"] = [o["Key"] for o in s3.list_objects_v2(Bucket="loan-lab")["Contents"]]
seen["list_v1"] = [o["Key"] for o in s3.list_objects(Bucket="loan-lab")["Contents"]]
pages = s3.get_paginator("list_objects_v2")
for index in range(5):
    s3.put_object(Bucket="loan-lab", Key=f"many/{index}.txt", Body=b"x")
seen["paged"] = [len(page.get("Contents", [])) for page in pages.paginate(Bucket="loan-lab", Prefix="many/", PaginationConfig={"PageSize": 2})]
delimited = s3.list_objects_v2(Bucket="loan-lab", Delimiter="/")
seen["prefixes"] = [p["Prefix"] for p in delimited.get("CommonPrefixes", [])]
s3.copy_object(Bucket="loan-lab", Key="copied.csv", CopySource={"Bucket": "loan-lab", "Key": "batch-input/a b+c.csv"})
seen["copied"] = s3.get_object(Bucket="loan-lab", Key="copied.csv")["Body"].read().decode()

# Above the 8 MB threshold: a 200 MB multipart upload and a ranged multipart download, bit-exact.
big = os.path.join(scratch, "big.bin")
with open(big, "wb") as out:
    out.write(os.urandom(200 * 1024 * 1024 + 12345))
config = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024)
s3.upload_file(big, "loan-lab", "big/big.bin", Config=config)
back = os.path.join(scratch, "back.bin")
s3.download_file("loan-lab", "big/big.bin", back, Config=config)
digest = lambda path: hashlib.sha256(open(path, "rb").read()).hexdigest()
seen["roundtrip"] = digest(big) == digest(back)
seen["big_etag"] = s3.head_object(Bucket="loan-lab", Key="big/big.bin")["ETag"]

# A managed copy of an object over the threshold: UploadPartCopy, part by part.
s3.copy({"Bucket": "loan-lab", "Key": "big/big.bin"}, "loan-lab", "big/copied.bin", Config=config)
seen["part_copy"] = s3.head_object(Bucket="loan-lab", Key="big/copied.bin")["ContentLength"] == os.path.getsize(big)
copied_back = os.path.join(scratch, "copied.bin")
s3.download_file("loan-lab", "big/copied.bin", copied_back, Config=config)
seen["part_copy_same"] = digest(copied_back) == digest(big)

# Presigned GET and PUT work with a plain HTTP client.
url = s3.generate_presigned_url("get_object", Params={"Bucket": "loan-lab", "Key": "copied.csv"}, ExpiresIn=60)
seen["presigned_get"] = urllib.request.urlopen(url).read().decode()
put_url = s3.generate_presigned_url("put_object", Params={"Bucket": "loan-lab", "Key": "presigned.txt"}, ExpiresIn=60)
# Sent with no Content-Type, as it was signed (urllib would add a form type otherwise).
urllib.request.urlopen(urllib.request.Request(put_url, data=b"via presigned PUT", method="PUT", headers={"Content-Type": ""})).read()
# SigV4 presigned URLs too (signature_version="s3v4", as the SDKs use elsewhere).
v4 = boto3.client("s3", config=botocore.config.Config(signature_version="s3v4"))
seen["presigned_v4"] = urllib.request.urlopen(v4.generate_presigned_url("get_object", Params={"Bucket": "loan-lab", "Key": "copied.csv"}, ExpiresIn=60)).read().decode()
seen["presigned_put"] = s3.get_object(Bucket="loan-lab", Key="presigned.txt")["Body"].read().decode()

# Errors, through botocore's own classes.
seen["no_such_key"] = code_of(lambda: s3.get_object(Bucket="loan-lab", Key="missing.csv"))
seen["head_missing"] = code_of(lambda: s3.head_object(Bucket="loan-lab", Key="missing.csv"))
seen["no_such_bucket"] = code_of(lambda: s3.list_objects_v2(Bucket="no-such-bucket"))
seen["not_empty"] = code_of(lambda: s3.delete_bucket(Bucket="loan-lab"))
seen["bad_range"] = code_of(lambda: s3.get_object(Bucket="loan-lab", Key="copied.csv", Range="bytes=999-"))
seen["dot_dot"] = code_of(lambda: s3.put_object(Bucket="loan-lab", Key="../../escape.txt", Body=b"x"))
try:
    s3.get_object(Bucket="loan-lab", Key="copied.csv", IfNoneMatch=head["ETag"])
    seen["not_modified"] = None
except ClientError as error:
    seen["not_modified"] = error.response["ResponseMetadata"]["HTTPStatusCode"]
wrong_secret = boto3.client("s3", aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="not-the-secret")
seen["wrong_secret"] = code_of(lambda: wrong_secret.list_buckets())
wrong_key = boto3.client("s3", aws_access_key_id="AKIAWRONGWRONGWRONG1", aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])
seen["wrong_key"] = code_of(lambda: wrong_key.list_buckets())
expired = v4.generate_presigned_url("get_object", Params={"Bucket": "loan-lab", "Key": "copied.csv"}, ExpiresIn=1)
import time
time.sleep(2)
try:
    urllib.request.urlopen(expired)
    seen["expired"] = None
except urllib.error.HTTPError as error:
    seen["expired"] = [error.code, "Request has expired" in error.read().decode()]

deleted = s3.delete_objects(Bucket="loan-lab", Delete={"Objects": [{"Key": f"many/{i}.txt"} for i in range(5)]})
seen["deleted"] = sorted(d["Key"] for d in deleted["Deleted"])
print(json.dumps(seen))
