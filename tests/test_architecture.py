"""The package's architecture, checked from its source: layers, no cycles, no private reach.

The import graph of ``src/rubric`` is built with ``ast``: every ``import`` and ``from ...
import`` at any depth (function-level lazy imports and ``TYPE_CHECKING`` blocks too),
relative imports resolved, ``from . import x`` counted as an import of the submodule
``x`` when there is one, and a package's ``__init__`` as a module of its own. The layers
are docs/architecture.md's, bottom to top; a module may import its own layer or lower.
"""

from __future__ import annotations

import ast
import fnmatch
import itertools
from pathlib import Path
from typing import NamedTuple

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "rubric"

# Bottom to top. "x.*" is the package x (its __init__) and every module under it;
# "rubric" is the package's own __init__ (the public API).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("rubric.errors", "rubric.version", "rubric.i18n.*", "rubric.collector"),
    ("rubric.units", "rubric.numbers", "rubric.dates"),
    ("rubric.states", "rubric.facts", "rubric.formula_units", "rubric.expressions",
     "rubric.policy", "rubric.text", "rubric.constraints"),
    ("rubric.trace", "rubric.rules.*", "rubric.vetoes", "rubric.precompiled", "rubric.metadata"),
    ("rubric.tree",),
    ("rubric.engine.*",),
    ("rubric.io.*",),
    ("rubric.batch_parquet",
     "rubric.verify.*", "rubric.testing", "rubric.audit.*", "rubric.batch", "rubric.dataframe",
     "rubric.whatif.*", "rubric.diff.*", "rubric.monitor", "rubric.criteria.*",
     "rubric.columnar", "rubric.column_ranges", "rubric.dask", "rubric.batch_csv",
     "rubric.batch_ranges",
     "rubric.present.*", "rubric.selfeval.*"),
    ("rubric.cli.*", "rubric.service.*", "rubric.__main__"),
    ("rubric",),
)

MAX_LINES = 600


class Import(NamedTuple):
    importer: str
    imported: str
    line: int
    names: tuple[str, ...]  # the names a ``from`` import takes from ``imported``

    @property
    def where(self) -> str:
        return f"{path_of(self.importer)}:{self.line}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def path_of(module: str) -> str:
    return str(MODULES[module].relative_to(SRC.parent))


def is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def resolve(importer: str, level: int, target: str | None) -> str:
    """The absolute module name a (possibly relative) import names."""
    if level == 0:
        return target or ""
    base = importer.split(".")
    if not is_package(importer):
        base.pop()  # a module's relative imports start from its package
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, *([target] if target else [])])


def known(name: str) -> str | None:
    """The rubric module ``name`` is, or lies in (``rubric.x.y`` of ``import rubric.x.y``)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> list[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = known(alias.name)
                if target is not None:
                    found.append(Import(module, target, node.lineno, ()))
        elif isinstance(node, ast.ImportFrom):
            base = resolve(module, node.level, node.module)
            names: list[str] = []
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in MODULES:  # from . import located_yaml: the submodule
                    found.append(Import(module, sub, node.lineno, ()))
                else:
                    names.append(alias.name)
            target = known(base)
            if names and target is not None:
                found.append(Import(module, target, node.lineno, tuple(names)))
    return [i for i in found if i.imported != module]


IMPORTS: list[Import] = [i for m in MODULES for i in imports_of(m)]


def layer_of(module: str) -> int | None:
    for index, patterns in enumerate(LAYERS):
        for pattern in patterns:
            if module == pattern.removesuffix(".*") or (
                    pattern.endswith(".*") and fnmatch.fnmatchcase(module, pattern)):
                return index
    return None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected component that has one (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in sorted(edges):
        if v not in index:
            visit(v)
    out = []
    for component in components:  # a shortest path back to the start, within the component
        start = min(component)
        paths = {start: [start]}
        frontier = [start]
        cycle = None
        while frontier and cycle is None:
            nxt = []
            for v in frontier:
                for w in sorted(edges.get(v, ())):
                    if w == start:
                        cycle = [*paths[v], start]
                        break
                    if w in component and w not in paths:
                        paths[w] = [*paths[v], w]
                        nxt.append(w)
                if cycle:
                    break
            frontier = nxt
        out.append(cycle or sorted(component))
    return out


def test_the_graph_sees_the_package() -> None:
    assert {"rubric", "rubric.tree", "rubric.engine.evaluation", "rubric.cli"} <= set(MODULES)
    # relative, lazy and submodule imports are all edges
    edges = {(i.importer, i.imported) for i in IMPORTS}
    assert ("rubric.engine.evaluation", "rubric.tree") in edges
    assert ("rubric.io.loader", "rubric.io.located_yaml") in edges  # from . import located_yaml


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in MODULES if layer_of(m) is None]
    assert not unplaced, ("modules in no layer (add them to LAYERS here and to "
                          f"docs/architecture.md): {unplaced}")


def test_the_import_graph_is_acyclic() -> None:
    edges: dict[str, set[str]] = {}
    for i in IMPORTS:
        edges.setdefault(i.importer, set()).add(i.imported)
    found = cycles(edges)
    lines = []
    for cycle in found:
        steps = []
        for a, b in itertools.pairwise(cycle):
            at = next((i.where for i in IMPORTS if i.importer == a and i.imported == b), "?")
            steps.append(f"{a} -> {b} ({at})")
        lines.append("; ".join(steps))
    assert not found, "import cycles:\n  " + "\n  ".join(lines)


def test_lower_layers_never_import_higher_ones() -> None:
    wrong = []
    for i in IMPORTS:
        low, high = layer_of(i.importer), layer_of(i.imported)
        if low is not None and high is not None and high > low:
            wrong.append(f"{i.where}: {i.importer} (layer {low}) imports {i.imported} "
                         f"(layer {high})" + (f": {', '.join(i.names)}" if i.names else ""))
    assert not wrong, "imports against the layers:\n  " + "\n  ".join(wrong)


def test_no_module_imports_a_private_name_of_another() -> None:
    wrong = [f"{i.where}: {i.importer} imports {name} from {i.imported}"
             for i in IMPORTS for name in i.names
             if name.startswith("_") and not (name.startswith("__") and name.endswith("__"))]
    wrong += [f"{i.where}: {i.importer} imports the private module {i.imported}"
              for i in IMPORTS if any(p.startswith("_") and not p.startswith("__")
                                      for p in i.imported.split("."))]
    assert not wrong, ("private names used outside their module (give them a public name "
                       "in their home module):\n  " + "\n  ".join(wrong))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_says_what_it_is(module: str) -> None:
    doc = ast.get_docstring(ast.parse(MODULES[module].read_text(encoding="utf-8")))
    assert doc and doc.splitlines()[0].strip(), f"{path_of(module)} has no docstring line"


def test_no_module_exceeds_the_line_limit() -> None:
    """Every module at most MAX_LINES lines: the failure lists every offender."""
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}
    over = sorted(((n, m) for m, n in sizes.items() if n > MAX_LINES), reverse=True)
    assert not over, (f"modules over {MAX_LINES} lines (split them by concept):\n  "
                      + "\n  ".join(f"{path_of(m)}: {n}" for n, m in over))
