# Concord: `make run` starts everything on embedded defaults; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup run test lint migrate demo messages schema check-deploy clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_holidays --verbosity 0

# Quiet: `make run` prints the logins last, after the noise of installing and migrating.
demo: migrate
	$(BIN)/python manage.py demo_data --verbosity 0

# Web server, two Celery workers and beat together; Ctrl-C stops them all. One worker takes only
# payroll imports, so they never wait behind e-mails or documents; the other takes every queue.
# Solo pools: on the embedded broker a prefork worker acknowledges only between two 2-second
# polls of its loop, so each task waited up to 2 s (bench/queue_latency.py).
run: demo
	@echo "Concord on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"
	@$(BIN)/python manage.py demo_data --logins-only --url http://$(HOST):$(PORT)/
	@trap 'kill 0' INT TERM EXIT; \
	export NOTIFICATIONS_SITE_URL=$${NOTIFICATIONS_SITE_URL:-http://$(HOST):$(PORT)}; \
	$(BIN)/celery -A config worker --loglevel=INFO --pool=solo --queues=imports --hostname=imports@%h & \
	$(BIN)/celery -A config worker --loglevel=INFO --pool=solo --queues=imports,documents,email,periodic \
		--hostname=all@%h & \
	$(BIN)/celery -A config beat --loglevel=INFO & \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT) & \
	wait

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

# The suite runs on its own folder under var/ so a running `make run` is never disturbed.
CONCORD_TEST_DIR ?= $(CURDIR)/var/test
test: lint
	CONCORD_VAR_DIR=$(CONCORD_TEST_DIR) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Rebuild the translation catalogues after changing strings (needs GNU gettext);
# the compiled .mo files are committed so a fresh machine needs no gettext.
messages: setup
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --no-obsolete
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

# The OpenAPI schema as a file, for clients and reviews (it is also served at /api/schema/).
schema: setup
	mkdir -p var
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file var/openapi.yaml
	@echo "wrote var/openapi.yaml"

check-deploy: setup
	CONCORD_ENV=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=concord.example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var/test .pytest_cache
