# AMI Lab. `make lab` opens the course, `make test` checks it. Both set up .venv on first use.

PYTHON ?= python3
VENV   ?= .venv
JOBS   ?= 2
PYTEST_ARGS ?=
LAB_ARGS ?=
BENCH_ARGS ?=
HUB_LOAD_ARGS ?=

VENV_PY := $(VENV)/bin/python
# A stamp per install set: pip runs again only when pyproject.toml changes.
LAB_STAMP  := $(VENV)/.installed-lab
TEST_STAMP := $(VENV)/.installed-test
SITE_STAMP := $(VENV)/.installed-site

.PHONY: help lab learner doctor test site bench hub-load lint lock upgrade-check clean distclean

help:
	@echo "make lab        open the course in JupyterLab (the learner edition, in learner/)"
	@echo "make learner    write the learner edition of notebooks/ to learner/ (solutions out)"
	@echo "make doctor     check the installation and say what to fix"
	@echo "make test       run every test and every notebook"
	@echo "make site       build the course website into _build/site/html (runs every lesson)"
	@echo "make bench      time every lesson and the sandbox against their targets (docs/performance.md)"
	@echo "make hub-load   simulated learners on a local JupyterHub: sizing for a class (docs/sizing.md)"
	@echo "make lint       ruff check + ruff format --check + lint-imports (the layers)"
	@echo "make lock       pin every package again, with hashes, after changing pyproject.toml"
	@echo "make upgrade-check  try the newest moto and boto3 in a throwaway environment (may fail)"
	@echo "make clean      remove caches and build output (distclean also removes $(VENV))"

lab: $(LAB_STAMP)
	LAB_PYTHON=$(VENV_PY) bash scripts/lab.sh $(LAB_ARGS)

# learner/ keeps the notebooks a learner changed; `make clean` leaves it alone for that reason.
learner: $(LAB_STAMP)
	$(VENV_PY) -m labkit release notebooks learner

doctor: $(LAB_STAMP)
	$(VENV_PY) -m labkit doctor

test: $(TEST_STAMP)
	$(VENV_PY) -m pytest -n $(JOBS) $(PYTEST_ARGS)

# The course website, offline: every lesson executed into a page (site/build.py says how).
site: $(SITE_STAMP)
	$(VENV_PY) site/build.py

# Not part of `make test`: it takes minutes and measures the machine as much as the course.
bench: $(TEST_STAMP)
	$(VENV_PY) benchmarks/bench.py $(BENCH_ARGS)

# Not part of `make test` either: a few minutes of simulated learners on a JupyterHub on 127.0.0.1.
# Its proxy comes from npm: the one on PATH (CI installs it globally), else a local copy in $(VENV).
CHP_LOCAL := $(VENV)/node/node_modules/.bin
hub-load: $(TEST_STAMP)
	@command -v configurable-http-proxy >/dev/null || [ -x $(CHP_LOCAL)/configurable-http-proxy ] \
		|| npm install --silent --prefix $(VENV)/node configurable-http-proxy@$$(node -p \
			'process.versions.node.split(".")[0] >= 20 ? 5 : 4') \
		|| { echo "make hub-load needs npm (Debian: apt-get install nodejs npm)"; exit 1; }
	PATH="$$PATH:$(abspath $(CHP_LOCAL))" $(VENV_PY) benchmarks/hub_load.py $(HUB_LOAD_ARGS)

lint: $(TEST_STAMP)
	$(VENV_PY) -m ruff check .
	$(VENV_PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

$(VENV_PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
		|| { echo "AMI Lab needs Python 3.10 or newer (PYTHON=$(PYTHON) is older)"; exit 1; }
	@echo "Setting up $(VENV) (the first time takes a minute or two)"
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --quiet --upgrade pip

# Every install comes from a lock file (requirements/, written by `make lock`): the same versions,
# checked by their hashes, on every machine, in CI and on Binder. labkit itself goes on after.
LOCKED_INSTALL = $(VENV_PY) -m pip install --quiet --require-hashes --no-deps -r
SELF_INSTALL   = $(VENV_PY) -m pip install --quiet --no-deps -e .

$(LAB_STAMP): pyproject.toml requirements/lab.lock.txt | $(VENV_PY)
	$(LOCKED_INSTALL) requirements/lab.lock.txt
	$(SELF_INSTALL)
	touch $@

$(TEST_STAMP): pyproject.toml requirements/test.lock.txt | $(VENV_PY)
	$(LOCKED_INSTALL) requirements/test.lock.txt
	$(SELF_INSTALL)
	touch $@

$(SITE_STAMP): pyproject.toml requirements/site.lock.txt | $(VENV_PY)
	$(LOCKED_INSTALL) requirements/site.lock.txt
	$(SELF_INSTALL)
	touch $@

# After changing pyproject.toml's dependencies: resolve again and rewrite the locks and the
# environment files (needs the package index; installs uv into .venv).
lock: | $(VENV_PY)
	$(VENV_PY) scripts/lock.py

# Not part of `make test`: a throwaway environment with the newest moto and boto3, where the
# fidelity tests show what an upgrade would break. It may fail; that is its point.
upgrade-check: | $(VENV_PY)
	$(VENV_PY) scripts/upgrade_check.py

clean:
	rm -rf build dist _build *.egg-info .pytest_cache .ruff_cache tests/screenshots
	find . -path ./$(VENV) -prune -o \
		\( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -print0 | xargs -0 rm -rf

distclean: clean
	rm -rf $(VENV)
