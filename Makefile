# newscrawl: every entry point a user or CI needs. `make run` and `make test` set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
PORT ?= 8000
STORIES ?= 200
SITE ?= menafn
OUTPUT ?= output

.PHONY: run test lint smoke check site sql bench clean

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip  # the pip of Python 3.11 trips on extras
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'  # bench: the smoke test runs the peers
	touch $(READY)

run: $(READY)  ## the main job on the bundled sample page
	$(BIN)/scrapy crawl menafn -a source=newscrawl/samples/menafn -L WARNING

test: $(READY)  ## the whole test suite
	$(BIN)/python -m pytest -q

check: test lint smoke  ## everything CI runs: the tests, then lint and the benchmark smoke run

lint: $(READY)  ## style and types
	$(BIN)/ruff check newscrawl tests bench
	$(BIN)/ruff format --check newscrawl tests bench
	$(BIN)/mypy --strict newscrawl tests bench

smoke: $(READY)  ## every benchmark at a tiny size, so its code cannot rot (numbers unchecked)
	$(BIN)/python -m bench.smoke

site: $(READY)  ## a local test site on 127.0.0.1:$(PORT) (SITE=menafn|globenewswire|prnewswire)
	$(BIN)/python -m tests.site --site $(SITE) --port $(PORT) --stories $(STORIES)

# A catch-up that fails (exit status 1: an output this user cannot write) is its one line on
# stderr, and the views open as they are; bad usage (2) stops.
sql: $(READY)  ## the DuckDB command line on $(OUTPUT)/newscrawl.duckdb (read-only), table up to date
	@$(BIN)/scrapy table -s NEWSCRAWL_OUTPUT_DIR=$(OUTPUT) >&2 || [ $$? -eq 1 ]
	@$(BIN)/duckdb -readonly $(OUTPUT)/newscrawl.duckdb

bench: $(READY)  ## benchmarks against peers (not part of the tests); writes BENCHMARKS.md
	$(BIN)/python -m bench

clean:  ## the venv, and what runs wrote under output/: every source folder and the state
	rm -rf $(VENV) output/*/ output/.state output/newscrawl.duckdb
