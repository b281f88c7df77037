# Two commands do all the set-up: `make app` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install app test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("ecotrends needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Installs, loads the shipped history into a new or empty database (data/seed), then starts the Streamlit app
# on $ECOTRENDS_DB (default data/ecotrends.duckdb).
app: install
	$(BIN)/ecotrends seed --if-needed
	$(BIN)/streamlit run app/streamlit_app.py --server.headless true

# Installs, then runs the linter and the whole test suite. .ci/run calls exactly this.
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache
