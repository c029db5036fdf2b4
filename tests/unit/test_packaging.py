"""The pillars install under `noetic.` only; nothing generic lands at the top level."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import noetic.agents
import noetic.graphs
import noetic.memory
import noetic.policies

ROOT = Path(__file__).resolve().parents[2]


def test_pillars_are_subpackages_of_noetic() -> None:
    for package, folder in [
        (noetic.agents, "agents"),
        (noetic.graphs, "graphs"),
        (noetic.memory, "memory"),
        (noetic.policies, "policies"),
    ]:
        assert Path(package.__file__).parent.name == folder  # type: ignore[arg-type]


def test_no_generic_top_level_modules(tmp_path: Path) -> None:
    code = (
        "import importlib.util, sys\n"
        "names = ['agents', 'graphs', 'memory', 'policies']\n"
        "print([n for n in names if importlib.util.find_spec(n) is not None])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


def test_package_is_typed_and_ships_its_data() -> None:
    root = Path(noetic.__file__).parent
    assert (root / "py.typed").is_file()
    assert sorted(p.name for p in (Path(noetic.agents.__file__).parent / "prompts").glob("*.toml"))
    assert (Path(noetic.policies.__file__).parent / "safe.toml").is_file()


def test_every_package_folder_is_installed() -> None:
    """`packages` is a list kept by hand: a subpackage missing from it (noetic.testing, say)
    works from the source tree and is absent from the wheel."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = pyproject["tool"]["setuptools"]
    found = {
        ".".join([name, *init.parent.relative_to(ROOT / folder).parts])
        for name, folder in setuptools["package-dir"].items()
        for init in (ROOT / folder).rglob("__init__.py")
    }
    assert found == set(setuptools["packages"])
