# Two commands: `make run` (set up, build the demo warehouse if none, open the app) and
# `make test` (set up, lint, run every test). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
WAREHOUSE := $(or $(LSP_WAREHOUSE),data/warehouse.duckdb)
PORT ?= 8501

SITE_CSS := analytics/site/static/site.css
# plotly.js's basic bundle, which draws the app's charts (ui/plotly_component.py), served by
# Streamlit from static/ at /app/static/ (git-ignored: copied from node_modules)
PLOTLY_JS := static/plotly-basic.min.js

.PHONY: run serve test setup lint format bench demo clean docs

$(STAMP): pyproject.toml
	bash scripts/ensure-system.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The public site's styles: GOV.UK Frontend and Sass from npm (package-lock.json), compiled
# once; `lsp site build` copies the result into every site it writes. The charts' plotly.js
# comes from npm too.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(SITE_CSS): node_modules/.package-lock.json analytics/site/scss/site.scss
	mkdir -p $(dir $(SITE_CSS))
	npx --no-install sass --pkg-importer=node --no-source-map --style=compressed \
		--quiet-deps analytics/site/scss/site.scss $(SITE_CSS)

$(PLOTLY_JS): node_modules/.package-lock.json
	mkdir -p $(dir $(PLOTLY_JS))
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js $(PLOTLY_JS)

setup: $(STAMP) $(SITE_CSS) $(PLOTLY_JS)

# The documentation site (mkdocs.yml): `make docs` builds it into build/docs/ (git-ignored),
# failing on any broken link or anchor; `make run` builds it when docs/ changed, and serve.py
# serves it at /docs.
DOCS_SITE := build/docs/index.html
export NO_MKDOCS_2_WARNING := 1

$(DOCS_SITE): $(STAMP) mkdocs.yml $(shell find docs -type f 2>/dev/null)
	$(BIN)/mkdocs build --strict --quiet

docs: $(STAMP)
	$(BIN)/mkdocs build --strict

run: $(STAMP) $(SITE_CSS) $(PLOTLY_JS) $(DOCS_SITE)
	@[ -f "$(WAREHOUSE)" ] || $(BIN)/lsp init --demo
	@$(BIN)/python -m analytics.demo.accounts_note "$(WAREHOUSE)"
	@echo "One app process, for development. To serve many people: make serve (lsp serve)."
	$(BIN)/streamlit run serve.py --server.port $(PORT)

# The app as a council runs it: one app process per core behind Caddy (docs/operations/server.md).
serve: $(STAMP) $(SITE_CSS) $(PLOTLY_JS) $(DOCS_SITE)
	@[ -f "$(WAREHOUSE)" ] || $(BIN)/lsp init --demo
	@$(BIN)/python -m analytics.demo.accounts_note "$(WAREHOUSE)"
	$(BIN)/lsp --warehouse "$(WAREHOUSE)" serve --port $(PORT)

test: $(STAMP) $(SITE_CSS) $(PLOTLY_JS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

demo: $(STAMP)
	$(BIN)/lsp init --demo --force

lint format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# `make bench` runs every benchmark (docs/benchmarks.md's sizes); `make bench BENCH_ARGS=--quick`
# a short run.
bench: $(STAMP) $(PLOTLY_JS)
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules $(SITE_CSS) $(PLOTLY_JS) build/docs
