"""Imports run one way, down: a module imports from its own layer or a lower one, never a higher.

Every package is a layer of its own; the kernel's loose modules share one:

    layer        modules
    0 ground     noetic.errors, noetic.record
    1 kernel     noetic (the facade's own names), noetic.printable, noetic.plugins,
                 noetic.settings, noetic.logging, noetic.home, noetic.tasks, noetic.postgres
    2 models     noetic.models.*
    3 memory     noetic.memory.* (vector memory, the accumulator and its forms)
    4 stores     noetic.stores.* (the run store, opening the shared structures)
    5 policies   noetic.policies.*
    6 roles      noetic.agents.* (with the state and runtime context a role is called with)
    7 graphs     noetic.graphs.*
    8 runs       noetic.runs.* (session, driver, stored runs, batch, API, result, progress)
    9 report, 10 perf, 11 testing, 12 evaluation, 13 cli

The pillars are four layers, so policies import no roles or graphs and roles import no graphs.
Every import counts: at module level, inside functions and under TYPE_CHECKING. `from noetic
import X` counts as an import of the module the facade loads X from. The facade itself
(`noetic/__init__.py`) is exempt: it loads its public names lazily, from every layer.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import noetic

ROOT = Path(__file__).resolve().parents[2]
LAYERS: list[tuple[str, list[str]]] = [
    ("ground", ["noetic.errors", "noetic.record"]),
    (
        "kernel",
        [
            "noetic",
            "noetic.printable",
            "noetic.plugins",
            "noetic.settings",
            "noetic.logging",
            "noetic.home",
            "noetic.tasks",
            "noetic.postgres",
        ],
    ),
    ("models", ["noetic.models.*"]),
    ("memory", ["noetic.memory.*"]),
    ("stores", ["noetic.stores.*"]),
    ("policies", ["noetic.policies.*"]),
    ("roles", ["noetic.agents.*"]),
    ("graphs", ["noetic.graphs.*"]),
    ("runs", ["noetic.runs.*"]),
    ("report", ["noetic.report.*"]),
    ("perf", ["noetic.perf.*"]),
    ("testing", ["noetic.testing.*"]),
    ("evaluation", ["noetic.evaluation.*"]),
    ("cli", ["noetic.cli.*"]),
]
FACADE = "noetic"


def layer_of(module: str) -> int | None:
    """The layer of `module`: an exact entry, else the longest `package.*` entry above it."""
    best: tuple[int, int] | None = None
    for rank, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            package = entry.removesuffix(".*")
            exact = module == package
            inside = entry.endswith(".*") and module.startswith(package + ".")
            if (exact or inside) and (best is None or len(package) > best[1]):
                best = (rank, len(package))
    return best[0] if best else None


def modules() -> dict[str, Path]:
    """Every module of the distribution by import name, through pyproject's package-dir."""
    with (ROOT / "pyproject.toml").open("rb") as fh:
        package_dir: dict[str, str] = tomllib.load(fh)["tool"]["setuptools"]["package-dir"]
    found: dict[str, Path] = {}
    for package, folder in package_dir.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            found[".".join([package, *parts]).removesuffix(".__init__")] = path
    return found


def imports(module: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every `noetic` import in the file, wherever it stands."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                yield _target(base, alias.name, known), node.lineno


def _target(base: str, name: str, known: dict[str, Path]) -> str:
    if f"{base}.{name}" in known:
        return f"{base}.{name}"
    if base == FACADE:
        return noetic._EXPORTS.get(name, FACADE)
    return base


def test_every_module_has_a_layer() -> None:
    unplaced = [name for name in modules() if layer_of(name) is None]
    assert not unplaced, f"place these in LAYERS: {unplaced}"


def test_imports_run_down_the_layers() -> None:
    known = modules()
    upward = []
    for module, path in known.items():
        mine = layer_of(module)
        if module == FACADE or mine is None:
            continue
        for target, line in imports(module, path, known):
            theirs = layer_of(target) if target.startswith(FACADE) else None
            if theirs is not None and theirs > mine:
                upward.append(
                    f"{path.relative_to(ROOT)}:{line}: {module} ({LAYERS[mine][0]}) imports "
                    f"{target} ({LAYERS[theirs][0]})"
                )
    assert not upward, "imports up the layers:\n" + "\n".join(upward)


def test_the_check_sees_every_kind_of_import(tmp_path: Path) -> None:
    """Imports in functions, under TYPE_CHECKING and relative ones count; the facade's names
    resolve to the modules behind them."""
    path = tmp_path / "demo.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from noetic.graphs import build_graph\n"
        "def f():\n"
        "    from noetic import deliberate, __version__\n"
        "    from . import factory\n"
        "    from .base import Usage\n",
        encoding="utf-8",
    )
    known = {"noetic.models.factory": path, "noetic.models.demo": path}
    found = [target for target, _ in imports("noetic.models.demo", path, known)]
    assert found == [
        "typing",
        "noetic.graphs",
        "noetic.runs.api",
        "noetic",
        "noetic.models.factory",
        "noetic.models.base",
    ]
    assert [layer_of(t) for t in found[1:]] == [7, 8, 1, 2, 2]
    assert layer_of("noetic.nowhere") is None
