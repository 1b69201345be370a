"""The layout holds: parts import the core and not each other, no cycle, and lazy imports."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import graph
from graph.lazy import lazy_names
from tests.factories import REPO, WORKDIR

PACKAGE = REPO / "graph"
PARTS = ("extraction", "sparql", "networks", "explorer", "review")
ON_TOP = {"graph", "graph.pipeline", "graph.cli", "graph.__main__"}
HEAVY = ("spacy", "pyshacl", "igraph", "numba", "pyvis", "IPython")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The ``graph`` modules that a module imports anywhere: at the top, in a function, or
    for type checking only."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # `from . import rules` imports the module rules, not the package it is in
            submodules = {f"{target}.{alias.name}" for alias in node.names}
            submodules = {name for name in submodules if is_module(name)}
            found |= submodules or {target}
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {target for target in found if target == "graph" or target.startswith("graph.")}


def is_module(name: str) -> bool:
    path = REPO.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


@pytest.fixture(scope="module")
def import_graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in sorted(PACKAGE.rglob("*.py"))}


def part_of(module: str) -> str | None:
    """The part a module belongs to, or None for the core and what sits on top."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 and pieces[1] in PARTS else None


def test_every_module_is_found_and_imports_resolve(import_graph):
    assert {"graph.annotations", "graph.extraction.draft", "graph.sparql.query"} <= set(
        import_graph
    )
    for module, targets in import_graph.items():
        for target in targets:
            assert target in import_graph, f"{module} imports {target}, which is no module"


def test_the_core_imports_no_part_and_nothing_on_top(import_graph):
    for module, targets in import_graph.items():
        if part_of(module) is None and module not in ON_TOP:
            above = sorted(t for t in targets if part_of(t) is not None or t in ON_TOP)
            assert above == [], f"core module {module} imports {above}"


def test_a_part_imports_the_core_and_itself_only(import_graph):
    for module, targets in import_graph.items():
        part = part_of(module)
        if part is None:
            continue
        others = sorted(t for t in targets if part_of(t) not in (None, part) or t in ON_TOP)
        assert others == [], f"{module} (part {part}) imports {others}"


def test_there_is_no_import_cycle(import_graph):
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(import_graph[module]):
            if state.get(target) == "open":
                cycle = [*path[path.index(target) :], target] if target in path else [target]
                pytest.fail(f"import cycle: {' -> '.join(cycle)}")
            if target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(import_graph):
        if module not in state:
            visit(module, [module])


def test_each_part_says_what_it_owns_and_what_it_may_import():
    for part in PARTS:
        doc = importlib.import_module(f"graph.{part}").__doc__ or ""
        assert "This part owns" in doc and "may import the core" in doc, part


def test_every_module_declares_its_public_names():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("__main__.py",):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        assert "__all__" in names, f"{path.relative_to(REPO)} has no __all__"


@pytest.mark.parametrize("package", ["graph", *(f"graph.{part}" for part in PARTS)])
def test_a_package_s_public_names_all_resolve(package):
    module = importlib.import_module(package)
    homes = module._PUBLIC
    listed = sorted(name for names in homes.values() for name in names.split())
    assert listed == sorted(module.__all__) and len(listed) >= 2
    for home, names in homes.items():
        source = importlib.import_module(home, package)
        for name in names.split():
            assert getattr(module, name) is getattr(source, name), f"{package}.{name}"


def test_the_main_job_is_not_shadowed_by_a_module_of_the_same_name():
    importlib.import_module("graph.rdf")
    importlib.import_module("graph.extraction.evaluation")
    from graph.pipeline import build

    assert graph.build is build
    assert callable(graph.evaluate) and graph.evaluate.__module__ == "graph.extraction.evaluation"


def test_an_unknown_name_is_an_attribute_error_naming_it():
    getattr_, dir_ = lazy_names("graph", {".pipeline": "build"})
    with pytest.raises(AttributeError, match="'graph' has no attribute 'nonsense'"):
        getattr_("nonsense")
    assert "build" in dir_()


@pytest.mark.parametrize(
    "statement",
    [
        "import graph",
        "import graph.cli",
        "import graph.extraction, graph.sparql, graph.networks, graph.explorer",
        "import graph; graph.build; graph.load_graph; graph.to_networkx",
        "import graph; graph.show; graph.explorer.InlinePage",
    ],
)
def test_importing_loads_no_heavy_library(statement):
    probe = f"{statement}; import sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    answer = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=WORKDIR
    )
    assert answer.stdout.strip() == "[]", statement


def test_apg_help_loads_neither_rdflib_nor_the_store():
    probe = (
        "import sys, contextlib, io\n"
        "from graph.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'networkx', 'yaml', *"
        f"{HEAVY!r}) if m in sys.modules))"
    )
    answer = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=WORKDIR
    )
    assert answer.stdout.strip() == "[]"
