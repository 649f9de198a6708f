"""nox sessions: `nox -s tests`, `nox -s lint`, `nox -s bench`."""

import nox

nox.options.sessions = ["tests", "lint"]


@nox.session(python=False)
def tests(session):
    # as `make test` runs it (Makefile, PYTEST_OPTIONS): pytest-xdist, one worker per CPU
    session.run("python", "-m", "pytest", "-q", "-n", "auto", "--dist", "load", "--maxschedchunk", "1",
                *session.posargs)


@nox.session(python=False)
def lint(session):
    session.run("ruff", "check", "hubctl", "tests", "benchmarks", "examples")


@nox.session(python=False)
def bench(session):
    session.run("python", "benchmarks/run.py", *session.posargs)
