"""The example scripts against the public API, on the scripted model: a fast check that they
still fit the API (tests/integration/test_examples.py runs them on the real model)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from test_readme_snippets import use_scripted_backends

from noetic.testing.role_script import SYNTHESIS, thought

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCRIPTS = sorted(path.stem for path in EXAMPLES.glob("*.py"))


def test_every_example_is_covered_by_the_integration_test() -> None:
    integration = (EXAMPLES.parent / "tests" / "integration" / "test_examples.py").read_text()
    assert SCRIPTS and all(f'run_example("{name}"' in integration for name in SCRIPTS)


@pytest.mark.parametrize("name", SCRIPTS)
def test_example_runs_to_an_answer(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_scripted_backends(monkeypatch)
    monkeypatch.setenv("NOETIC_ROUNDS", "2")
    runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")
    (answer,) = [
        line.removeprefix("answer: ")
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("answer: ")
    ]
    # a synthesis in runs with checks, else the best of the scripted thoughts
    assert answer == SYNTHESIS or answer in {thought(n) for n in range(1, 40)}
