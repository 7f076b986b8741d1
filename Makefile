# Quick start: `make run` (install what is missing, build, open the shell) and `make test`.
SWIFT ?= swift
WORKSPACE ?= workspace
# `make install PREFIX=DIR`: the binary in DIR/bin, its labs and datasets in DIR/share/inferlab.
PREFIX ?= /usr/local

.PHONY: run test build release install install-files docs shapes bench bench-endpoints bench-s3 bench-runtime bench-scripts bench-training clean

run: release
	.build/release/inferlab --workspace $(WORKSPACE)

# Ends by checking that the suite left nothing in the checkout (tests write into temporary folders).
test: export PYTHONDONTWRITEBYTECODE = 1
test:
	scripts/setup.sh --test
	$(SWIFT) build --build-tests
	scripts/check-clean.sh save .build/checkout-before-test
	$(SWIFT) test
	.build/debug/inferlab --workspace "$$(mktemp -d)" lab lint
	.build/debug/inferlab --workspace "$$(mktemp -d)" lab selftest
	scripts/check-clean.sh compare .build/checkout-before-test

build:
	scripts/setup.sh
	$(SWIFT) build

release:
	scripts/setup.sh
	$(SWIFT) build -c release --product inferlab

# The release binary with its resource bundle (pricing.json) beside it, and the labs and datasets
# where the binary looks first: PREFIX/share/inferlab/ (replaced whole, so removed files go too).
install: release
	$(MAKE) install-files BUILD=.build/release

# The copying alone, from the build folder BUILD (the tests install their debug build with it).
install-files:
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/inferlab"
	install -m 755 "$(BUILD)/inferlab" "$(DESTDIR)$(PREFIX)/bin/inferlab"
	rm -rf "$(DESTDIR)$(PREFIX)/bin/InferLab_InferLabEngine.resources"
	cp -R "$(BUILD)/InferLab_InferLabEngine.resources" "$(DESTDIR)$(PREFIX)/bin/"
	rm -rf "$(DESTDIR)$(PREFIX)/share/inferlab/labs" "$(DESTDIR)$(PREFIX)/share/inferlab/datasets"
	cp -R labs datasets "$(DESTDIR)$(PREFIX)/share/inferlab/"
	@echo "Installed $(DESTDIR)$(PREFIX)/bin/inferlab, with its labs and datasets in $(DESTDIR)$(PREFIX)/share/inferlab"

# Refreshes the checked-in subset of botocore's service models (scripts/aws-models/) from the course venv
# and regenerates from it the shell's request shapes and option declarations and the engine's Codable
# shapes with their constraint checks.
shapes:
	scripts/setup.sh
	.venv/bin/python scripts/generate_api_shapes.py extract
	.venv/bin/python scripts/generate_api_shapes.py generate

# Regenerates README.md's command reference from the command declarations, and its tour from a
# real run (pexpect, from setup.sh --test).
docs: build
	scripts/setup.sh --test
	scripts/update-readme-reference.sh .build/debug/inferlab
	scripts/readme-tour.py .build/debug/inferlab --update

bench: release
	bench/run.sh
	bench/s3-endpoint.sh
	bench/runtime-endpoint.sh
	$(MAKE) bench-scripts
	bench/training.sh

bench-s3: release
	bench/s3-endpoint.sh

bench-runtime: release
	bench/runtime-endpoint.sh

bench-training: release
	bench/training.sh

bench-endpoints:
	scripts/setup.sh
	$(SWIFT) build -c release --product inferlab-endpoint-bench
	.build/release/inferlab-endpoint-bench .

# Framework containers: a 1,000,000-row transform through the SKLearn container and a 2-container
# pipeline beside the bare script under Python, and real-time latency through a script container.
bench-scripts:
	scripts/setup.sh
	$(SWIFT) build -c release --product inferlab-script-bench
	.build/release/inferlab-script-bench .

clean:
	rm -rf .build
