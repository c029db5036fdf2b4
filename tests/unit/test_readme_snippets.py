"""Every ```python block in README.md runs, on the scripted model and a hashing embedder.

Blocks under one `## ` section run in order in one namespace (a later block may use what an
earlier one defined); each block is its own test, named by its README line. The pytest tests a
block defines (`def test_...(tmp_path)`) are called too, as pytest would call them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import noetic.models.factory
import noetic.stores.shared
from noetic.testing import HashingEmbedder, RoleScript

README = Path(__file__).resolve().parents[2] / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


class Block(NamedTuple):
    section: str
    line: int
    source: str


def python_blocks(markdown: str) -> list[Block]:
    """The python blocks, each with its `## ` section and the line its code starts on."""
    blocks = []
    for fence in FENCE.finditer(markdown):
        if fence.group(1) != "python":
            continue
        before = markdown[: fence.start()]
        sections = re.findall(r"^## (.+)$", before, re.MULTILINE)
        line = before.count("\n") + 2
        blocks.append(Block(sections[-1] if sections else "", line, fence.group(2)))
    return blocks


def replace_everywhere(
    monkeypatch: pytest.MonkeyPatch, original: Callable[..., Any], fake: Any
) -> None:
    """Point every loaded noetic module's reference to `original` at `fake` (modules that did
    `from ... import original` hold their own reference)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("noetic") and getattr(module, original.__name__, None) is original:
            monkeypatch.setattr(module, original.__name__, fake)


def use_scripted_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every model the settings would load is a scripted one; every embedder a hashing one."""
    replace_everywhere(
        monkeypatch,
        noetic.models.factory.load_chat_model,
        lambda settings, seed=0: RoleScript().model(),
    )
    replace_everywhere(
        monkeypatch, noetic.models.factory.load_embedder, lambda settings: HashingEmbedder()
    )


def run_block(block: Block, namespace: dict[str, Any]) -> None:
    code = compile(block.source, f"{README.name}:{block.line}", "exec")
    exec(code, namespace)


BLOCKS = python_blocks(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_snippets() -> None:
    assert BLOCKS


@pytest.mark.parametrize("block", BLOCKS, ids=[f"line{b.line}" for b in BLOCKS])
def test_readme_snippet_runs(block: Block, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_scripted_backends(monkeypatch)
    namespace: dict[str, Any] = {"__name__": "readme"}
    for earlier in BLOCKS[: BLOCKS.index(block)]:
        if earlier.section == block.section:
            run_block(earlier, namespace)
    defined = set(namespace)
    run_block(block, namespace)
    for name in sorted(set(namespace) - defined):
        if name.startswith("test_"):
            namespace[name](tmp_path)
