"""The S3 endpoint benchmark (bench/README.md): the same load against `inferlab serve` and
against moto's server, side by side in one run.

- presigned 1 KiB GET and PUT: requests per second from wrk (a C load generator, so the client
  is not the bottleneck), same connections and duration for both;
- 100 MB PUT and GET through presigned URLs with curl: MB/s;
- the servers' peak RSS (VmHWM) after all of it.

Usage: python s3_endpoint.py INFERLAB_BINARY  (env: DURATION=10 CONNECTIONS=16 ROUNDS=3 BIG_MB=100)
"""
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

import boto3
from botocore.config import Config

DURATION = int(os.environ.get("DURATION", "10"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
BIG_MB = int(os.environ.get("BIG_MB", "100"))
HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"no server on port {port}")


def start_inferlab(binary, workspace):
    port = free_port()
    process = subprocess.Popen([binary, "--workspace", workspace, "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port)
    env = subprocess.run([binary, "--workspace", workspace, "env", "--port", str(port)], capture_output=True, text=True).stdout
    values = dict(line[len("export "):].split("=", 1) for line in env.splitlines() if line.startswith("export "))
    key, secret = values["AWS_ACCESS_KEY_ID"], values["AWS_SECRET_ACCESS_KEY"].strip("'")
    return process, f"http://127.0.0.1:{port}", key, secret


def start_moto():
    port = free_port()
    moto = shutil.which("moto_server", path=os.path.dirname(sys.executable))
    process = subprocess.Popen([moto, "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port)
    return process, f"http://127.0.0.1:{port}", "testing", "testing"


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def wrk(url, script=None):
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{DURATION}s", "--latency"]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True).stdout
    rate = next(float(line.split()[1]) for line in output.splitlines() if line.startswith("Requests/sec:"))
    errors = [line.strip() for line in output.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    return rate, errors


def curl_put(url, path):
    """MB/s of one PUT of the file, by curl (a C client, so the client is not the bottleneck)."""
    out = subprocess.run(["curl", "-s", "-f", "-T", path, "-o", "/dev/null", "-w", "%{speed_upload}", url],
                         capture_output=True, text=True, check=True).stdout
    return float(out) / 1e6


def curl_get(url, size):
    """MB/s of one GET, by curl, checking the size that arrived."""
    out = subprocess.run(["curl", "-s", "-f", "-o", "/dev/null", "-w", "%{speed_download} %{size_download}", url],
                         capture_output=True, text=True, check=True).stdout.split()
    assert int(out[1]) == size, out
    return float(out[0]) / 1e6


def measure(name, endpoint, key, secret, big):
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                      region_name="us-east-1", config=Config(signature_version="s3v4"))
    s3.create_bucket(Bucket="bench")
    s3.put_object(Bucket="bench", Key="small.bin", Body=os.urandom(1024))
    week = 7 * 24 * 3600
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": "bench", "Key": "small.bin"}, ExpiresIn=week)
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": "bench", "Key": "put.bin"}, ExpiresIn=week)
    big_put = s3.generate_presigned_url("put_object", Params={"Bucket": "bench", "Key": "big.bin"}, ExpiresIn=week)
    big_get = s3.generate_presigned_url("get_object", Params={"Bucket": "bench", "Key": "big.bin"}, ExpiresIn=week)
    result = {"get": [], "put": [], "big_put": [], "big_get_cold": [], "big_get": [], "errors": []}
    for _ in range(ROUNDS):
        rate, errors = wrk(get_url)
        result["get"].append(rate)
        result["errors"] += errors
        rate, errors = wrk(put_url, os.path.join(HERE, "wrk_put_1k.lua"))
        result["put"].append(rate)
        result["errors"] += errors
        result["big_put"].append(curl_put(big_put, big))
        # The first GET after a PUT reads from the disk (the kit writes large objects with
        # O_DIRECT, past the page cache; moto keeps them in memory): reported on its own.
        result["big_get_cold"].append(curl_get(big_get, os.path.getsize(big)))
        result["big_get"].append(statistics.median(curl_get(big_get, os.path.getsize(big)) for _ in range(3)))
    return {k: (statistics.median(v) if k != "errors" else v) for k, v in result.items()}


def main():
    binary = sys.argv[1]
    scratch = tempfile.mkdtemp(prefix="inferlab-s3-bench-")
    big = os.path.join(scratch, "big.bin")
    with open(big, "wb") as out:
        for _ in range(BIG_MB):
            out.write(os.urandom(1 << 20))
    rows = {}
    for name, start in (("inferlab", lambda: start_inferlab(binary, os.path.join(scratch, "workspace"))), ("moto", start_moto)):
        process, endpoint, key, secret = start()
        try:
            rows[name] = measure(name, endpoint, key, secret, big)
            rows[name]["rss"] = peak_rss_mib(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    shutil.rmtree(scratch, ignore_errors=True)
    kit, moto = rows["inferlab"], rows["moto"]
    print(f"\n{'Load':<32} {'InferLab':>12} {'moto':>12} {'ratio':>8}")
    for label, field, unit in (("presigned 1 KiB GET", "get", "req/s"), ("presigned 1 KiB PUT", "put", "req/s"),
                               (f"{BIG_MB} MB PUT", "big_put", "MB/s"), (f"{BIG_MB} MB GET, first", "big_get_cold", "MB/s"),
                               (f"{BIG_MB} MB GET, again", "big_get", "MB/s")):
        print(f"{label + ' (' + unit + ')':<32} {kit[field]:>12.0f} {moto[field]:>12.0f} {kit[field] / moto[field]:>7.1f}x")
    print(f"{'peak RSS (MiB)':<32} {kit['rss']:>12.0f} {moto['rss']:>12.0f}")
    for name in rows:
        if rows[name]["errors"]:
            print(f"{name}: wrk reported {rows[name]['errors']}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
