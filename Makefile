# The two set-up commands of the README: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# A stamp per requirements set: reinstall only when a requirements file changes.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test install install-dev sandbox lint typecheck bench clean

run: install ## install the runtime and start the dashboard on the embedded sandbox
	$(BIN)/streamlit run app.py

test: install-dev ## install everything (chromium, PostgreSQL included) and run every check and test
	$(BIN)/ruff check .
	$(BIN)/mypy aceint_core
	bash scripts/ensure-chromium.sh
	@url=$$(bash scripts/ensure-postgres.sh) && \
	  ACEINT_TEST_POSTGRES_URL="$$url" $(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN_STAMP): requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(RUN_STAMP)

sandbox: install ## run the sandbox alone on 127.0.0.1:8765
	$(BIN)/python -m aceint_sandbox --host 127.0.0.1 --port 8765

lint: install-dev
	$(BIN)/ruff check .

typecheck: install-dev
	$(BIN)/mypy aceint_core

bench: install-dev ## print the benchmark figures quoted in the README
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
