# The two commands of the README:
#   make book   builds the website (creates .venv if missing) and prints where index.html is
#   make test   runs every test: pytest tests/, the book build with -W, and nbval over every notebook
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
JB := $(BIN)/jupyter-book build . -W -n --keep-going

.PHONY: book test env pytest nbval clean experiments bench

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

# Regenerate every committed results file in book/data/ (hours on 2 cores; see README.md).
# The list is the registry, rnnlib/experiments/__init__.py (EXPERIMENTS).
experiments: env
	for e in $$($(BIN)/python -m rnnlib.experiments --list); do $(BIN)/python -m rnnlib.experiments $$e || exit 1; done

# The timing benchmark (not part of pytest: its ratios go into README.md).
bench: env
	$(BIN)/python -m rnnlib.bench

clean:
	rm -rf _build
