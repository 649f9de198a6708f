"""hubctl's import graph holds to the rules of docs/architecture.md, as a ratchet.

The graph is built from the source with ast: every `import` and `from ... import`, also those inside
functions (deferred imports still tie modules together), except under `if TYPE_CHECKING:`. An edge goes to
the module a statement names (`from hubctl.x import y` reaches `hubctl.x.y` when that is a module), not to
the parent packages Python also runs.

Rules that hold today, except for the violations listed below, each with the item of issue #16 that is to
remove it:
- pygit2 is imported only by the git adapter, `hubctl/adapters/git/`;
- rich is imported only by the CLI (`hubctl/cli/`) and `hubctl/cli/console.py`;
- the ApplicationSet engine (`hubctl/engines/appset/`) imports nothing of hubctl but itself and the base
  (`hubctl/base/`,
  `errors`, `constants`): it answers what Argo CD would generate, whatever hubctl's specs say;
- the base imports only the base: every layer may use it;
- no import cycles between modules.
The lists can only shrink: a new violation fails, and so does a listed one that is gone (delete its line),
so they always say exactly where the code stands.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "hubctl"

PYGIT2_ALLOWED = ("hubctl.adapters.git",)
PYGIT2_OUTSIDE = {  # "pygit2 outside the git adapter: one adapter, one vocabulary"
    "hubctl.engines.appset.git": "#16 pygit2 outside the git adapter",
    "hubctl.usecases.commit.run": "#16 pygit2 outside the git adapter",
    "hubctl.usecases.status.published": "#16 pygit2 outside the git adapter (status --wait: what the remote holds)",
    "hubctl.usecases.prune.removals": "#16 pygit2 outside the git adapter (prune: trailers)",
    "hubctl.usecases.review.deployed": "#16 pygit2 outside the git adapter (diff: what a commit deploys)",
    "hubctl.usecases.commit.deploy": "#16 pygit2 outside the git adapter",
    "hubctl.usecases.status.ancestry": "#16 pygit2 outside the git adapter",
    "hubctl.emulator": "#16 pygit2 outside the git adapter (the emulator leaves hub/)",
    "hubctl.emulator.source": "#16 pygit2 outside the git adapter (the emulator leaves hub/)",
    "hubctl.usecases.status.expected": "#16 pygit2 outside the git adapter",
    "hubctl.usecases.commit.prune_hook": "#16 pygit2 outside the git adapter; a cluttered top level",
    "hubctl.usecases.render.confine": "#16 pygit2 outside the git adapter",
    "hubctl.usecases.review.run": "#16 pygit2 outside the git adapter",
    "hubctl.usecases.review.sides": "#16 pygit2 outside the git adapter",
    "hubctl.spec.sources": "#16 pygit2 outside the git adapter",
}
RICH_ALLOWED = ("hubctl.cli", "hubctl.cli.console", "hubctl.cli.table")  # table: the console's fitted tables
RICH_OUTSIDE: dict[str, str] = {}
BASE = ("hubctl.base", "hubctl.base.errors", "hubctl.base.constants")  # what every layer may import
ENGINE_ALLOWED = ("hubctl.engines.appset", *BASE)
ENGINE_OUTSIDE: dict[str, str] = {}  # modules of hubctl/engines/appset/ importing beyond the engine and base
CYCLES = {  # each a strongly connected component of the module graph
    frozenset({"hubctl.cli", "hubctl.cli.appset", "hubctl.cli.cluster", "hubctl.cli.commit", "hubctl.cli.completion",
               "hubctl.cli.diff", "hubctl.cli.flow", "hubctl.cli.globals", "hubctl.cli.hub", "hubctl.cli.init",
               "hubctl.cli.options", "hubctl.cli.prune", "hubctl.cli.render", "hubctl.cli.space", "hubctl.cli.status",
               "hubctl.cli.validate"}):
        "#16 layers: the command modules register on the app that hubctl.cli creates and hubctl.cli imports them",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_names(module: str, path: Path) -> set[str]:
    """Every module name `module` imports anywhere in its body (not under `if TYPE_CHECKING:`)."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
            for alias in node.names:
                names.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return names


def _runtime_nodes(tree: ast.AST):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


IMPORTS = {module: imported_names(module, path) for module, path in MODULES.items()}
GRAPH = {module: {name for name in names if name in MODULES} for module, names in IMPORTS.items()}


def importers_of(library: str) -> set[str]:
    return {module for module, names in IMPORTS.items()
            if any(name == library or name.startswith(library + ".") for name in names)}


def outside(modules: set[str], allowed: tuple[str, ...]) -> set[str]:
    return {m for m in modules if not any(m == a or m.startswith(a + ".") for a in allowed)}


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components with more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(start: str) -> None:  # Tarjan's algorithm, iterative (the graph is deep enough to matter)
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph[node]:
                        found.add(frozenset(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def ratchet(actual: set, allowed: dict, rule: str) -> list[str]:
    problems = [f"new: {_show(item)} {rule}" for item in sorted(actual - set(allowed), key=_show)]
    problems += [f"gone: {_show(item)} no longer breaks the rule ({allowed[item]}): delete it from the list"
                 for item in sorted(set(allowed) - actual, key=_show)]
    return problems


def _show(item) -> str:
    return " <-> ".join(sorted(item)) if isinstance(item, frozenset) else item


def test_the_graph_sees_deferred_imports_and_skips_type_checking_ones():
    source = "import a\nif TYPE_CHECKING:\n    import b\nelse:\n    import c\ndef f():\n    import d\n"
    seen = {alias.name for node in _runtime_nodes(ast.parse(source)) if isinstance(node, ast.Import)
            for alias in node.names}
    assert seen == {"a", "c", "d"}
    assert "hubctl.usecases.status.ancestry" in importers_of("pygit2")  # it imports pygit2 inside a function only


def test_pygit2_only_in_the_git_adapter():
    problems = ratchet(outside(importers_of("pygit2"), PYGIT2_ALLOWED), PYGIT2_OUTSIDE,
                       "imports pygit2: go through hubctl.adapters.git (the git adapter) instead")
    assert not problems, "\n".join(problems)


def test_rich_only_in_the_cli_and_the_console():
    problems = ratchet(outside(importers_of("rich"), RICH_ALLOWED), RICH_OUTSIDE,
                       "imports rich: print through hubctl.cli.console, build views in hubctl.cli")
    assert not problems, "\n".join(problems)


def hubctl_imports(package: str, allowed: tuple[str, ...]) -> set[str]:
    """The modules of `package` that import a hubctl module outside `allowed`."""
    return {module for module in MODULES if module == package or module.startswith(package + ".")
            if outside(GRAPH[module], allowed)}


def test_the_appset_engine_depends_on_nothing_of_hubctls_specs():
    problems = ratchet(hubctl_imports("hubctl.engines.appset", ENGINE_ALLOWED), ENGINE_OUTSIDE,
                       "imports hubctl beyond the ApplicationSet engine and the base (hubctl.base, errors, constants)")
    assert not problems, "\n".join(problems)


def test_the_base_imports_only_the_base():
    leaks = {module: sorted(outside(GRAPH[module], BASE)) for module in MODULES
             if module in BASE or module.startswith("hubctl.base.")}
    assert not {module: names for module, names in leaks.items() if names}


def test_no_new_import_cycles():
    problems = ratchet(cycles(GRAPH), CYCLES, "import each other (a cycle): move what both need below them")
    assert not problems, "\n".join(problems)


def test_the_cycle_finder_finds_cycles_and_only_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"d"}}
    assert cycles(graph) == {frozenset("abc"), frozenset("e")}
