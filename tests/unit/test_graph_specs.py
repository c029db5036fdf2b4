"""Graphs as data: specs round-trip through TOML, bad ones are one line, roles are seated from
settings and flags, and a run keeps its graph for resume, show and report."""

from __future__ import annotations

import asyncio
import tomllib
from functools import partial
from itertools import pairwise
from pathlib import Path

import noetic_cli
import pytest
from example_plugin import require_example_plugin
from noetic_cli import one_line_error

from noetic import adeliberate, aresume, load_settings
from noetic.errors import GraphSpecError, RunStateError
from noetic.graphs import (
    DELIBERATION,
    Branch,
    GraphSpec,
    build_deliberation_graph,
    build_graph,
    graph_spec,
)
from noetic.graphs.assemble import ROLES
from noetic.graphs.spec import load_spec, parse_spec
from noetic.report.html import render_report
from noetic.runs.stored import load_result
from noetic.testing import HashingEmbedder, RoleScript

TINY_TOML = """
name = "tiny"
edges = [["START", "think"], ["think", "judge"], ["judge", "pick"], ["pick", "close"]]

[nodes]
think = "generator"
judge = "critic"
pick = "select"
close = "close_round"
converge = "synthesizer"

[[branches]]
from = "close"
condition = "after_round"
routes = { switch = "think", converge = "converge" }
"""


noetic = partial(noetic_cli.noetic, NOETIC_LOG_LEVEL="warning")


def test_the_prebuilt_graph_round_trips_through_toml() -> None:
    again = parse_spec(tomllib.loads(DELIBERATION.to_toml()), "round trip")
    assert again == DELIBERATION
    assert set(build_graph(again).nodes) == set(DELIBERATION.nodes)


def test_a_spec_file_loads_and_seats(tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_TOML)
    spec = graph_spec(str(path))
    assert spec.nodes["judge"] == "critic" and spec.branches[0].routes["switch"] == "think"
    assert spec.seat({"judge": "devils_advocate"}).nodes["judge"] == "devils_advocate"
    assert parse_spec(tomllib.loads(spec.to_toml()), "again") == spec


BAD_SPECS = {
    "an edge to a node not in [nodes]": (
        TINY_TOML.replace('["pick", "close"]', '["pick", "nowhere"]'),
        "'nowhere', which is not in [nodes]",
    ),
    "no way in": (TINY_TOML.replace('["START", "think"], ', ""), "exactly one edge from START"),
    "a node named START": (TINY_TOML.replace("think = ", "START = "), "graph's own boundary"),
    "an unknown key": (TINY_TOML.replace('name = "tiny"', 'name = "tiny"\ncolour = 1'), "colour"),
    "not TOML": ("name = [", "not valid TOML"),
}


@pytest.mark.parametrize(("text", "needle"), BAD_SPECS.values(), ids=BAD_SPECS.keys())
def test_a_malformed_spec_file_is_one_error(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(GraphSpecError) as caught:
        load_spec(path)
    assert needle in str(caught.value)


@pytest.mark.parametrize(
    ("flags", "needle"),
    [
        (["--graph", "no_such_graph"], "unknown graph 'no_such_graph'"),
        (["--graph", "missing.toml"], "cannot read the graph file missing.toml"),
        (["--stage", "critique=oracle"], "no installed package registers a role or stage named"),
        (["--stage", "dream=critic"], "graph 'deliberation' has no node 'dream'"),
        (["--stage", "critique"], "is not NODE=NAME"),
    ],
)
def test_bad_graph_flags_are_one_line_before_any_model_loads(
    isolated_home: Path, flags: list[str], needle: str
) -> None:
    one_line_error(noetic("run", "x", *flags), needle)
    assert not (isolated_home / "checkpoints.sqlite").exists() or not noetic("runs").stdout


def test_an_unknown_condition_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_TOML.replace('"after_round"', '"after_lunch"'))
    one_line_error(noetic("run", "x", "--graph", str(path)), "unknown condition 'after_lunch'")


def stop_at_once() -> asyncio.Event:
    """Set before the run starts: it stops after its first step, stored and unfinished."""
    stop = asyncio.Event()
    stop.set()
    return stop


async def start(run_id: str, **kw: object):  # type: ignore[no-untyped-def]
    kw = {"rounds": 2, "mode": "safe", **kw}
    return await adeliberate(
        "A task", model=RoleScript().model(), embedder=HashingEmbedder(), run_id=run_id, **kw
    )


async def resume(run_id: str, **kw: object):  # type: ignore[no-untyped-def]
    return await aresume(run_id, model=RoleScript().model(), embedder=HashingEmbedder(), **kw)


async def test_a_run_resumes_on_the_graph_it_began_with(
    isolated_home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_TOML)
    stopped = await start("t1", graph=str(path), stop=stop_at_once())
    assert stopped.stop_reason == "incomplete"
    path.unlink()  # the run keeps its spec: the file is not needed again
    finished = await resume("t1")
    assert finished.stop_reason == "max_rounds" and len(finished.rounds) == 2
    assert set(finished.timings) - {"total"} <= {"think", "judge", "pick", "close", "converge"}
    assert "recall" not in finished.timings and "think" in finished.timings
    stored = await load_result(load_settings(), "t1")
    assert stored.graph is not None and GraphSpec.model_validate(stored.graph).name == "tiny"


async def test_stages_from_settings_seat_a_role_and_are_kept(isolated_home: Path) -> None:
    require_example_plugin()
    stopped = await start("s1", stages={"critique": "devils_advocate"}, stop=stop_at_once())
    assert stopped.graph is not None and stopped.graph["nodes"]["critique"] == "devils_advocate"
    finished = await resume("s1")
    assert finished.graph == stopped.graph and finished.stop_reason != "incomplete"


async def test_a_python_built_graph_is_not_resumed_on_another(isolated_home: Path) -> None:
    await start("p1", graph=build_deliberation_graph(), stop=stop_at_once())
    with pytest.raises(RunStateError, match="built in Python"):
        await resume("p1")
    assert (await resume("p1", graph=build_deliberation_graph())).stop_reason == "max_rounds"


async def test_a_graph_whose_role_is_gone_names_the_package(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_example_plugin()
    await start("g1", stages={"critique": "devils_advocate"}, stop=stop_at_once())
    installed = [n for n in ROLES.names() if n != "devils_advocate"]
    monkeypatch.setattr(ROLES, "names", lambda: installed)
    with pytest.raises(
        GraphSpecError, match="'devils_advocate', which is no longer installed"
    ) as e:
        await resume("g1")
    assert "pip install noetic-pov-roles" in str(e.value)


async def test_the_recursion_limit_comes_from_the_spec(isolated_home: Path) -> None:
    """A round of 30 plain stages would overrun a limit sized for the prebuilt graph's round."""
    require_example_plugin()
    chain = [f"note{i}" for i in range(30)]
    spec = GraphSpec(
        name="long",
        nodes={
            "think": "generator",
            **dict.fromkeys(chain, "announce_winner"),
            "close": "close_round",
            "converge": "synthesizer",
        },
        edges=list(pairwise(["START", "think", *chain, "close"])) + [("converge", "END")],
        branches=[
            Branch(
                source="close",
                condition="after_round",
                routes={"switch": "think", "converge": "converge"},
            )
        ],
    )
    result = await start("long", graph=spec, rounds=3)
    assert result.stop_reason == "max_rounds" and len(result.rounds) == 3


async def test_the_report_draws_the_runs_own_graph(isolated_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_TOML)
    await start("r1", graph=str(path), rounds=1)
    html = render_report(await load_result(load_settings(), "r1"), [])
    assert ">think<" in html and ">judge<" in html and ">recall<" not in html
    drawn = noetic("graph", "r1", "--format", "mermaid")
    assert drawn.returncode == 0 and "think --> judge;" in drawn.stdout, drawn.stderr
