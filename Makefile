# The two commands of the quick start: `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test eval train golden bench ablation clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

# Extract the bundled sample issue and build the embedded graph (no server needed).
demo: install
	$(BIN)/innograph build

# The whole suite, against a real Neo4j server (started locally unless NEO4J_URI is set).
test: install-test
	$(BIN)/ruff check innograph extract graph loaders queries tests benchmarks
	bash scripts/test.sh

GOLD := ../shared/gold/dev.jsonl ../shared/gold/news-dev.jsonl

# Cross-validated by article (6 folds): the trained parts never read an article they were trained on.
eval: install
	$(BIN)/innograph eval $(GOLD) --cv 6

# Train the name tagger, span scorer and relation classifier on the gold files (deterministic);
# writes extract/resources/{name_tagger.crfsuite,span_scorer.json,relation_scorer.json}.
train: install
	$(BIN)/innograph train $(GOLD)

# Regenerate the extraction golden files after a deliberate rule change; review the diff.
golden: install-test
	INNOGRAPH_REGEN_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_extract_golden.py
	git diff --stat tests/golden

# Benchmarks print figures; they are not tests. load.py and queries.py need a scratch Neo4j.
bench: install-test
	$(BIN)/python benchmarks/extract.py

# What each part of the extractor adds, cross-validated (about 15 minutes).
ablation: install
	$(BIN)/python benchmarks/ablation.py

clean:
	rm -rf .innograph build *.egg-info
