"""hubctl's import graph holds to the layer rules of docs/architecture.md.

The graph is built from the source with ast: every `import` and `from ... import`, also those inside
functions (deferred imports still tie modules together), except under `if TYPE_CHECKING:`. An edge goes to
the module a statement names (`from hubctl.x import y` reaches `hubctl.x.y` when that is a module), not to
the parent packages Python also runs.

The rules (folder = layer; LAYERS says what each may import):
- every hubctl module belongs to exactly one layer, and imports only hubctl modules of the layers it may;
- pygit2 is imported only by the git adapter, `hubctl/adapters/git/`;
- rich is imported only by the CLI, `hubctl/cli/` (its console and tables print);
- no import cycles between modules, not even through deferred imports.
A rule broken for a stated reason is listed below with it; the lists can only shrink: a new violation fails,
and so does a listed one that is gone (delete its line), so they always say exactly where the code stands.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "hubctl"

LAYERS = {  # layer (a package) -> the layers its modules may import (each layer may import itself)
    "hubctl": ("hubctl.cli", "hubctl.usecases", "hubctl.base"),  # the lazy Python API and `python -m hubctl`
    "hubctl.cli": ("hubctl.usecases", "hubctl.spec", "hubctl.emulator", "hubctl.adapters", "hubctl.engines",
                   "hubctl.base"),
    "hubctl.usecases": ("hubctl.spec", "hubctl.adapters", "hubctl.engines", "hubctl.base"),
    "hubctl.emulator": ("hubctl.adapters", "hubctl.engines", "hubctl.base"),
    "hubctl.spec": ("hubctl.adapters", "hubctl.engines", "hubctl.base"),
    "hubctl.adapters": ("hubctl.base",),
    "hubctl.engines.appset": ("hubctl.base",),  # each engine stands alone on the base
    "hubctl.engines.yaml": ("hubctl.base",),
    "hubctl.engines": ("hubctl.base",),
    "hubctl.base": (),
}
LAYER_OUTSIDE: dict[str, str] = {}  # "module -> imported module": the reason it may, for now
PYGIT2_ALLOWED = ("hubctl.adapters.git",)
PYGIT2_OUTSIDE: dict[str, str] = {}  # "pygit2 outside the git adapter: one adapter, one vocabulary"
RICH_ALLOWED = ("hubctl.cli",)
RICH_OUTSIDE: dict[str, str] = {}
CYCLES: dict[frozenset[str], str] = {}  # each a strongly connected component of the module graph


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
    assert "hubctl.adapters.git.commit" in importers_of("pygit2")  # it imports pygit2 inside functions only


def layer_of(module: str) -> str:
    """The layer `module` belongs to: the longest LAYERS key it is or lies under."""
    return max((layer for layer in LAYERS if module == layer or module.startswith(layer + ".")), key=len)


def layer_breaks() -> set[str]:
    """Every edge "module -> imported module" that goes to a layer the module's layer may not import."""
    breaks = set()
    for module, targets in GRAPH.items():
        layer = layer_of(module)
        allowed = (layer, *LAYERS[layer])
        for target in targets:
            if not any(layer_of(target) == a or layer_of(target).startswith(a + ".") for a in allowed):
                breaks.add(f"{module} -> {target}")
    return breaks


def test_every_module_lies_in_a_layer_package_with_its_rules_in_the_docstring():
    assert not [m for m in MODULES if m.count(".") == 1 and m not in LAYERS and m != "hubctl.__main__"], \
        "a module at the top level of hubctl/: put it in the layer package it belongs to"
    for layer in LAYERS:
        if layer != "hubctl":
            doc = ast.get_docstring(ast.parse(MODULES[layer].read_text())) or ""
            assert "may import" in doc.lower(), f"{layer}/__init__.py must say its role and what it may import"


def test_each_layer_imports_only_the_layers_below_it():
    problems = ratchet(layer_breaks(), LAYER_OUTSIDE,
                       "crosses the layers (LAYERS, docs/architecture.md): move the code to the layer it belongs in")
    assert not problems, "\n".join(problems)


def test_the_layer_check_sees_an_upward_import():
    assert layer_of("hubctl.engines.appset.gotmpl.lexer") == "hubctl.engines.appset"
    assert layer_of("hubctl.spec.model") == "hubctl.spec" and layer_of("hubctl") == "hubctl"
    GRAPH["hubctl.base.errors"].add("hubctl.spec.model")
    try:
        assert "hubctl.base.errors -> hubctl.spec.model" in layer_breaks()
    finally:
        GRAPH["hubctl.base.errors"].discard("hubctl.spec.model")


def test_pygit2_only_in_the_git_adapter():
    problems = ratchet(outside(importers_of("pygit2"), PYGIT2_ALLOWED), PYGIT2_OUTSIDE,
                       "imports pygit2: go through hubctl.adapters.git (the git adapter) instead")
    assert not problems, "\n".join(problems)


def test_rich_only_in_the_cli():
    problems = ratchet(outside(importers_of("rich"), RICH_ALLOWED), RICH_OUTSIDE,
                       "imports rich: print through hubctl.cli.console, build views in hubctl.cli")
    assert not problems, "\n".join(problems)


def test_no_new_import_cycles():
    problems = ratchet(cycles(GRAPH), CYCLES, "import each other (a cycle): move what both need below them")
    assert not problems, "\n".join(problems)


def test_the_cycle_finder_finds_cycles_and_only_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"d"}}
    assert cycles(graph) == {frozenset("abc"), frozenset("e")}
