"""The package layout (README "Layout"): stage packages, no import circle, the CLI on top.

Imports are read from the source (ast), every one of them: at module level, inside
functions (the imports that once hid circles), under ``TYPE_CHECKING``. Importing
``kg.a.b`` also imports its packages ``kg`` and ``kg.a`` first, so those count too.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "kg"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute name an ``ImportFrom`` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _with_packages(name: str) -> set[str]:
    """``kg.a.b`` and the packages importing it imports first (``kg``, ``kg.a``)."""
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}


@lru_cache(maxsize=1)
def import_graph() -> dict[str, frozenset[str]]:
    """Each kg module -> the kg modules it imports, anywhere in its code."""
    modules = _modules()
    graph: dict[str, frozenset[str]] = {}
    for module, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                source = _resolve(module, path, node)
                names = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
            else:
                continue
            for name in names:
                targets |= {n for n in _with_packages(name) if n in modules}
        graph[module] = frozenset(targets - {module} - _with_packages(module))
    return graph


def _circles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan), as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _path_between(graph: dict[str, frozenset[str]], start: str, goal: str) -> list[str]:
    """One import chain start -> ... -> goal (breadth first), for the failure message."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node]):
            if target == goal:
                return paths[node] + [goal]
            if target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    return []


def test_the_import_graph_sees_every_kind_of_import():
    graph = import_graph()
    assert "kg.run.article" in graph["kg.run.parallel"]  # module level
    assert "kg.nlp.pipeline" in graph["kg.run.article"]  # inside a function
    assert "kg.build" in graph["kg.api"]  # under TYPE_CHECKING and inside functions
    assert {"kg.link", "kg.link.kb"} <= graph["kg.extract.entities"]  # a module and the package it is in
    assert "kg.cli.build" in graph["kg.cli.app"]  # 'from kg.cli import build': a module


def test_there_is_no_import_circle_in_kg():
    graph = import_graph()
    circles = _circles(graph)
    chains = [" -> ".join(_path_between(graph, c[0], c[1]) + _path_between(graph, c[1], c[0])[1:]) for c in circles]
    assert circles == [], "import circles:\n" + "\n".join(chains)


def test_a_made_up_circle_is_found():
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}
    assert _circles(graph) == [["a", "b", "c"]]


def test_no_module_outside_the_cli_imports_it():
    outside = {m: sorted(t for t in targets if t == "kg.cli" or t.startswith("kg.cli."))
               for m, targets in import_graph().items() if not (m == "kg.cli" or m.startswith("kg.cli."))}
    assert {m: t for m, t in outside.items() if t} == {}


@pytest.mark.parametrize("module", ["kg.cli.build", "kg.cli.query", "kg.cli.report", "kg.cli.store", "kg.cli.console",
                                    "kg.cli.group"])
def test_no_cli_module_imports_the_app_or_another_command_module(module):
    cli = {t for t in import_graph()[module] if t.startswith("kg.cli.")}
    assert cli <= {"kg.cli.console"}


#: The top of kg/: the public face, the records every stage passes, shared helpers, the build.
TOP_MODULES = {"kg", "kg.api", "kg.records", "kg.errors", "kg.paths", "kg.build"}
#: The packages, in the order the data flows (README "Layout").
PACKAGES = ("ingest", "nlp", "extract", "link", "rdf", "run", "stores", "query", "report", "cli")


def test_kg_holds_only_the_stage_packages_and_the_shared_modules():
    top = {m for m in _modules() if m.count(".") <= 1 and not (PACKAGE / m.split(".")[-1]).is_dir()}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert top == TOP_MODULES
    assert packages == set(PACKAGES)


README = ROOT / "README.md"


def _readme_layout() -> dict[str, set[str]]:
    """The README's layout section: package ('' for the top of kg/) -> the module files it names."""
    block = README.read_text(encoding="utf-8").split("\n## Layout\n", 1)[1].split("```", 2)[1]
    named: dict[str, set[str]] = {}
    where: str | None = None
    for line in block.splitlines():
        words = line.split()
        if not words:
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            where = "" if words[0] == "kg/" else None  # ontology/, queries/, tests/: outside the package
            continue
        if indent == 2 and where is not None:
            where = words[0].rstrip("/") if words[0].endswith("/") else ""
        if where is not None:
            named.setdefault(where, set()).update(re.findall(r"\b\w+\.py\b", line))
    return named


def test_the_readme_layout_names_every_module_and_only_modules_that_exist():
    named = _readme_layout()
    actual: dict[str, set[str]] = {"": {p.name for p in PACKAGE.glob("*.py")}}
    for package in PACKAGES:
        actual[package] = {p.name for p in (PACKAGE / package).glob("*.py")} - {"__init__.py", "__main__.py"}
    assert set(named) >= set(PACKAGES) | {"data", "templates"}
    for package, modules in actual.items():
        assert named.get(package, set()) == modules, f"kg/{package}: README names {sorted(named.get(package, ()))}"
