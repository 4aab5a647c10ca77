# Cocoon'Age — `make run` starts everything, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lock run lint format test test-unit test-integration test-postgres test-e2e test-browser test-proof test-fuzz bench migrate install check-broker check-test-prerequisites compose-check secrets clean messages

# The Procfile's processes, as honcho would run them, except that a crashed one is said in one
# line and started again (3 times within 5 minutes at most): shared/supervisor.py. Once the venue
# answers, the demo data are loaded (shared/demo.py, idempotent); COCOON_DEMO=0 starts empty.
# COCOON_PROCESSES=one runs Procfile.one instead: every nameko service in one process, for a
# small venue (docs/hosting.md, "What a venue costs"); split, one process per service, is the default.
# Without COCOON_SMTP_HOST, a local SMTP catcher keeps every email (services/notifications/catcher.py;
# staff read them at /equipe/emails-de-developpement): nothing leaves the machine.
CATCHER = $(if $(COCOON_SMTP_HOST),,--once "mailcatcher=python -m services.notifications.catcher")
run: install check-broker migrate
	@$(BIN)/python -m shared.dev env var/dev.env
	@echo "Cocoon'Age : http://127.0.0.1:8000  (Ctrl+C pour arrêter)"
	$(BIN)/python -m shared.dev run -e var/dev.env --once "demo=python -m shared.demo" $(CATCHER)

# ruff (configured in pyproject.toml): lint, and check the formatting without changing a file.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The pages' message catalogue (services/gateway/catalogue.py): every `_()` sentence, then compiled.
messages: install
	$(BIN)/python -m services.gateway.catalogue

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# pytest exits 5 when it collected no test: that must fail, never pass silently.
PYTEST = $(BIN)/pytest $(1); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest ran no test in $(1)" >&2; exit 1; fi; exit $$rc

# What the tests need running (RabbitMQ, its management API, PostgreSQL) is checked first: one
# line per missing piece with the command that fixes it. The unit tests need none of it.
# The browser tests run after, in their own plain pytest process (see test-browser). The
# proofs (marker `proof`, minutes long) run in `make test-proof`, not here.
test: install
	@$(BIN)/python -m shared.dev check-test-prerequisites
	@$(call PYTEST,tests -m 'not proof')
	@$(call PYTEST,tests/browser --confcutdir=tests/browser)

test-unit: install
	@$(call PYTEST,tests/unit)

test-integration: install
	@$(BIN)/python -m shared.dev check-test-prerequisites
	@$(call PYTEST,tests/integration)

# The integration tier again, with every component on PostgreSQL instead of SQLite files: each test
# gets a database per component on the server of COCOON_TEST_POSTGRES_URL, copied from a template
# migrated once per session, dropped after it (tests/postgres_per_test.py). CI runs it after `make test`.
test-postgres: export COCOON_TEST_DATABASE = postgresql
test-postgres: install
	@$(BIN)/python -m shared.dev check-test-prerequisites
	@$(call PYTEST,tests/integration)

# A real headless Chromium (Debian's `chromium`: apt-get install -y chromium) driven by Playwright, on
# the processes `make run` starts. --confcutdir keeps tests/conftest.py (eventlet's monkey-patching,
# under which Playwright hangs at shutdown) out of this process. Screenshots: test-artifacts/.
test-browser: install
	@$(BIN)/python -m shared.dev check-test-prerequisites rabbitmq
	@$(call PYTEST,tests/browser --confcutdir=tests/browser)

test-e2e: install
	@$(BIN)/python -m shared.dev check-test-prerequisites rabbitmq
	@$(call PYTEST,tests/e2e)

# The proof suites (docs/operations.md, "What the proof suites show"): tests/reliability starts a
# second RabbitMQ node of its own (Debian's rabbitmq-server, /usr/lib/rabbitmq/bin) and the venue's
# processes on it, then restarts the broker, SIGKILLs services, sends poison messages and ends
# PostgreSQL connections under a steady flow (~7 minutes); tests/security runs after it, with the
# JSON API fuzzed by schemathesis on the running venue (test_openapi_fuzz.py, 1 to 3 minutes; bounded by
# COCOON_FUZZ_EXAMPLES, COCOON_FUZZ_SCENARIOS and COCOON_FUZZ_STEPS).
test-proof: install
	@$(BIN)/python -m shared.dev check-test-prerequisites
	@$(call PYTEST,tests/reliability tests/security)

# The JSON API's fuzz proof alone (tests/security, marker `proof`), quicker while working on the API; CI runs make test-proof.
test-fuzz: install
	@$(BIN)/python -m shared.dev check-test-prerequisites
	@$(call PYTEST,tests/security -m proof)

# `make bench`: the system as `make run` starts it, loaded by wrk (`apt-get install -y wrk`), from a
# baseline commit (a git worktree under var/) and from the working tree, point by point; prints one
# table with both and their ratio, and writes it into docs/performance.md. Not part of `make test`;
# ~20 minutes. BENCH_BASELINE=<ref> (8d2cb3e by default; `none`: the working tree alone); options
# through BENCH_ARGS, e.g. `make bench BENCH_ARGS="--only fees,bookings --seconds 5"`
# (tests/benchmarks/bench.py).
BENCH_BASELINE ?= 8d2cb3e
bench: install check-broker
	@$(BIN)/python -m shared.dev check-test-prerequisites
	$(BIN)/python -m tests.benchmarks.bench --baseline $(BENCH_BASELINE) $(BENCH_ARGS)

install: $(VENV)/.installed

# Every package, direct or not, at the version and with the hashes of requirements/test.lock
# (`make lock` writes it from pyproject.toml's pins): what CI and each laptop install is what was
# tested, and a package changed on the index is refused. The project itself goes in without deps.
$(VENV)/.installed: pyproject.toml requirements/test.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The lock files from pyproject.toml (pip-tools in a throw-away virtualenv, not the project's):
# run it after changing a pin, and commit both files. runtime.lock is the Docker image's.
lock:
	rm -rf /tmp/cocoon-pip-tools && $(PYTHON) -m venv /tmp/cocoon-pip-tools
	/tmp/cocoon-pip-tools/bin/pip install --quiet pip-tools==7.7.0
	for kind in runtime test; do \
	  /tmp/cocoon-pip-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	    --no-emit-index-url --no-emit-find-links $$( [ $$kind = test ] && echo --extra=test ) \
	    --output-file=requirements/$$kind.lock pyproject.toml; \
	done

migrate: install
	$(BIN)/python -m shared.migrate

check-broker: install
	@$(BIN)/python -m shared.dev check-broker

check-test-prerequisites: install
	@$(BIN)/python -m shared.dev check-test-prerequisites

compose-check:
	docker-compose -f docker-compose.yml config --quiet

# docker-compose.prod.yml's .env: every credential drawn at random (never over an existing one),
# and venue.env, the venue's settings, from deploy/venue.env.example when missing. Neither is committed.
secrets:
	python3 deploy/make_secrets.py
	@test -f venue.env || (cp deploy/venue.env.example venue.env && echo "venue.env written: set the venue's settings in it.")

clean:
	rm -rf $(VENV) var .pytest_cache
