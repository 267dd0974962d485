# Pressroom. `make demo` sets everything up and converts the bundled sample; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PRESSROOM := $(VENV)/bin/pressroom
SAMPLE := examples/000_fc941cae5a06866b.txt
DEMO_FORMATS := md docx epub pdf

.PHONY: setup demo test lint accept bench eval fuzz clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup-system.sh
	bash scripts/setup-system.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

demo: setup
	@mkdir -p build
	@for fmt in $(DEMO_FORMATS); do \
	  $(PRESSROOM) convert $(SAMPLE) -o build/sample.$$fmt || exit 1; \
	  echo "built build/sample.$$fmt"; \
	done

test: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check converters tests
	$(VENV)/bin/mypy

# Re-record golden files after reviewing the diff the failing test printed.
accept: setup
	PRESSROOM_ACCEPT=1 $(PY) -m pytest -q

clean:
	rm -rf build .pytest_cache .mypy_cache

# Scores Pressroom and its peers (trafilatura, GNE: the optional `eval` group) on ../shared/corpus.
eval: setup
	$(PY) -m pip install -q -e '.[eval]'
	$(PY) scripts/evaluate.py

# Coverage-guided fuzzing of every reader (atheris/libFuzzer), FUZZ_SECONDS each (not run by CI).
# Findings land in build/fuzz/artifacts/<reader>/; replay one with `python fuzz/fuzz_<reader>.py FILE`.
FUZZ_SECONDS ?= 600
FUZZ_READERS ?= text html markdown json docx
fuzz: setup
	$(PY) -m pip install -q -e '.[fuzz]'
	@status=0; for r in $(FUZZ_READERS); do \
	  mkdir -p build/fuzz/$$r build/fuzz/artifacts/$$r; \
	  $(PY) fuzz/seed.py $$r build/fuzz/$$r; \
	  echo "fuzzing the $$r reader for $(FUZZ_SECONDS) s"; \
	  PYTHONPATH=$(CURDIR) $(PY) fuzz/fuzz_$$r.py build/fuzz/$$r -max_total_time=$(FUZZ_SECONDS) \
	    -rss_limit_mb=1024 -timeout=10 -artifact_prefix=build/fuzz/artifacts/$$r/ || status=1; \
	done; exit $$status
