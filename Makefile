# The two Quickstart commands: `make demo` (the main job on examples/fleet) and `make test`.
# Both set up .venv on first use; nothing needs installing by hand beyond python3, git and make.
# With CI=true (as .ci/run runs it, as root on Debian), `make test` first installs OpenSSH's sshd for the ssh
# push tests, and Go with the Debian-packaged Sprig sources for the Go oracle (tests/oracle); elsewhere those
# tests skip and say why (tests/support/install-sshd.sh, tests/support/install-go.sh); likewise zsh and fish
# for the completion tests (tests/support/install-shells.sh). The three share tests/support/apt.sh.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest-xdist, one worker per CPU, each handed one test at a time as it frees up (--maxschedchunk 1), the
# `slow` tests first (tests/conftest.py), so no long test is left to run alone at the end.
# `make test PYTEST_OPTIONS=` runs the suite in one process (docs/performance.md, "Test suite").
PYTEST_OPTIONS ?= -n auto --dist load --maxschedchunk 1

.PHONY: demo test lint bench clean-venv

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/python examples/demo.py

test: $(STAMP)
	@sh tests/support/install-sshd.sh
	@sh tests/support/install-go.sh
	@sh tests/support/install-shells.sh
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_OPTIONS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check hubctl tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean-venv:
	rm -rf $(VENV)
