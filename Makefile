# Quick start: `make run` (install what is missing, build, open the shell) and `make test`.
SWIFT ?= swift
WORKSPACE ?= workspace

.PHONY: run test build release docs shapes bench bench-endpoints bench-s3 bench-runtime clean

run: release
	.build/release/inferlab --workspace $(WORKSPACE)

test:
	scripts/setup.sh --test
	$(SWIFT) build --build-tests
	$(SWIFT) test
	.build/debug/inferlab --workspace "$$(mktemp -d)" lab lint
	.build/debug/inferlab --workspace "$$(mktemp -d)" lab selftest

build:
	scripts/setup.sh
	$(SWIFT) build

release:
	scripts/setup.sh
	$(SWIFT) build -c release --product inferlab

# Refreshes the checked-in subset of botocore's service models (models/aws/) from the course venv
# and regenerates the shell's request shapes and option declarations from it.
shapes:
	scripts/setup.sh
	.venv/bin/python scripts/generate_api_shapes.py extract
	.venv/bin/python scripts/generate_api_shapes.py generate

# Regenerates the command reference in README.md from the command declarations.
docs: build
	scripts/update-readme-reference.sh .build/debug/inferlab

bench: release
	bench/run.sh
	bench/s3-endpoint.sh
	bench/runtime-endpoint.sh

bench-s3: release
	bench/s3-endpoint.sh

bench-runtime: release
	bench/runtime-endpoint.sh

bench-endpoints:
	scripts/setup.sh
	$(SWIFT) build -c release --product inferlab-endpoint-bench
	.build/release/inferlab-endpoint-bench .

clean:
	rm -rf .build
