# The two commands of the README:
#   make book   builds the website, both editions (creates .venv if missing): English at
#               _build/html/, Korean at _build/html/ko/ (the notebooks execute once, for the English
#               build; the Korean build reads their outputs from the same jupyter-cache)
#   make test   runs every test: the book build with -W, pytest tests/, and nbval over every notebook
# For translators:
#   make locale re-extracts the English messages and updates book/locale/ko/LC_MESSAGES/**/*.po
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
JB := $(BIN)/jupyter-book build . -W -n --keep-going
I18N := PYTHONPATH=$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH} $(BIN)/python book/_ext/course_i18n.py
KO_CONFIG := _build/ko_config.yml

.PHONY: book book-en book-ko locale test env pytest nbval clean experiments

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

book: book-ko
	@echo
	@echo "The book is at: file://$(CURDIR)/_build/html/index.html"
	@echo "한국어판:       file://$(CURDIR)/_build/html/ko/index.html"

book-en: env
	$(JB)

# The Korean edition: _config.yml + book/locale/ko/config.yml, the English build's jupyter-cache;
# built in _build/ko/ and copied to _build/html/ko/ (so that the English build never sees it).
book-ko: book-en
	$(I18N) config ko $(KO_CONFIG)
	$(JB) --config $(KO_CONFIG) --path-output _build/ko
	$(I18N) publish ko

locale: env
	$(I18N) locale

pytest: env
	$(BIN)/python -m pytest tests/

nbval: env
	$(BIN)/python -m pytest --nbval-lax book/

test: book
	$(BIN)/python -m pytest tests/
	$(BIN)/python -m pytest --nbval-lax book/

# Regenerate every committed results file in book/data/ (hours on 2 cores; see README.md).
experiments: env
	$(BIN)/python -m rnnlib.experiments adding-sweep
	$(BIN)/python -m rnnlib.experiments adding
	$(BIN)/python -m rnnlib.experiments pixels
	$(BIN)/python -m rnnlib.experiments tbptt_remember
	$(BIN)/python -m rnnlib.experiments agreement

clean:
	rm -rf _build
