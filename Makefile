# The two commands: `make demo` and `make test`. Both need only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

AXE_VERSION := 4.14.1
AXE := var/axe/axe.min.js

.PHONY: demo test test-postgres lint clean chromium haproxy pg-client bench wrk messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# The translations: each locale/<lang>/LC_MESSAGES/django.po, and each of Django's own messages
# said in our words (locale_django/<lang>/LC_MESSAGES/django.po), compiled into its .mo (never
# committed) by Babel, in pure Python, whenever the .po changes.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po locale_django/*/LC_MESSAGES/django.po))

%/LC_MESSAGES/django.mo: %/LC_MESSAGES/django.po | $(VENV)/.installed
	@rm -f $@
	$(BIN)/pybabel --quiet compile --domain django --locale $(notdir $*) --input-file $< --output-file $@
	@test -f $@ || { echo "$< was not compiled: its header is marked fuzzy" >&2; exit 1; }

# The strings to translate, extracted again into the Spanish catalog (needs GNU gettext's
# xgettext): new ones come in empty, never guessed; gone ones leave. Then translate what is new.
MESSAGES_IGNORE := tests demo bench var .venv static
messages: | $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages --locale es --no-location --no-obsolete \
		$(addprefix --ignore ,$(MESSAGES_IGNORE))

DEMO_ENV := DEBUG=1 MUTUALAID_FIELD_KEYS_FILE=var/field-keys SITE_URL=http://$(HOST):$(PORT)

demo: $(VENV)/.installed var/field-keys $(CATALOGS)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	@# Serves on $(PORT), or on the next free port if it is taken, and prints the address.
	@$(DEMO_ENV) $(BIN)/python manage.py serve_demo --host $(HOST) --port $(PORT)

# The demo's own field encryption key, made once and kept (never committed: var/ is ignored).
var/field-keys: | $(VENV)/.installed
	mkdir -p var
	umask 077 && DEBUG=1 \
		$(BIN)/python manage.py generate_field_key --id demo1 > $@.tmp && mv $@.tmp $@

# The whole suite, the browser test included (Chromium is installed first when missing).
test: $(VENV)/.dev-installed chromium haproxy pg-client $(AXE) $(CATALOGS)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The same suite against PostgreSQL (trust auth on 127.0.0.1:5432, database `test`).
test-postgres: $(VENV)/.dev-installed chromium haproxy pg-client $(AXE) $(CATALOGS)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest

chromium:
	@bin/ensure-chromium

# The many-servers tests put HAProxy in front of two app servers (installed when missing).
haproxy:
	@bin/ensure-haproxy

# Backups of PostgreSQL run pg_dump and pg_restore (installed when missing).
pg-client:
	@bin/ensure-pg-client

# axe-core checks the pages' accessibility in the browser test; npm fetches it once.
$(AXE):
	@command -v npm >/dev/null || { echo "npm is needed once to fetch axe-core for the browser test" >&2; exit 1; }
	mkdir -p var/axe
	cd var/axe && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && tar xzf axe-core-$(AXE_VERSION).tgz
	cp var/axe/package/axe.min.js $@

# The city-size benchmark: builds the city (bench/city.py), loads it under gunicorn with wrk
# (bench/load.py) and times every other page (bench/bench_pages.py), on SQLite, then on PostgreSQL
# when 127.0.0.1:5432 answers. Each prints the command that produced its table.
bench: $(VENV)/.installed wrk
	$(BIN)/python bench/city.py --database sqlite
	$(BIN)/python bench/load.py --database sqlite
	$(BIN)/python bench/bench_pages.py --database sqlite
	@if $(BIN)/python bench/cityenv.py; then \
		$(BIN)/python bench/city.py --database postgres && \
		$(BIN)/python bench/load.py --database postgres && \
		$(BIN)/python bench/bench_pages.py --database postgres; \
	else echo "PostgreSQL does not answer on 127.0.0.1:5432: the benchmark ran on SQLite only."; fi

wrk:
	@bin/ensure-wrk

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var $(CATALOGS)
