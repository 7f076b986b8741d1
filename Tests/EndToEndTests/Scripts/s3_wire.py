"""Requests a real client would never send, signed with botocore's own signer, against the kit's
S3 endpoint: aws-chunked bodies with checksum trailers, digests that do not match, a skewed
clock, malformed XML, unsupported sub-resources, a client that goes away mid-upload, and keys
through links planted in the workspace. Prints one JSON object of status codes and S3 error codes.
Environment: what `inferlab env` prints, plus BUCKETS (the workspace's buckets/ folder) and
OUTSIDE (a folder the links point to)."""
import base64
import datetime
import hashlib
import http.client
import json
import os
import re
import socket
import time
import urllib.parse
import zlib

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

endpoint = urllib.parse.urlsplit(os.environ["AWS_ENDPOINT_URL"])
host, port = endpoint.hostname, endpoint.port
credentials = Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
seen = {}
last_body = b""


def send(method, path, body=b"", headers=None, trailer=False, sign_body=None, skew=0):
    """Signs (as botocore signs for S3) and sends one request; answers (status, error code, body)."""
    url = f"http://{host}:{port}{path}"
    request = AWSRequest(method=method, url=url, data=sign_body if sign_body is not None else body, headers=dict(headers or {}))
    if trailer:
        request.context["checksum"] = {"request_algorithm": {"in": "trailer", "algorithm": "crc32"}}
    signer = S3SigV4Auth(credentials, "s3", "us-east-1")
    signer.add_auth(request)
    if skew:
        # Re-signed with a moved time (botocore takes X-Amz-Date from the context's timestamp).
        stamp = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=skew)).strftime("%Y%m%dT%H%M%SZ")
        request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
        request.context["timestamp"] = stamp
        signer = S3SigV4Auth(credentials, "s3", "us-east-1")
        signer._modify_request_before_signing(request)
        canonical = signer.canonical_request(request)
        string_to_sign = signer.string_to_sign(request, canonical)
        signature = signer.signature(string_to_sign, request)
        signer._inject_signature_to_request(request, signature)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request(method, path, body=body, headers=dict(request.headers))
    response = connection.getresponse()
    global last_body
    last_body = response.read()
    connection.close()
    code = re.search(rb"<Code>(.*?)</Code>", last_body)
    return [response.status, code.group(1).decode() if code else None]


def exists(key):
    status, _ = send("HEAD", f"/wire/{key}")
    return status == 200


send("PUT", "/wire")

# aws-chunked with an unsigned payload and a CRC32 trailer, as SDKs send over HTTPS.
payload = b"25,50000,2\n" * 1000
crc = base64.b64encode(zlib.crc32(payload).to_bytes(4, "big")).decode()
def chunked(data, trailer_value):
    return (f"{len(data):x}\r\n".encode() + data + b"\r\n0\r\n" + f"x-amz-checksum-crc32:{trailer_value}\r\n\r\n".encode())
chunk_headers = {"Content-Encoding": "aws-chunked", "x-amz-trailer": "x-amz-checksum-crc32",
                 "x-amz-decoded-content-length": str(len(payload))}
seen["chunked"] = send("PUT", "/wire/chunked.csv", body=chunked(payload, crc), headers=chunk_headers, trailer=True, sign_body=b"")
seen["chunked_same"] = send("GET", "/wire/chunked.csv")[0] == 200 and last_body == payload
seen["chunked_bad_crc"] = send("PUT", "/wire/bad-crc.csv", body=chunked(payload, "AAAAAA=="), headers=chunk_headers, trailer=True, sign_body=b"")
seen["chunked_bad_crc_stored"] = exists("bad-crc.csv")
seen["chunked_garbage"] = send("PUT", "/wire/garbage.csv", body=b"zz\r\nnot hex\r\n", headers=chunk_headers, trailer=True, sign_body=b"")

# aws-chunked signed chunk by chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): each chunk's signature
# chains from the request's; one wrong chunk signature refuses the object.
import hmac


def signed_chunked(path, data, chunk_size, break_chunk=None):
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    pieces = [data[i:i + chunk_size] for i in range(0, len(data), chunk_size)] + [b""]
    request = AWSRequest(method="PUT", url=f"http://{host}:{port}{path}", data=b"",
                         headers={"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": str(len(data))})
    request.context["timestamp"] = stamp
    signer = S3SigV4Auth(credentials, "s3", "us-east-1")
    signer._modify_request_before_signing(request)
    del request.headers["X-Amz-Content-SHA256"]
    request.headers["X-Amz-Content-SHA256"] = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    string_to_sign = signer.string_to_sign(request, signer.canonical_request(request))
    seed = signer.signature(string_to_sign, request)
    signer._inject_signature_to_request(request, seed)
    key = f"AWS4{credentials.secret_key}".encode()
    for part in (stamp[:8], "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    scope = f"{stamp[:8]}/us-east-1/s3/aws4_request"
    previous, body = seed, b""
    for index, piece in enumerate(pieces):
        to_sign = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", stamp, scope, previous, hashlib.sha256(b"").hexdigest(),
                              hashlib.sha256(piece).hexdigest()])
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        previous = signature
        if index == break_chunk:
            signature = "0" * 64
        body += f"{len(piece):x};chunk-signature={signature}\r\n".encode() + piece + b"\r\n"
    connection = http.client.HTTPConnection(host, port, timeout=10)
    headers = dict(request.headers)
    headers["Content-Length"] = str(len(body))
    connection.request("PUT", path, body=body, headers=headers)
    response = connection.getresponse()
    answer = response.read()
    code = re.search(rb"<Code>(.*?)</Code>", answer)
    return [response.status, code.group(1).decode() if code else None]


seen["signed_chunks"] = signed_chunked("/wire/signed.csv", payload, 4096)
seen["signed_chunks_same"] = send("GET", "/wire/signed.csv")[0] == 200 and last_body == payload
seen["signed_chunks_bad"] = signed_chunked("/wire/bad-signed.csv", payload, 4096, break_chunk=1)
seen["signed_chunks_bad_stored"] = exists("bad-signed.csv")

# Digests that do not match what arrives: nothing is stored.
wrong_md5 = base64.b64encode(hashlib.md5(b"something else").digest()).decode()
seen["bad_md5"] = send("PUT", "/wire/md5.csv", body=payload, headers={"Content-MD5": wrong_md5})
seen["bad_md5_stored"] = exists("md5.csv")
seen["bad_sha256"] = send("PUT", "/wire/sha.csv", body=b"the body that arrives", sign_body=b"the body that was signed")
seen["bad_sha256_stored"] = exists("sha.csv")
seen["bad_crc_header"] = send("PUT", "/wire/crc.csv", body=payload, headers={"x-amz-checksum-crc32": "AAAAAA=="})
seen["bad_crc_header_stored"] = exists("crc.csv")
seen["good_crc_header"] = send("PUT", "/wire/crc-ok.csv", body=payload, headers={"x-amz-checksum-crc32": crc})

# A clock 20 minutes off.
seen["skewed"] = send("GET", "/", skew=20 * 60)

# Malformed XML, an unsupported sub-resource, an empty delete list.
seen["malformed_xml"] = send("POST", "/wire?delete", body=b"<Delete><Object><Key>a</Key></Object>", headers={"Content-Type": "application/xml"})
seen["acl"] = send("PUT", "/wire?acl", body=b"")
seen["bad_part_number"] = send("PUT", "/wire/x?partNumber=0&uploadId=abc", body=b"x")
seen["no_such_upload"] = send("PUT", "/wire/x?partNumber=1&uploadId=abc", body=b"x")

# A listing prefix that climbs out of the bucket lists nothing; a negative max-parts is refused.
status = send("GET", "/wire?list-type=2&prefix=..%2F..%2F..%2F..%2F")
seen["dot_dot_prefix"] = [status[0], last_body.count(b"<Key>")]
seen["negative_max_parts"] = send("GET", "/wire/x?uploadId=abc&max-parts=-1")
# DeleteObjects whose body is not what its Content-MD5 says.
seen["delete_bad_md5"] = send("POST", "/wire?delete", body=b"<Delete><Object><Key>chunked.csv</Key></Object></Delete>",
                              headers={"Content-MD5": wrong_md5, "Content-Type": "application/xml"})
seen["delete_bad_md5_kept"] = exists("chunked.csv")
# A presigned PUT turned into a copy by an unsigned header.
import boto3
import botocore.config
presigner = boto3.client("s3", config=botocore.config.Config(signature_version="s3v4"))
url = presigner.generate_presigned_url("put_object", Params={"Bucket": "wire", "Key": "hijack.csv"}, ExpiresIn=60)
parts = urllib.parse.urlsplit(url)
connection = http.client.HTTPConnection(host, port, timeout=10)
connection.request("PUT", parts.path + "?" + parts.query, body=b"", headers={"x-amz-copy-source": "/wire/chunked.csv"})
response = connection.getresponse()
body = response.read()
seen["unsigned_header"] = [response.status, b"AccessDenied" in body]
seen["unsigned_header_stored"] = exists("hijack.csv")

# A client that goes away halfway through a body: no object, nothing left in .incoming.
request = AWSRequest(method="PUT", url=f"http://{host}:{port}/wire/half.bin", data=b"", headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"})
S3SigV4Auth(credentials, "s3", "us-east-1").add_auth(request)
raw = socket.create_connection((host, port))
head = f"PUT /wire/half.bin HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {10 * 1024 * 1024}\r\n"
head += "".join(f"{name}: {value}\r\n" for name, value in request.headers.items() if name.lower() not in ("host", "content-length"))
raw.sendall(head.encode() + b"\r\n" + b"x" * (1024 * 1024))
raw.close()
time.sleep(1)
seen["half_stored"] = exists("half.bin")
incoming = os.path.join(os.environ["BUCKETS"], ".incoming")
seen["half_leftovers"] = len(os.listdir(incoming)) if os.path.isdir(incoming) else 0

# Links planted in the workspace are not followed through HTTP either.
outside = os.environ["OUTSIDE"]
os.symlink(outside, os.path.join(os.environ["BUCKETS"], "wire", "linked"))
os.symlink(outside, os.path.join(os.environ["BUCKETS"], "evil"))
seen["link_get"] = send("GET", "/wire/linked/secret.txt")
seen["link_put"] = send("PUT", "/wire/linked/new.txt", body=b"EVIL")
seen["link_bucket"] = send("GET", "/evil/secret.txt")
seen["outside"] = sorted(os.listdir(outside))
print(json.dumps(seen))
