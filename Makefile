# Two commands: `make run` (serve the demo on embedded defaults) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test worker bench services system-packages migrate migration clean translations

$(STAMP): pyproject.toml scripts/install-pillow-simd.sh | system-packages
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
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

test: $(STAMP) system-packages services
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

worker: $(STAMP)
	$(FLASK) gallery worker

bench: $(STAMP) system-packages services
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf var/gallery.db* var/storage var/mail

# Mail catalogs (gallery/translations): re-extract after changing mail texts, then fill scripts/mail_translations.py.
translations: $(STAMP)
	mkdir -p var
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 --no-location --omit-header -o var/messages.pot .
	$(PY) scripts/mail_translations.py var/messages.pot
