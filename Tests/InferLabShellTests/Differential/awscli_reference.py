"""The reference answers for the shell's differential tests: Python's jmespath (the AWS CLI's
--query), the AWS CLI v1's text and table formatters, and a YAML safe dump as CLI v2 writes it.

Reads one JSON request per line on stdin and writes one JSON answer per line:
  {"kind": "jmespath", "expression": E, "data": D} -> {"result": R} or {"error": CLASS, "message": M}
  {"kind": "text", "data": D}                      -> {"output": TEXT}
  {"kind": "table", "data": D, "title": T}          -> {"output": TABLE} (80 columns, colour off)
  {"kind": "yaml", "data": D}                      -> {"output": YAML}
  {"kind": "json", "data": D}                      -> {"output": JSON} (the CLI's json.dump)
"""
import argparse
import io
import json
import sys

import colorama
import jmespath
from jmespath import exceptions
import yaml
from awscli import text
from awscli.formatter import TableFormatter

# awscli's ColorizedStyler calls colorama.init for every table, wrapping stdout again each time;
# its colour codes need no init, and this process's answers must not pass through a wrapper.
colorama.init = lambda *args, **kwargs: None
OUT = sys.stdout

ERROR_CLASSES = {
    exceptions.VariadictArityError: "invalid-arity",
    exceptions.ArityError: "invalid-arity",
    exceptions.LexerError: "syntax",
    exceptions.IncompleteExpressionError: "syntax",
    exceptions.ParseError: "syntax",
    exceptions.EmptyExpressionError: "syntax",
    exceptions.JMESPathTypeError: "invalid-type",
    exceptions.UnknownFunctionError: "unknown-function",
}


def answer(request):
    kind, data = request["kind"], request.get("data")
    if kind == "jmespath":
        try:
            return {"result": jmespath.search(request["expression"], data)}
        except Exception as error:  # the class decides; Python-internal TypeErrors are "python"
            for cls, name in ERROR_CLASSES.items():
                if isinstance(error, cls):
                    return {"error": name, "message": str(error)}
            if isinstance(error, ValueError):
                return {"error": "invalid-value", "message": str(error)}
            return {"error": "python", "message": repr(error)}
    stream = io.StringIO()
    if kind == "text":
        text.format_text(data, stream)
    elif kind == "table":
        args = argparse.Namespace(color=request.get("color", "off"), query=None)
        formatter = TableFormatter(args)
        formatter.table._terminal_width = 80
        formatter._format_response(request["title"], data, stream)
    elif kind == "json":
        json.dump(data, stream, indent=4, ensure_ascii=False)
        stream.write("\n")
    elif kind == "yaml":
        yaml.safe_dump(data, stream, default_flow_style=False, allow_unicode=True, sort_keys=True)
    return {"output": stream.getvalue()}


for line in sys.stdin:
    try:
        reply = answer(json.loads(line))
    except Exception as error:
        reply = {"error": "python", "message": repr(error)}
    OUT.write(json.dumps(reply, ensure_ascii=False) + "\n")
    OUT.flush()
