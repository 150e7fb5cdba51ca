# The two commands of the README:
#   make book   builds the website (creates .venv if missing) and prints where index.html is
#   make test   runs every test: pytest tests/, the book build with -W, and nbval over every notebook
#   make pdf    the PDF editions in _build/pdf/ (and a copy in the website, which the intro page links)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
JB := $(BIN)/jupyter-book build . -W -n --keep-going

.PHONY: book test env pytest nbval clean experiments bench pdf

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

book: env
	$(JB)
	@echo
	@echo "The book is at: file://$(CURDIR)/_build/html/index.html"

pytest: env
	$(BIN)/python -m pytest tests/

nbval: env
	$(BIN)/python -m pytest --nbval-lax book/

test: env
	$(JB)
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
