# Cocoon'Age — `make run` starts everything, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: run test test-unit test-integration test-e2e migrate install check-broker compose-check clean

run: install check-broker migrate
	@$(BIN)/python -m shared.dev env var/dev.env
	@echo "Cocoon'Age : http://127.0.0.1:8000  (Ctrl+C pour arrêter)"
	$(BIN)/honcho start -f Procfile -e var/dev.env

# pytest exits 5 when it collected no test: that must fail, never pass silently.
PYTEST = $(BIN)/pytest $(1); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest ran no test in $(1)" >&2; exit 1; fi; exit $$rc

test: install
	@$(call PYTEST,tests)

test-unit: install
	@$(call PYTEST,tests/unit)

test-integration: install
	@$(call PYTEST,tests/integration)

test-e2e: install
	@$(call PYTEST,tests/e2e)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

migrate: install
	$(BIN)/python -m shared.migrate

check-broker: install
	@$(BIN)/python -m shared.dev check-broker

compose-check:
	docker-compose -f docker-compose.yml config --quiet

clean:
	rm -rf $(VENV) var .pytest_cache
