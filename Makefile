# The two commands: `make demo` and `make test`. Both need only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-postgres test-fast lint serve clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo
	@echo "  Serving the demo network on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo
	DEBUG=1 $(BIN)/python manage.py runserver --skip-checks $(HOST):$(PORT)

# The whole suite, the browser test included (Chromium is installed first when missing).
test: $(VENV)/.dev-installed chromium
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The same suite against PostgreSQL (trust auth on 127.0.0.1:5432, database `test`).
test-postgres: $(VENV)/.dev-installed chromium
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest

chromium:
	@bin/ensure-chromium

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var
