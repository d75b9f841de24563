# Two commands on a fresh machine: `make demo` (the engine via the CLI, no bench) and `make test`.
# Both create their own virtualenv in .venv with everything they need.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test test-engine test-engine-other-pythons test-engine-holidays-0.86 test-bench lint benchmark clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/support-contracts demo

test: lint test-engine test-engine-other-pythons test-engine-holidays-0.86 test-bench

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-engine: $(VENV)/.installed
	$(PY) -m pytest tests

# The engine tests again on every other Python from 3.10 to 3.13 this machine has (Frappe 15 benches run
# 3.10–3.12), each in its own virtualenv; the line it prints says which ran and which are not here.
# (a pyenv shim that is not active counts as not here; pyenv's own versions are found directly)
OTHER_PYTHONS := $(shell main=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	for v in 3.10 3.11 3.12 3.13; do [ "$$v" = "$$main" ] && continue; \
		for py in python$$v $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$$v*/bin/python$$v; do \
			$$py -c 'pass' >/dev/null 2>&1 && { echo $$(command -v $$py || echo $$py); break; }; \
		done; done)
test-engine-other-pythons:
	@echo "engine tests on other Pythons: $(or $(OTHER_PYTHONS),none here besides $(PYTHON))"
	@for py in $(OTHER_PYTHONS); do \
		v=$$($$py -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
		[ -f .venv-py$$v/.installed ] || { $$py -m venv .venv-py$$v && \
			.venv-py$$v/bin/python -m pip install --quiet -e ".[test]" && touch .venv-py$$v/.installed; } || exit 1; \
		echo "== engine tests on Python $$v"; .venv-py$$v/bin/python -m pytest -q tests || exit 1; \
	done

# The same engine tests on holidays 0.86, the version a Frappe 15 bench holds (python-dateutil~=2.8.2).
VENV086 := .venv-holidays-0.86
$(VENV086)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV086)
	$(VENV086)/bin/python -m pip install --quiet --upgrade pip
	$(VENV086)/bin/python -m pip install --quiet "holidays==0.86" "python-dateutil~=2.8.2" PyYAML pytest hypothesis
	$(VENV086)/bin/python -m pip install --quiet --no-deps -e .
	touch $@

test-engine-holidays-0.86: $(VENV086)/.installed
	$(VENV086)/bin/python -m pytest tests

# Integration tests inside a real Frappe bench; skipped, with the reason printed, when there is none.
# SUPPORT_CONTRACTS_BENCH (default ~/frappe-bench) and SUPPORT_CONTRACTS_SITE (default: the bench's
# default site) say where.
# Run on the same site twice in a row (nothing a run leaves behind may fail the next), then once more after
# the site has been given data as a firm's copy holds it (demo firms, overdue open Issues); then on a site
# with Frappe Helpdesk (SUPPORT_CONTRACTS_HELPDESK_SITE, default helpdesk.local), where there is one.
test-bench:
	scripts/test-bench
	scripts/test-bench
	scripts/test-bench --with-data
	scripts/test-bench-helpdesk

benchmark: $(VENV)/.installed
	$(PY) -m support_contracts.benchmarks.engine_deadlines
	$(PY) -m support_contracts.benchmarks.engine_rating

clean:
	rm -rf $(VENV) $(VENV086) .venv-py3.* .pytest_cache .hypothesis .ruff_cache
