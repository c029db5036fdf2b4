"""What a built wheel holds: every package and every data file the code reads.

The editable install used in development reads files straight from the tree, so a subpackage
missing from `packages` or a data file no `package-data` glob names only breaks an installed
wheel (`platitudes.json` was missing that way)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def folder(package: str) -> Path:
    """Where `package` lives in the tree, by `package-dir` (its nearest mapped parent)."""
    mapped = SETUPTOOLS["package-dir"]
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        if head in mapped:
            return ROOT.joinpath(mapped[head], *parts[cut:])
    raise AssertionError(f"{package} has no package-dir")


def test_every_package_in_the_tree_is_listed() -> None:
    listed = set(SETUPTOOLS["packages"])
    found = set()
    for package in listed:
        for init in folder(package).rglob("__init__.py"):
            relative = init.parent.relative_to(folder(package))
            found.add(".".join([package, *relative.parts]))
    assert found == listed


def test_every_data_file_is_package_data() -> None:
    data = SETUPTOOLS["package-data"]
    missing = []
    for package in SETUPTOOLS["packages"]:
        base = folder(package)
        for path in base.rglob("*"):
            relative = path.relative_to(base)
            inside_subpackage = any(
                (base / Path(*relative.parts[: i + 1]) / "__init__.py").exists()
                for i in range(len(relative.parts) - 1)
            )
            if (
                path.is_dir()
                or path.suffix in {".py", ".pyc"}
                or "__pycache__" in relative.parts
                or inside_subpackage
            ):
                continue
            if not any(fnmatch(str(relative), glob) for glob in data.get(package, [])):
                missing.append(f"{package}: {relative}")
    assert not missing, missing
