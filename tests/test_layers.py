"""The package's imports flow one way, bottom to top, and form no cycle: module-level and function-level
imports alike (a function-level import is an import all the same; it only runs later)."""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "spinlens"

# Bottom to top. A module may import from its own group and the groups below; groups that share a layer
# are independent of each other (no sideways imports).
LAYERS: list[list[str]] = [
    ["errors", "arrays"],  # one-line errors; array type aliases
    ["sentences", "spans", "activations", "labels", "definitions", "sessions", "models", "cards"],  # text and span utilities, taxonomy and its glossary, ONNX, model files and cards
    ["types"],
    ["formats", "ingest"],
    ["evaluate"],
    ["techniques", "attribution"],
    ["training"],
    ["loaders"],
    ["pipeline"],
    ["render", "store"],
    ["batch", "server", "spacy_component"],
    ["cli"],
    ["__main__"],
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in SOURCE.rglob("*.py")}


def imports(name: str, path: Path, known: set[str]) -> set[tuple[str, int]]:
    """(imported spinlens module, line) for every import in the file, at any depth."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # "from . import ingest" imports a module; "from .types import Article" a name in one
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # spinlens.x.y.Name -> the module that holds it
                target = target.rpartition(".")[0]
            if target.startswith("spinlens") and target != name:
                found.add((target, node.lineno))
    return found


def group(name: str) -> tuple[int, str] | None:
    top = name.split(".")[1] if "." in name else None
    for level, names in enumerate(LAYERS):
        if top in names:
            return level, top
    return None


def graph() -> dict[str, set[tuple[str, int]]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def test_every_module_has_a_layer():
    assert [name for name in modules() if name != "spinlens" and group(name) is None] == []


def test_imports_flow_one_way():
    wrong = []
    for name, targets in graph().items():
        if name == "spinlens":  # the public API at the top may name anything
            continue
        level, top = group(name)
        for target, line in targets:
            if target == "spinlens":
                continue  # the package root: __version__
            their_level, their_top = group(target)
            if their_level > level or (their_level == level and their_top != top):
                wrong.append(f"{name}:{line} imports {target}")
    assert sorted(wrong) == []


def test_no_import_cycle():
    edges = {name: {target for target, _ in targets} for name, targets in graph().items()}
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    assert cycles == []


@pytest.mark.parametrize("source, expected", [
    ("from .types import Article\n", {"spinlens.types"}),
    ("from . import ingest\n", {"spinlens.ingest"}),
    ("def f():\n    from .render.html import render_page\n", {"spinlens.render.html"}),
    ("import spinlens.store.db as db\n", {"spinlens.store.db"}),
])
def test_the_import_reader_sees_each_kind_of_import(tmp_path, source, expected):
    path = tmp_path / "pipeline.py"
    path.write_text(source, encoding="utf-8")
    assert {target for target, _ in imports("spinlens.pipeline", path, set(modules()))} == expected
