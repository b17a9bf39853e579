# Tongban — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export TONGBAN_HOME ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test browser lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

# Debian's chromium and a CJK font for browser tests and screenshots (never downloads a browser build).
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'noto sans cjk'; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "chromium/fonts-noto-cjk missing: install them with apt-get to run browser tests"; fi; fi

run: install
	$(BIN)/tongban demo --host $(HOST) --port $(PORT)

test: install-test browser
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/python -m pytest -q -n 2 --dist loadfile
	@if [ -n "$$TONGBAN_TEST_DATABASE_URL" ]; then \
	  echo "== again on $$(echo $$TONGBAN_TEST_DATABASE_URL | sed 's#//.*@#//#')"; \
	  TONGBAN_DATABASE_URL="$$TONGBAN_TEST_DATABASE_URL" $(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not browser"; \
	fi

lint: install-test
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

bench: install-test
	$(BIN)/python -m bench.submissions

clean:
	rm -rf $(VENV) var .pytest_cache
