# Quell: `make run` starts the app, `make test` runs the suite. Both set up .venv first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.quell-installed

.PHONY: run test bench lint venv wheel clean mutation frozen

run: $(STAMP)
	$(VENV)/bin/quell

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) tests/bench/run_all.py

# Mutation testing of desktop/quell/core against tests/core (mutmut): a per-module table, and a failure
# when a module kills under 90 %. `make mutation MODULES="streaks reminders"` re-runs only those.
mutation: $(STAMP)
	nice -n 15 $(PY) tools/mutation.py $(MODULES)

# ruff over the code and tests; mypy --strict over the whole package (pyproject's [tool.mypy]).
lint: $(STAMP)
	$(VENV)/bin/ruff check desktop tests
	$(VENV)/bin/mypy

venv: $(STAMP)

wheel: $(STAMP)
	$(PY) -m pip wheel --no-deps -w dist .

# The PyInstaller onedir, dist/quell/ (what the Windows and macOS bundles are made of), in about
# 20 s; the log is build/frozen.log. tests/app/test_frozen.py smoke-tests it when
# QUELL_FROZEN=dist/quell/quell (.ci/run sets it, and caches the build).
FREEZE_STAMP := $(VENV)/.quell-freeze-installed
frozen: $(FREEZE_STAMP)
	@mkdir -p build
	@echo "PyInstaller: packaging/pyinstaller/quell.spec -> dist/quell/ (log: build/frozen.log)"
	@$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/pyinstaller/quell.spec > build/frozen.log 2>&1 || \
		{ tail -n 40 build/frozen.log; echo "frozen build failed (log: build/frozen.log)"; exit 1; }
	dist/quell/quell --version

$(FREEZE_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,freeze]'
	@touch $@

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "Quell needs Python 3.10 or newer"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
		{ echo "Could not create $(VENV): on Debian/Ubuntu run: sudo apt install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# Bytecode, as a wheel install would have: starts stay fast even where
	@# PYTHONDONTWRITEBYTECODE is set.
	$(PY) -m compileall -q desktop
	@touch $(STAMP)

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache .mypy_cache
