# Two commands: `make run` (set up, build the demo warehouse if none, open the app) and
# `make test` (set up, lint, run every test). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
WAREHOUSE := $(or $(LSP_WAREHOUSE),data/warehouse.duckdb)
PORT ?= 8501

.PHONY: run test setup lint format bench demo clean

$(STAMP): pyproject.toml
	bash scripts/ensure-system.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	@[ -f "$(WAREHOUSE)" ] || $(BIN)/lsp init --demo
	@$(BIN)/python -m analytics.demo.accounts_note "$(WAREHOUSE)"
	$(BIN)/streamlit run serve.py --server.port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

demo: $(STAMP)
	$(BIN)/lsp init --demo --force

lint format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# `make bench` runs every benchmark (README sizes); `make bench BENCH_ARGS=--quick` a short run.
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
