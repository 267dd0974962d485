# Pressroom. `make demo` sets everything up and converts the bundled sample; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PRESSROOM := $(VENV)/bin/pressroom
SAMPLE := examples/000_fc941cae5a06866b.txt
DEMO_FORMATS := md docx epub pdf

.PHONY: setup demo test lint accept bench eval fuzz clean

# Byte-compile the package each time: where PYTHONDONTWRITEBYTECODE is set (containers often
# set it) Python never writes .pyc files for an editable install, so every command would compile
# every module again (~50 ms a start). compileall skips the files that are up to date.
setup: $(VENV)/.installed
	@$(PY) -m compileall -q converters

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

test: setup lint
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check converters tests scripts bench fuzz templates
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

# --- Batch builds ------------------------------------------------------------------------------
# `make all` converts every article under ARTICLES (default: the bundled examples) into
# BUILD/<same path>.{md,docx,epub,pdf}, one pattern rule per input and output format, so make
# rebuilds only what is out of date (an output is made from its article and the templates) and
# `make -j` runs conversions side by side. Each output is written to a temporary name and renamed,
# so an interrupted make never leaves a truncated file it would later take as up to date.
# For large archives, `pressroom build ARTICLES -o BUILD -j N` does the same in warm worker processes.
ARTICLES ?= examples
BUILD ?= build
override ARTICLES := $(patsubst %/,%,$(ARTICLES))
override BUILD := $(patsubst %/,%,$(BUILD))
# Outputs depend on the setup (override with BUILD_DEPS= to use an existing installation).
BUILD_DEPS ?= $(VENV)/.installed
PRESSROOM_CMD ?= $(PRESSROOM)
CONVERT_FLAGS ?=
BOOK_TITLE ?=
EPUBCHECK ?= java -jar /usr/share/java/epubcheck.jar
BENCH_FLAGS ?=
ARTICLE_EXTS := txt html htm md markdown docx json
OUTPUT_FORMATS := md docx epub pdf
ARTICLE_SRCS := $(shell find $(ARTICLES) -type f -not -path '*/.*' \
	\( $(foreach e,$(ARTICLE_EXTS),-name '*.$(e)' -o) -false \) 2>/dev/null | LC_ALL=C sort)
ARTICLE_STEMS := $(sort $(basename $(patsubst $(ARTICLES)/%,%,$(ARTICLE_SRCS))))
TEMPLATE_FILES := $(shell find templates -type f 2>/dev/null)
outputs_in = $(foreach s,$(ARTICLE_STEMS),$(BUILD)/$(s).$(1))

.PHONY: all $(OUTPUT_FORMATS) book check
.DELETE_ON_ERROR:

all: $(OUTPUT_FORMATS)
md: $(call outputs_in,md)
docx: $(call outputs_in,docx)
epub: $(call outputs_in,epub)
pdf: $(call outputs_in,pdf)

# $(1) output format, $(2) input extension
define article_rule
$(BUILD)/%.$(1): $(ARTICLES)/%.$(2) $(TEMPLATE_FILES) | $(BUILD_DEPS)
	@mkdir -p $$(@D)
	$(PRESSROOM_CMD) convert $$< -o $$@ $(CONVERT_FLAGS)
endef
$(foreach out,$(OUTPUT_FORMATS),$(foreach in,$(ARTICLE_EXTS),$(eval $(call article_rule,$(out),$(in)))))

# Every article as one anthology, in both book formats.
book: $(BUILD)/book.epub $(BUILD)/book.pdf
$(BUILD)/book.epub $(BUILD)/book.pdf: $(ARTICLE_SRCS) $(TEMPLATE_FILES) | $(BUILD_DEPS)
	@mkdir -p $(@D)
	$(PRESSROOM_CMD) book $(ARTICLES) -o $@ $(if $(BOOK_TITLE),--title "$(BOOK_TITLE)") $(CONVERT_FLAGS)

# Check everything built: epubcheck (errors and warnings fail), qpdf --check, every font embedded.
check:
	@status=0; count=0; \
	for f in $$(find $(BUILD) -name '*.epub' 2>/dev/null | LC_ALL=C sort); do count=$$((count+1)); \
	  $(EPUBCHECK) -q --failonwarnings "$$f" || { echo "check: epubcheck failed: $$f"; status=1; }; \
	done; \
	for f in $$(find $(BUILD) -name '*.pdf' 2>/dev/null | LC_ALL=C sort); do count=$$((count+1)); \
	  qpdf --check "$$f" >/dev/null || { echo "check: qpdf --check failed: $$f"; status=1; }; \
	  pdffonts "$$f" >/dev/null 2>&1 || { echo "check: pdffonts cannot read $$f"; status=1; continue; }; \
	  pdffonts "$$f" | awk 'NR > 2 && $$(NF-4) != "yes" { print "check: font not embedded: " $$1; bad = 1 } \
	    END { exit bad }' || { echo "check: in $$f"; status=1; }; \
	done; \
	if [ $$count -eq 0 ]; then echo "check: nothing built under $(BUILD)/ yet (make all)"; exit 1; fi; \
	[ $$status -eq 0 ] && echo "check: $$count files OK"; exit $$status

bench: setup
	$(PY) bench/run.py $(BENCH_FLAGS)

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
