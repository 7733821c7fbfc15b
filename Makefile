# Two commands: `make run` (serve the demo on embedded defaults) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test lint worker bench services system-packages migrate migration clean translations

$(STAMP): pyproject.toml uploader/pyproject.toml scripts/install-pillow-simd.sh | system-packages
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# The uploader (its own package, uploader/) after the server: it owns the gallery-upload script.
	$(PY) -m pip install --quiet -e './uploader[keyring]'
	bash scripts/install-pillow-simd.sh $(PY)
	touch $(STAMP)

install: $(STAMP)

# Debian packages some tests and benchmarks drive (headless Chromium, libvips for the reference)
# and Pillow-SIMD's build dependencies.
system-packages:
	@bash scripts/system-packages.sh

# PostgreSQL and Redis must answer; start them if they are installed but stopped, else fail loudly.
services:
	@bash scripts/services.sh

migrate: $(STAMP)
	mkdir -p var
	$(FLASK) db upgrade

migration: $(STAMP)
	$(FLASK) db migrate -m "$(m)"

run: migrate
	$(FLASK) gallery seed-demo
	@echo "serving on http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(STAMP) system-packages services lint
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff and mypy, configured in pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

worker: $(STAMP)
	$(VENV)/bin/gallery worker

bench: $(STAMP) system-packages services
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf var/gallery.db* var/storage var/mail

# Gettext catalogs, the standard way: extract the strings, merge them into each language's .po file
# (translators' work is kept; a new string comes in empty, or fuzzy when it resembles an old one), compile
# the .mo files. Translators edit only the .po files; tests fail on a missing or fuzzy entry or a stale .mo.
# Mail: gallery/translations (domain "messages", babel.cfg); the client page: gallery/web_client/translations
# (domain "page", gallery/web_client/babel.cfg).
PYBABEL := $(VENV)/bin/pybabel
translations: $(STAMP)
	mkdir -p var
	$(PYBABEL) extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 --no-location --omit-header --sort-output \
		-o var/messages.pot .
	$(PYBABEL) update -i var/messages.pot -d gallery/translations -D messages
	$(PYBABEL) compile -d gallery/translations -D messages --statistics
	$(PYBABEL) extract -F gallery/web_client/babel.cfg -k _l -k _n:1,2 --sort-output -o gallery/web_client/translations/page.pot .
	$(PYBABEL) update -i gallery/web_client/translations/page.pot -d gallery/web_client/translations -D page
	$(PYBABEL) compile -d gallery/web_client/translations -D page --statistics
