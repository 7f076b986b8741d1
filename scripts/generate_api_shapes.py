#!/usr/bin/env python3
"""AWS's shapes, from AWS's own models (botocore's service-2.json), for the shell and the engine.

    generate_api_shapes.py extract   copies the subset of the venv's botocore models that the kit
                                     serves (each served operation's request and answer and every
                                     shape they reach) into scripts/aws-models/<service>.json (checked in)
    generate_api_shapes.py generate  writes, from those files (checked in; `make shapes` runs both):
                                     - Sources/InferLabShell/AWSCLI/Generated/AWSModels.swift, the
                                       shell's request shapes and option declarations;
                                     - Sources/InferLabEngine/API/Generated/<Service>Shapes.swift, the
                                       engine's Codable structs and, per request shape, a `validate`
                                       from the model's min, max, pattern and enum.
                                     `generate --output-dir DIR` writes them all into DIR (the drift test)

What the kit serves, and how it differs from AWS's models, is scripts/aws-models/kit.json, the one
place that says so. `operations`: the request members the kit offers; a member it leaves out is
still in the shell's shape (so botocore's "must be one of" lists AWS's members), as an unchecked
value the shell refuses with a note instead of an AWS option, and it is not in the engine's struct.
`engine`: per service whose engine shapes are generated, the members kept of nested and answer
shapes, renames on name clashes, request members the kit requires beyond AWS (`mustCarry`),
answer members it always fills (`alwaysFilled`) and its own additions. The engine's structs are
named as AWS names the shape (an operation's request and answer <Operation>Input/<Operation>Output),
their members in the model's order (AWSWireEncoder writes them so) and lowerCamel (AWSCoding).
`long` gives a service's longs another Swift type (CloudWatch Logs: epoch milliseconds as Int64).
Generated for SageMaker, Application Auto Scaling and CloudWatch Logs. sagemaker-runtime (members
in headers and a raw body) keeps hand-written engine shapes, and S3's are bound to its REST-XML
coding (members in headers, the query and XML elements, XML names) and stay hand-written.
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "scripts" / "aws-models"
OUTPUT = ROOT / "Sources" / "InferLabShell" / "AWSCLI" / "Generated" / "AWSModels.swift"
# The shape attributes the shell uses: types, constraints, members and how S3 carries them.
KEPT = {"type", "required", "min", "max", "pattern", "enum", "member", "key", "value", "members", "streaming",
        "timestampFormat", "document", "union", "shape", "location", "locationName", "payload"}


def kit():
    return json.loads((MODELS / "kit.json").read_text(encoding="utf-8"))


def extract():
    import botocore
    import botocore.loaders

    loader = botocore.loaders.Loader()
    for service, operations in kit()["operations"].items():
        operations = list(operations)
        model = loader.load_service_model(service, "service-2")
        keep_shapes, kept_operations = {}, {}

        def visit(name):
            if name in keep_shapes:
                return
            shape = {k: v for k, v in model["shapes"][name].items() if k in KEPT}
            if "members" in shape:
                shape["members"] = {m: {k: v for k, v in spec.items() if k in KEPT} for m, spec in shape["members"].items()}
            keep_shapes[name] = shape
            for spec in shape.get("members", {}).values():
                visit(spec["shape"])
            for part in ("member", "key", "value"):
                if part in shape:
                    visit(shape[part]["shape"])

        for name in operations:
            operation = model["operations"][name]
            kept_operations[name] = {k: operation[k] for k in ("name", "input", "output") if k in operation}
            for part in ("input", "output"):
                if part in operation:
                    visit(operation[part]["shape"])
        metadata = {k: model["metadata"][k] for k in ("apiVersion", "endpointPrefix", "protocol", "serviceId")}
        metadata["extractedFromBotocore"] = botocore.__version__
        subset = {"metadata": metadata,
                  "operations": kept_operations, "shapes": dict(sorted(keep_shapes.items()))}
        MODELS.mkdir(parents=True, exist_ok=True)
        (MODELS / f"{service}.json").write_text(json.dumps(subset, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        print(f"scripts/aws-models/{service}.json: {len(kept_operations)} operations, {len(keep_shapes)} shapes")


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def identifier(service, shape):
    return service.replace("-", "_") + "_" + shape


def generate(output=OUTPUT):
    global xform_name
    from botocore import xform_name

    configuration = kit()
    lines = [
        "// Generated by scripts/generate_api_shapes.py (`make shapes`) from scripts/aws-models/*.json, the",
        "// subset of botocore's service models that the kit serves, and scripts/aws-models/kit.json. Do not edit.",
        "",
        "// swiftlint:disable all",
        "extension AWSModels {",
    ]
    operations = []
    for service, names in configuration["operations"].items():
        model = json.loads((MODELS / f"{service}.json").read_text(encoding="utf-8"))
        shapes = model["shapes"]
        emitted = set()
        pending = []

        def reference(name):
            if name not in emitted:
                emitted.add(name)
                pending.append(name)
            return identifier(service, name)

        for name in names:
            operation = model["operations"][name]
            if "input" in operation:
                input_name = operation["input"]["shape"]
                input_ref = reference(input_name)
            else:
                input_ref = "APIShape(name: \"Input\", .structure([]))"
            aws_members = list(shapes[input_name].get("members", {})) if "input" in operation else []
            offered = aws_members if names[name] == "*" else names[name]
            unknown = [m for m in offered if m not in aws_members]
            if unknown:
                sys.exit(f"kit.json offers {service} {name} members that AWS's model lacks: {unknown}")
            omitted = [m for m in aws_members if m not in offered]
            operations.append(f"        APIOperation(service: {swift_string(service)}, name: {swift_string(name)}, input: {input_ref}, "
                              f"leftOut: [{', '.join(swift_string(m) for m in omitted)}]),")
            if "input" in operation:
                omitted_by_shape = {input_name: set(omitted)}
            else:
                omitted_by_shape = {}
            while pending:
                shape_name = pending.pop(0)
                lines.append(shape_declaration(service, shape_name, shapes[shape_name], reference,
                                               omitted_by_shape.get(shape_name, set())))
    lines.append("")
    lines.append("    static let operations: [APIOperation] = [")
    lines += operations
    lines.append("    ]")
    lines.append("}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{output}: {len(operations)} operations")


def shape_declaration(service, name, shape, reference, omitted):
    kind = shape["type"]
    arguments = [f"name: {swift_string(name)}"]
    if kind == "structure":
        members = []
        required = set(shape.get("required", []))
        for member, spec in shape.get("members", {}).items():
            target = "AWSModels.unchecked" if member in omitted else reference(spec["shape"])
            if member not in omitted and spec.get("streaming"):
                # awscli reads a streaming blob member (S3's Body) as a path to a file.
                target = f"APIShape(name: {swift_string(spec['shape'])}, .blob(streaming: true))"
            extras = ""
            if member in required:
                extras += ", required: true"
            if "location" in spec:
                extras += f", location: {swift_string(spec['location'])}"
            # The CLI's option name, by botocore's own rule (`MaxPayloadInMB` → `max-payload-in-mb`).
            cli = xform_name(member, "-")
            if cli != member.lower():
                extras += f", cli: {swift_string(cli)}"
            members.append(f"APIMember({swift_string(member)}, {target}{extras})")
        body = f".structure([{', '.join(members)}])" if members else ".structure([])"
        if shape.get("document"):
            body = ".document"
    elif kind == "list":
        body = f".list({reference(shape['member']['shape'])})"
    elif kind == "map":
        body = f".map(key: {reference(shape['key']['shape'])}, value: {reference(shape['value']['shape'])})"
    elif kind == "blob":
        body = f".blob(streaming: {'true' if shape.get('streaming') else 'false'})"
    else:
        body = "." + kind
    arguments.append(body)
    for constraint in ("min", "max"):
        if constraint in shape:
            value = shape[constraint]
            arguments.append(f"{constraint}: {value!r}" if isinstance(value, int) else f"{constraint}: {int(value)}")
    if "pattern" in shape:
        arguments.append(f"pattern: #\"{shape['pattern']}\"#")
    if "enum" in shape:
        arguments.append(f"enumValues: [{', '.join(swift_string(v) for v in shape['enum'])}]")
    return f"    static let {identifier(service, name)} = APIShape({', '.join(arguments)})"


# MARK: the engine's Codable shapes

ENGINE_OUTPUT = ROOT / "Sources" / "InferLabEngine" / "API" / "Generated"
SWIFT_KEYWORDS = {"default", "protocol", "operator", "in", "is", "as", "class", "struct", "enum", "func", "var", "let",
                  "return", "self", "init", "import", "extension", "internal", "public", "private", "static", "where",
                  "case", "switch", "repeat", "while", "for", "if", "else", "do", "catch", "try", "throw", "nil", "true", "false"}
SCALARS = {"string": "String", "integer": "Int", "long": "Int", "boolean": "Bool", "float": "Double", "double": "Double",
           "timestamp": "Date", "blob": "Data"}


def property_name(member):
    """AWSCoding's rule: the member name with its first letter lowercased (`S3Uri` → `s3Uri`)."""
    name = member[:1].lower() + member[1:]
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


def bare(name):
    return name.strip("`")


def generate_engine(folder=ENGINE_OUTPUT):
    configuration = kit()
    engine = configuration["engine"]
    folder.mkdir(parents=True, exist_ok=True)
    for service, settings in engine["services"].items():
        text = EngineShapes(service, configuration, settings).swift()
        (folder / settings["file"]).write_text(text, encoding="utf-8")
        print(f"{folder / settings['file']}: {service}")


class EngineShapes:
    """One service's structures as Swift: the members the kit serves, in the model's order."""

    def __init__(self, service, configuration, settings):
        self.service = service
        self.settings = settings
        self.served = configuration["operations"][service]
        model = json.loads((MODELS / f"{service}.json").read_text(encoding="utf-8"))
        self.shapes = model["shapes"]
        self.operations = model["operations"]
        self.service_id = model["metadata"]["serviceId"].replace(" ", "")
        self.names = {}
        for operation in self.served:
            for part, suffix in (("input", "Input"), ("output", "Output")):
                if part in self.operations[operation]:
                    self.names[self.operations[operation][part]["shape"]] = operation + suffix
        self.names.update(settings.get("names", {}))
        self.top_inputs = {self.operations[o]["input"]["shape"]: o for o in self.served if "input" in self.operations[o]}
        for shape, members in list(settings.get("members", {}).items()) + list(settings.get("mustCarry", {}).items()) \
                + list(settings.get("alwaysFilled", {}).items()):
            unknown = [m for m in members if m not in self.shapes.get(shape, {}).get("members", {})]
            if unknown:
                sys.exit(f"kit.json names {service} {shape} members that AWS's model lacks: {unknown}")

    def swift_name(self, shape):
        return self.names.get(shape, shape)

    def members(self, shape):
        """The kept members of a structure, in the model's order, and the ones left out."""
        aws = list(self.shapes[shape].get("members", {}))
        if shape in self.top_inputs:
            offered = self.served[self.top_inputs[shape]]
            kept = aws if offered == "*" else [m for m in aws if m in offered]
        elif shape in self.settings.get("members", {}):
            kept = [m for m in aws if m in self.settings["members"][shape]]
        else:
            kept = aws
        return kept, [m for m in aws if m not in kept]

    def walk(self):
        """Structures reachable from the served operations through kept members, first seen first;
        and those reachable from a request (which get a `validate`)."""
        order, requests = [], set()

        def visit(shape, request):
            spec = self.shapes[shape]
            if spec["type"] == "structure":
                if shape in order and (not request or shape in requests):
                    return
                if shape not in order:
                    order.append(shape)
                if request:
                    requests.add(shape)
                for member in self.members(shape)[0]:
                    visit(spec["members"][member]["shape"], request)
            for part in ("member", "key", "value"):
                if part in spec:
                    visit(spec[part]["shape"], request)

        for operation in self.served:
            if "input" in self.operations[operation]:
                visit(self.operations[operation]["input"]["shape"], True)
            if "output" in self.operations[operation]:
                visit(self.operations[operation]["output"]["shape"], False)
        # An answer without members is the hand-written `EmptyOutput`.
        empty = {s for s in order if not self.members(s)[0] and s not in self.settings.get("additions", {})}
        return [s for s in order if s not in empty], requests

    def swift_type(self, shape):
        spec = self.shapes[shape]
        kind = spec["type"]
        if kind == "long" and "long" in self.settings:
            return self.settings["long"]
        if kind in SCALARS:
            return SCALARS[kind]
        if kind == "list":
            return f"[{self.swift_type(spec['member']['shape'])}]"
        if kind == "map":
            return f"[{self.swift_type(spec['key']['shape'])}: {self.swift_type(spec['value']['shape'])}]"
        return self.swift_name(shape)

    def swift(self):
        structures, requests = self.walk()
        outputs = {self.operations[o]["output"]["shape"] for o in self.served if "output" in self.operations[o]}
        self.enums = {}
        lines = [
            f"// Generated by scripts/generate_api_shapes.py (`make shapes`) from scripts/aws-models/{self.service}.json, the",
            "// subset of botocore's service model that the kit serves, and scripts/aws-models/kit.json (what the kit",
            "// leaves out, adds, or requires beyond AWS). Do not edit; one file per service, however long.",
            "//",
            f"// The engine's {self.service} shapes: AWS's members in the model's order (AWSWireEncoder keeps it), Swift",
            "// properties lowerCamel (AWSCoding), required members non-optional; and per request shape a `validate`",
            "// from the model's min, max, pattern and enum, in AWS's words (APIValidation).",
            "",
            "import Foundation",
            "",
            "// swiftlint:disable all",
        ]
        for shape in structures:
            lines += self.structure(shape, shape in outputs)
        for shape in structures:
            if shape in requests:
                lines += self.validation(shape)
        if self.enums:
            lines += ["", f"/// The enum value sets of {self.service}'s request shapes.", f"enum {self.enum_namespace()} {{"]
            for name, values in sorted(self.enums.items()):
                lines.append(f"    static let {name}: [String] = [{', '.join(swift_string(v) for v in values)}]")
            lines.append("}")
        return "\n".join(lines) + "\n"

    def enum_namespace(self):
        return self.service_id + "Enums"

    def is_required(self, shape, member):
        return member in self.shapes[shape].get("required", []) or member in self.settings.get("alwaysFilled", {}).get(shape, [])

    def structure(self, shape, is_output):
        spec = self.shapes[shape]
        name = self.swift_name(shape)
        kept, left_out = self.members(shape)
        properties = []
        for member in kept:
            swift = self.swift_type(spec["members"][member]["shape"])
            properties.append((property_name(member), swift, self.is_required(shape, member), None))
        for addition in self.settings.get("additions", {}).get(shape, []):
            properties.append((property_name(addition["member"]), addition["type"], False, addition["about"]))
        lines = ["", f"/// AWS's `{shape}`" + (f" ({self.service})." if name == shape else f", as `{name}`.")]
        if left_out:
            lines.append(f"/// Left out (kit.json): {', '.join(left_out)}.")
        lines.append(f"public struct {name}: Codable, Sendable, Equatable {{")
        for prop, swift, required, about in properties:
            if about:
                lines.append(f"    /// {about}")
            lines.append(f"    public var {prop}: {swift}{'' if required else '?'}")
        lines.append("")
        parameters = ", ".join(f"{prop}: {swift}" + ("" if required else "? = nil") for prop, swift, required, _ in properties)
        lines.append(f"    public init({parameters}) {{")
        for prop, _, _, _ in properties:
            lines.append(f"        self.{bare(prop)} = {prop}")
        lines.append("    }")
        lines.append("}")
        return lines

    def validation(self, shape):
        spec = self.shapes[shape]
        name = self.swift_name(shape)
        body = []
        must = self.settings.get("mustCarry", {}).get(shape, [])
        for member in self.members(shape)[0]:
            prop = property_name(member)
            target = spec["members"][member]["shape"]
            path = f"\\(path){bare(prop)}"
            required = self.is_required(shape, member)
            if member in must:
                body.append(f"        if self.{bare(prop)} == nil {{ validation.missing(\"{path}\") }}")
            checks = self.checks(target, "value" if not required else f"self.{bare(prop)}", path, 1)
            if not checks:
                continue
            if required:
                body += ["        " + c for c in checks]
            else:
                body.append(f"        if let value = self.{bare(prop)} {{")
                body += ["            " + c for c in checks]
                body.append("        }")
        lines = ["", f"extension {name}: AWSValidatable {{",
                 "    func validate(into validation: inout APIValidation, at path: String) {"]
        lines += body
        lines += ["    }", "}"]
        return lines

    def checks(self, shape, value, path, depth):
        """Swift statements checking `value` (not optional) of `shape` at `path` (interpolated)."""
        spec = self.shapes[shape]
        kind = spec["type"]
        out = []
        low, high = spec.get("min"), spec.get("max")
        if kind == "string":
            if (low or 0) > 0 or high is not None:
                out.append(f"validation.length({value}, at: \"{path}\", max: {int(high) if high is not None else 'Int.max'}, min: {int(low or 0)})")
            if "pattern" in spec:
                out.append(f"validation.pattern({value}, at: \"{path}\", #\"{spec['pattern']}\"#)")
            if "enum" in spec:
                self.enums[shape] = spec["enum"]
                out.append(f"validation.oneOf({value}, at: \"{path}\", {self.enum_namespace()}.{shape})")
        elif kind in ("integer", "long", "float", "double"):
            if low is not None or high is not None:
                literal = (lambda v: repr(int(v))) if kind in ("integer", "long") else (lambda v: repr(float(v)))
                bounds = ", ".join(f"{k}: {literal(v)}" for k, v in (("min", low), ("max", high)) if v is not None)
                out.append(f"validation.range({value}, at: \"{path}\", {bounds})")
        elif kind in ("list", "map"):
            if (low or 0) > 0 or high is not None:
                out.append(f"validation.count({value}, at: \"{path}\", {int(low or 0)}...{int(high) if high is not None else 'Int.max'})")
            if kind == "list":
                inner = self.checks(spec["member"]["shape"], f"item{depth}", f"{path}.\\(index{depth} + 1).member", depth + 1)
                if inner:
                    out.append(f"for (index{depth}, item{depth}) in {value}.enumerated() {{")
                    out += ["    " + c for c in inner]
                    out.append("}")
            else:
                keys = self.checks(spec["key"]["shape"], f"key{depth}", f"{path}.\\(key{depth}).key", depth + 1)
                values = self.checks(spec["value"]["shape"], f"item{depth}", f"{path}.\\(key{depth}).value", depth + 1)
                if keys or values:
                    # Sorted, so that the messages come in one order.
                    out.append(f"for (key{depth}, item{depth}) in {value}.sorted(by: {{ $0.key < $1.key }}) {{")
                    out += ["    " + c for c in keys + values]
                    if not values:
                        out.append(f"    _ = item{depth}")
                    out.append("}")
        elif kind == "structure":
            out.append(f"{value}.validate(into: &validation, at: \"{path}.\")")
        return out


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "extract":
        extract()
    elif command == "generate":
        if sys.argv[2:3] == ["--output-dir"]:
            folder = Path(sys.argv[3])
            generate(folder / OUTPUT.name)
            generate_engine(folder)
        else:
            generate()
            generate_engine()
    else:
        sys.exit(__doc__)
