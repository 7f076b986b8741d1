#!/usr/bin/env python3
"""What the real AWS CLI makes of arguments, for the shell's differential tests.

Reads a JSON list on standard input and prints a JSON list of answers, one per case:

    {"shorthand": "A=b,C=[d,e]"}
        -> {"value": {...}} or {"error": "<ShorthandParseError message>"}   (awscli's ShorthandParser)
    {"validate": {...params...}, "service": "sagemaker", "operation": "CreateTransformJob"}
        -> {"report": "<botocore's report>"} or {"report": null}             (botocore's ParamValidator)

Validation uses the checked-in models (scripts/aws-models/<service>.json), the ones the shell's shapes are
generated from, so a newer botocore in the venv does not make the two disagree on AWS's members.
"""
import json
import sys
from pathlib import Path

from awscli.shorthand import ShorthandParseError, ShorthandParser
from botocore.model import ServiceModel
from botocore.validate import ParamValidator

MODELS = Path(__file__).resolve().parent / "aws-models"


def main():
    cases = json.load(sys.stdin)
    models = {}
    answers = []
    for case in cases:
        if "shorthand" in case:
            try:
                answers.append({"value": ShorthandParser().parse(case["shorthand"])})
            except ShorthandParseError as error:
                answers.append({"error": str(error)})
        else:
            service = case["service"]
            if service not in models:
                data = json.loads((MODELS / f"{service}.json").read_text(encoding="utf-8"))
                models[service] = ServiceModel(data, service_name=service)
            shape = models[service].operation_model(case["operation"]).input_shape
            report = ParamValidator().validate(case["validate"], shape)
            answers.append({"report": report.generate_report() if report.has_errors() else None})
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
