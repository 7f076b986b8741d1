"""The learner's inference script(s) run directly under Python on the same data, in the same
mini-batches (up to 6 MiB at line boundaries) and with the same handlers the SKLearn container
uses for those a script leaves out (the toolkit's CSV decoder as float32, its CSV encoder):
what a batch transform through framework containers cannot beat. A pipeline's scripts run one
after the other on each mini-batch. Usage: script_bare.py INPUT OUTPUT SCRIPT.py [SCRIPT.py]
"""
import collections
import collections.abc
import importlib.util
import os
import sys

if not hasattr(collections, "Mapping"):
    collections.Mapping = collections.abc.Mapping
os.environ.setdefault("PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION", "python")
import numpy as np
from sagemaker_containers.beta.framework import encoders

source, target, scripts = sys.argv[1], sys.argv[2], sys.argv[3:]
modules = []
for index, path in enumerate(scripts):
    spec = importlib.util.spec_from_file_location("script%d" % index, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    modules.append((module, module.model_fn(os.path.dirname(path))))

data = open(source, "rb").read()
limit = 6 << 20
with open(target, "wb") as out:
    start = 0
    while start < len(data):
        end = len(data) if start + limit >= len(data) else data.rfind(b"\n", start, start + limit) + 1
        body = data[start:end].decode("utf-8")
        for module, model in modules:
            if hasattr(module, "input_fn"):
                features = module.input_fn(body, "text/csv")
            else:
                features = encoders.decode(body, "text/csv").astype(np.float32)
            prediction = module.predict_fn(features, model)
            body = encoders.encode(prediction, "text/csv")
        out.write(body.encode("utf-8"))
        if not body.endswith("\n"):
            out.write(b"\n")
        start = end
