"""One instance of a SageMaker framework container (the SKLearn image, the XGBoost image in script
mode), as InferLab runs it without Docker: the learner's inference script behind the toolkit's own
Flask application (sagemaker_containers' `worker.Worker` and `transformer.Transformer`, the ones
the real images serve through gunicorn), called over pipes instead of a port.

The kit starts it (Models/Scripts/ScriptProcess.swift) as

    python framework_serving.py INSTANCE_FOLDER FRAMEWORK MODULE_DIR

and works in the instance's folder, whose `model/` is /opt/ml/model (SAGEMAKER_BASE_DIR is the
folder, as sagemaker_containers reads it).

Protocol, one request at a time:
  kit -> here (fd 0): a JSON line {"method", "path", "headers", "length"}, then `length` bytes;
  here -> kit (fd 1): a JSON line {"status", "headers", "length"}, then `length` bytes.
The first line written is the start-up report: {"ready": true, "pid": N} or {"ready": false,
"error": "..."}. The script's print() and every log line go to fd 2, the instance's log; fd 0
reads /dev/null for the script. When the kit goes away (its end of fd 0 closes, also mid-request
and on kill -9), a watchdog thread kills this process group: no orphan outlives the kit.
"""
import collections
import collections.abc
import importlib
import json
import os
import select
import signal
import sys
import threading
import traceback


def watch_kit(fd):
    """Kills this process group once nobody holds the other end of the request pipe."""
    poller = select.poll()
    poller.register(fd, select.POLLHUP)  # POLLHUP and POLLERR are reported whatever the mask
    while True:
        for _, events in poller.poll():
            if events & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
                os.killpg(0, signal.SIGKILL)
                os._exit(137)


def take_protocol_streams():
    """The pipes to the kit become private; fd 0 reads nothing and fd 1 writes to the log."""
    requests = os.fdopen(os.dup(0), "rb", buffering=1 << 16)
    responses = os.fdopen(os.dup(1), "wb", buffering=1 << 16)
    nothing = os.open(os.devnull, os.O_RDONLY)
    os.dup2(nothing, 0)
    os.close(nothing)
    os.dup2(2, 1)
    return requests, responses


def import_toolkit():
    """sagemaker_containers, as the images carry it. The images patch two things for new Pythons;
    the same is done here, in memory: `collections.Mapping` (gone since Python 3.10) and the
    pure-Python protobuf runtime for the toolkit's protos, generated for protobuf 3."""
    if not hasattr(collections, "Mapping"):
        collections.Mapping = collections.abc.Mapping
    os.environ.setdefault("PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION", "python")
    from sagemaker_containers.beta.framework import content_types, encoders, errors, transformer, worker
    return content_types, encoders, errors, transformer, worker


def sklearn_defaults(toolkit):
    """The SKLearn container's handlers for what a script leaves out: no default model_fn
    (the toolkit's refuses), the toolkit's decoders (csv and json as float32) and encoders."""
    import numpy as np
    content_types, encoders, _, transformer, worker = toolkit

    def input_fn(input_data, content_type):
        array = encoders.decode(input_data, content_type)
        return array.astype(np.float32) if content_type in content_types.UTF8_TYPES else array

    def predict_fn(input_data, model):
        return model.predict(input_data)

    def output_fn(prediction, accept):
        return worker.Response(encoders.encode(prediction, accept), mimetype=accept)

    return transformer.default_model_fn, input_fn, predict_fn, output_fn


def xgboost_defaults(toolkit):
    """The XGBoost container's handlers in script mode: no default model_fn, CSV and LIBSVM
    bodies as a DMatrix, `predict(validate_features=False)`, the toolkit's encoders."""
    import numpy as np
    import xgboost as xgb
    _, encoders, errors, transformer, worker = toolkit

    def csv_matrix(text):
        rows = [["nan" if field == "" else field for field in line.split(",")] for line in text.split("\n")]
        return xgb.DMatrix(np.array(rows).astype(float))

    def libsvm_matrix(text):
        rows = []
        for line in text.strip().split("\n"):
            rows.append({int(index): float(value) for index, value in
                         (token.split(":", 1) for token in line.split() if ":" in token)})
        if not any(rows):
            return xgb.DMatrix(np.empty((0, 0)))
        offset = 1 if min(index for row in rows for index in row) >= 1 else 0
        data = np.zeros((len(rows), max(index for row in rows for index in row) - offset + 1))
        for number, row in enumerate(rows):
            for index, value in row.items():
                data[number, index - offset] = value
        return xgb.DMatrix(data)

    decoders = {"text/csv": csv_matrix, "text/libsvm": libsvm_matrix, "text/x-libsvm": libsvm_matrix}

    def input_fn(input_data, content_type):
        media = content_type.split(";")[0].strip()
        if media not in decoders:
            raise errors.UnsupportedFormatError(media)
        text = input_data.decode("utf-8") if isinstance(input_data, (bytes, bytearray)) else input_data
        return decoders[media](text)

    def predict_fn(input_data, model):
        return model.predict(input_data, validate_features=False)

    def output_fn(prediction, accept):
        return worker.Response(encoders.encode(prediction, accept), mimetype=accept)

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    return transformer.default_model_fn, input_fn, predict_fn, output_fn


def user_transformer(module, defaults, toolkit):
    """The script's handlers, with the container's defaults for those it leaves out."""
    transformer = toolkit[3]
    model_fn, input_fn, predict_fn, output_fn = defaults
    found = {name: getattr(module, name, None) for name in ("model_fn", "input_fn", "predict_fn", "output_fn", "transform_fn")}
    if found["transform_fn"] and (found["input_fn"] or found["predict_fn"] or found["output_fn"]):
        raise ValueError("Cannot use transform_fn implementation with input_fn, predict_fn, and/or output_fn")
    if found["transform_fn"]:
        return transformer.Transformer(model_fn=found["model_fn"] or model_fn, transform_fn=found["transform_fn"])
    return transformer.Transformer(model_fn=found["model_fn"] or model_fn, input_fn=found["input_fn"] or input_fn,
                                   predict_fn=found["predict_fn"] or predict_fn, output_fn=found["output_fn"] or output_fn)


def start(framework, module_dir):
    """Imports the script, loads the model (model_fn) and builds the toolkit's Flask worker."""
    program = os.environ.get("SAGEMAKER_PROGRAM", "")
    module_name = program[:-3] if program.endswith(".py") else program
    toolkit = import_toolkit()
    if module_dir not in sys.path:
        sys.path.insert(0, module_dir)
    module = importlib.import_module(module_name)
    defaults = xgboost_defaults(toolkit) if framework == "xgboost" else sklearn_defaults(toolkit)
    handlers = user_transformer(module, defaults, toolkit)
    handlers.initialize()
    return toolkit[4].Worker(transform_fn=handlers.transform, module_name=module_name)


def environ_for(header, body_stream, length):
    environ = {
        "REQUEST_METHOD": header.get("method", "GET"), "SCRIPT_NAME": "", "PATH_INFO": header.get("path", "/"),
        "QUERY_STRING": "", "SERVER_NAME": "localhost", "SERVER_PORT": "8080", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(length),
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": body_stream, "wsgi.errors": sys.stderr,
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    for name, value in header.get("headers", {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else "HTTP_" + key] = value
    return environ


def serve(app, requests, responses):
    import io
    while True:
        line = requests.readline()
        if not line:
            return  # the kit closed the pipe: the instance stops
        header = json.loads(line)
        length = int(header.get("length", 0))
        body = requests.read(length) if length else b""
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = dict(headers)

        chunks = app(environ_for(header, io.BytesIO(body), length), start_response)
        try:
            payload = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        reply = {"status": captured.get("status", 500), "headers": captured.get("headers", {}), "length": len(payload)}
        responses.write(json.dumps(reply).encode() + b"\n")
        responses.write(payload)
        responses.flush()


def main():
    folder, framework, module_dir = sys.argv[1:4]
    os.chdir(folder)
    requests, responses = take_protocol_streams()
    threading.Thread(target=watch_kit, args=(requests.fileno(),), daemon=True).start()
    sys.stdout.reconfigure(line_buffering=True)
    try:
        app = start(framework, module_dir)
    except BaseException as error:  # the image's worker fails to boot; its traceback is in the log
        traceback.print_exc()
        sys.stderr.flush()
        summary = "".join(traceback.format_exception_only(type(error), error)).strip()
        responses.write(json.dumps({"ready": False, "error": summary}).encode() + b"\n")
        responses.flush()
        os._exit(1)
    responses.write(json.dumps({"ready": True, "pid": os.getpid()}).encode() + b"\n")
    responses.flush()
    serve(app, requests, responses)


if __name__ == "__main__":
    main()
