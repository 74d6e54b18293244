# Every target installs what it needs first; installs are pinned and re-run only when the pins change.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export PYTHONPATH := $(CURDIR)/lambda
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: deps chat test serve lint clean

$(PY_STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(PY_STAMP) $(NODE_STAMP)

## chat: start the skill locally (SQLite store) and talk to it through virtual-alexa in this terminal
chat: deps
	$(BIN)/python tools/chat.py

## test: lint, then every test (unit, property, handler, end-to-end, rendered audio)
test: deps lint audio chromium
	$(BIN)/python -m pytest

## test-fast: lint, then the unit, property and in-process conversation tests (no servers, Node, audio or browser)
.PHONY: test-fast
test-fast: $(PY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow" -q

## audio: espeak-ng and sox from Debian, to render the coach's speech in the tests (apt-get, so as root, as CI runs)
.PHONY: audio
audio:
	@command -v espeak-ng >/dev/null && command -v sox >/dev/null || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y espeak-ng sox; }

## chromium: Debian's headless Chromium, to render the Echo Show screens in the tests (playwright drives it and
## downloads no browser of its own; apt-get, so as root, as CI runs)
.PHONY: chromium
chromium:
	@command -v chromium-headless-shell >/dev/null || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium-headless-shell; }

lint: $(PY_STAMP)
	$(BIN)/ruff check .

## serve: the HTTP endpoint (POST / for Alexa, GET /healthz); HOST, PORT, SKILL_STORE, SKILL_ID, ALEXA_VERIFY
serve: $(PY_STAMP)
	$(BIN)/python -m runner_strength.hosting

## package: build/runner-strength-lambda.zip, the AWS Lambda deployment package (arm64, Python 3.11) for template.yaml
.PHONY: package
package: $(PY_STAMP)
	$(BIN)/python tools/package.py

## skill-package: skill-package/ for `ask deploy --target skill-metadata` (FUNCTION_ARN=... or STACK_OUTPUTS=file.json)
.PHONY: skill-package
skill-package: $(PY_STAMP)
	$(BIN)/python tools/skill_package.py $(if $(STACK_OUTPUTS),--stack-outputs $(STACK_OUTPUTS))

## model: expand interaction_model/grammar/<locale>.yaml into interaction_model/<locale>.json and report the model gate
.PHONY: model
model: $(PY_STAMP)
	$(BIN)/python tools/model/expand.py

## docs: rewrite the generated regions of the Markdown files from the data (docs/extending.md's catalog table)
.PHONY: docs
docs: $(PY_STAMP)
	$(BIN)/python tools/docs.py

## bench: benchmarks against a hello-world ask-sdk skill, written to benchmarks/RESULTS.md
.PHONY: bench
bench: deps audio
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .hypothesis var build
