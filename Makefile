# Two entry points: `make run` (extract the bundled fixtures) and `make test`; `make eval-real`
# scores the real pages when their texts are in .cache/real-dev (never in CI).
# Both create .venv with the project and its dev tools on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint clean eval-real

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	@mkdir -p out
	$(BIN)/vnextract extract fixtures/pages -o out/fixtures.jsonl --overwrite
	@echo "output written to out/fixtures.jsonl"

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/ruff format --check pipeline tests bench
	$(BIN)/mypy pipeline

test: lint
	$(BIN)/python -m pytest

# Real pages (issue: real development corpus): needs .cache/real-dev, recovered as
# ../shared/real-dev/README.md says; fails below the floors in fixtures/real/floors.json.
eval-real: $(STAMP)
	$(BIN)/python bench/eval_real.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
