"""The Go oracle's driver: builds tests/oracle/goref (real Go text/template and Sprig, as Argo CD renders),
runs a batch of cases through it in one process and through hubctl's engine, and compares them.

A case is one template string rendered with one parameter set and goTemplateOptions, as Argo CD's
Render.Replace renders one field of an Application template. The two sides agree on a case when both succeed
with the same output or both fail; the error texts are compared too, but reported apart (`error_agrees`),
since matching Go's wording is a goal "as close as practical" rather than the contract.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

GOREF_SOURCE = Path(__file__).resolve().parent / "goref"
GOPATH = "/usr/share/gocode"
SPRIG_SOURCE = Path(GOPATH, "src/github.com/Masterminds/sprig")
YAML_SOURCE = Path(GOPATH, "src/gopkg.in/yaml.v2")


@dataclass(frozen=True)
class Case:
    """One template field rendered with one parameter set. `cls` names the first function, verb or action
    the case exercises (the mismatch class its disagreements are counted under)."""

    id: int
    template: str
    params: dict = field(default_factory=dict)
    options: tuple = ()
    cls: str = "misc"
    object: object = None  # when set, a JSON object rendered as RenderTemplateParams walks one (template unused)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    text: str  # the output when ok, else the error message


@dataclass(frozen=True)
class Comparison:
    case: Case
    go: Outcome
    hubctl: Outcome

    @property
    def agrees(self) -> bool:
        return self.go.ok == self.hubctl.ok and (not self.go.ok or self.go.text == self.hubctl.text)

    @property
    def error_agrees(self) -> bool:
        return self.go.ok or self.hubctl.ok or _comparable_error(self.go.text) == _comparable_error(self.hubctl.text)


def _comparable_error(text: str) -> str:
    # Argo CD names the template "base"; only the name is set aside here, the rest must match.
    return text.replace("template: base:", "template: :").replace('executing "base"', 'executing ""')


def find_go() -> str | None:
    """The newest Go toolchain here: $GO, Debian's /usr/lib/go-1.N/bin/go, or `go` on PATH."""
    if os.environ.get("GO"):
        return os.environ["GO"]
    versioned = sorted(glob.glob("/usr/lib/go-1.*/bin/go"), key=lambda p: int(re.findall(r"go-1\.(\d+)", p)[0]))
    return versioned[-1] if versioned else shutil.which("go")


def go_missing() -> str | None:
    """Why the oracle cannot be built here, or None when it can."""
    go = find_go()
    if go is None or not os.access(go, os.X_OK):
        where = f" at {go}" if go else ""
        return (f"no Go toolchain{where} (install golang-1.23-go or golang-go; `CI=true make test` as root on "
                "Debian does, through tests/support/install-go.sh)")
    for source, package in ((SPRIG_SOURCE, "golang-github-masterminds-sprig-dev"),
                            (YAML_SOURCE, "golang-gopkg-yaml.v2-dev")):
        if not source.is_dir():
            return f"{source} is missing (install {package}; tests/support/install-go.sh does under CI=true)"
    return None


def build_goref(dest: Path) -> Path:
    """Build the reference renderer into `dest` in GOPATH mode, offline, and return the binary's path.

    Raises:
        RuntimeError: the build failed (with Go's output).
    """
    binary = dest / "goref"
    cache = Path(os.environ.get("HUBCTL_GOCACHE") or Path.home() / ".cache" / "hubctl-goref-gocache")
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": GOPATH, "GOCACHE": str(cache), "GOPROXY": "off",
           "GOFLAGS": "", "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"}
    done = subprocess.run([find_go(), "build", "-o", str(binary), "."], cwd=GOREF_SOURCE, env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"building {GOREF_SOURCE} failed:\n{done.stdout}{done.stderr}")
    return binary


def go_version(binary: Path) -> tuple[int, int]:
    """(major, minor) of the Go the reference renderer was built with."""
    text = subprocess.run([str(binary), "-version"], capture_output=True, text=True, check=True).stdout
    major, minor = re.match(r"go(\d+)\.(\d+)", text.strip()).groups()
    return int(major), int(minor)


def run_go(binary: Path, cases: list[Case]) -> dict[int, Outcome]:
    """Render every case with the reference renderer, in one process."""
    lines = "".join(json.dumps({"id": c.id, "template": c.template, "params": c.params, "object": c.object,
                                "options": list(c.options)}) + "\n" for c in cases)
    done = subprocess.run([str(binary)], input=lines, capture_output=True, text=True, timeout=300, check=True)
    results = {}
    by_id = {c.id: c for c in cases}
    for line in done.stdout.splitlines():
        answer = json.loads(line)
        text = answer.get("output", "") if answer["ok"] else answer["error"]
        if answer["ok"] and by_id[answer["id"]].object is not None:
            text = canonical_json(json.loads(text))
        results[answer["id"]] = Outcome(answer["ok"], text)
    return results


def canonical_json(value) -> str:
    """JSON with sorted keys and every number a float, so Go's 3 and Python's 3.0 compare equal."""
    def floats(v):
        if isinstance(v, dict):
            return {k: floats(x) for k, x in v.items()}
        if isinstance(v, list):
            return [floats(x) for x in v]
        return float(v) if isinstance(v, int) and not isinstance(v, bool) else v
    return json.dumps(floats(value), sort_keys=True, ensure_ascii=False)


def run_hubctl(case: Case) -> Outcome:
    """Render one case with hubctl's engine, as `appset preview` renders a template field."""
    from hubctl.engines.appset.render import RenderFailure, go_replace, render_object
    from hubctl.engines.appset.sprig.convert import from_json_value

    params = from_json_value(json.loads(json.dumps(case.params)))  # as a generator hands them over
    try:
        if case.object is not None:
            rendered = render_object(from_json_value(case.object), params, True, tuple(case.options))
            return Outcome(True, canonical_json(rendered))
        return Outcome(True, go_replace(case.template, params, tuple(case.options)))
    except RenderFailure as exc:
        return Outcome(False, str(exc))
    except RecursionError:
        return Outcome(False, "hubctl: recursion limit")
    except Exception as exc:  # noqa: BLE001 - a crash is an outcome to compare, not a reason to stop the batch
        return Outcome(False, f"hubctl crashed: {type(exc).__name__}: {exc}")


def compare(binary: Path, cases: list[Case]) -> list[Comparison]:
    """Every case through both sides."""
    go = run_go(binary, cases)
    return [Comparison(case, go[case.id], run_hubctl(case)) for case in cases]
