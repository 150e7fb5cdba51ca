# The two commands of the README:
#   make book   builds the website, both editions (creates .venv if missing): English at
#               _build/html/, Korean at _build/html/ko/ (the notebooks execute once, for the English
#               build; the Korean build reads their outputs from the same jupyter-cache)
#   make test   runs every test: the book build with -W, pytest tests/, and nbval over every notebook
#   make pdf    the PDF editions in _build/pdf/ (and a copy in the website, which the intro page links)
# For translators:
#   make locale re-extracts the English messages and updates book/locale/ko/LC_MESSAGES/**/*.po
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
JB := $(BIN)/jupyter-book build . -W -n --keep-going
I18N := PYTHONPATH=$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH} $(BIN)/python book/_ext/course_i18n.py
KO_CONFIG := _build/ko_config.yml

.PHONY: book book-en book-ko locale test env pytest nbval clean experiments bench pdf

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

# The book as one HTML page printed by headless Chromium (Debian's chromium), English and, once
# book/locale/ko/ exists, Korean (book/_ext/book_pdf.py; `--lang ko` prints only the Korean one). It reuses
# the notebooks `make book` executed (the jupyter cache) and executes them only when the cache is empty.
# PDF_OPTS: more options for book/_ext/book_pdf.py, e.g. PDF_OPTS="-D gettext_compact=0" (Sphinx settings).
PDF_OPTS ?=
pdf: env
	$(BIN)/python book/_ext/book_pdf.py --all $(PDF_OPTS)

# Regenerate every committed results file in book/data/ (hours on 2 cores; see README.md).
# The list is the registry, rnnlib/experiments/__init__.py (EXPERIMENTS).
experiments: env
	for e in $$($(BIN)/python -m rnnlib.experiments --list); do $(BIN)/python -m rnnlib.experiments $$e || exit 1; done

# The timing benchmark (not part of pytest: its ratios go into README.md).
bench: env
	$(BIN)/python -m rnnlib.bench

clean:
	rm -rf _build
