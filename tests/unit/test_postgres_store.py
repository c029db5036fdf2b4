"""Runs and the accumulator in a real PostgreSQL (`checkpoints.url`): the commands a user runs
(the CLI as a subprocess) read and refuse against it as against the SQLite file, and a database
that cannot be used is one line naming it, its password never shown."""

from __future__ import annotations

import asyncio
import json
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Any

import noetic_cli
import psycopg
import pytest
from postgres_server import PostgresServer, free_port

from noetic import adeliberate, aresume, load_settings
from noetic.errors import ConfigError
from noetic.memory.accumulator_postgres import PostgresAccumulator
from noetic.testing import HashingEmbedder, RoleScript

SECRET = "s3cret-pw"


noetic = partial(noetic_cli.noetic, NOETIC_LOG_LEVEL="warning")
one_line_error = partial(noetic_cli.one_line_error, absent=(SECRET,))


def with_password(url: str) -> str:
    """The same database with a password in the URL (trust authentication ignores it)."""
    return url.replace("postgresql://postgres@", f"postgresql://postgres:{SECRET}@")


def shown(url: str) -> str:
    return url.replace(f":{SECRET}@", ":***@")


async def scripted_run(run_id: str, **kw: Any) -> str | None:
    result = await adeliberate(
        "A task", model=RoleScript().model(), embedder=HashingEmbedder(), run_id=run_id, **kw
    )
    return result.stop_reason


async def test_runs_show_report_and_resume_use_the_database(
    postgres_url: str, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = with_password(postgres_url)
    monkeypatch.setenv("NOETIC_CHECKPOINTS__URL", url)
    stop = asyncio.Event()
    stop.set()  # stops after the first step, as a first Ctrl-C does
    assert await scripted_run("done", rounds=2) == "max_rounds"
    assert await scripted_run("stopped", stop=stop) == "incomplete"
    assert not (isolated_home / "checkpoints.sqlite").exists()
    assert not (isolated_home / "accumulator.json").exists()

    # Another machine: its own home, the same one setting.
    elsewhere = {"NOETIC_HOME": str(tmp_path / "elsewhere")}
    listed = noetic("runs", "--json", **elsewhere)
    assert listed.returncode == 0, listed.stderr
    assert {r["run_id"]: r["status"] for r in json.loads(listed.stdout)} == {
        "done": "finished",
        "stopped": "incomplete",
    }
    tree = noetic("show", "done", **elsewhere)
    assert tree.returncode == 0 and "Run done" in tree.stdout and "Round 2" in tree.stdout
    report = tmp_path / "done.html"
    assert noetic("report", "done", "--out", str(report), **elsewhere).returncode == 0
    with closing(PostgresAccumulator(url)) as accumulator:
        rounds, strongest = accumulator.run_view("done"), accumulator.top(15)
    assert [r.round for r in rounds] == [1, 2] and strongest
    concepts = noetic("concepts", "--json", **elsewhere)
    assert json.loads(concepts.stdout) == [cw.model_dump() for cw in strongest]
    page = report.read_text(encoding="utf-8")
    assert "no concept weights recorded" not in page and rounds[0].concepts[0].concept in page

    store = shown(url)
    one_line_error(noetic("resume", "done"), "already finished")
    one_line_error(noetic("resume", "nope"), f"no run 'nope' in {store}")
    one_line_error(noetic("run", "again", "--run-id", "done"), f"already exists in {store}")

    finished = await aresume("stopped", model=RoleScript().model(), embedder=HashingEmbedder())
    assert finished.stop_reason == "max_rounds"
    listed = noetic("runs", "--json", **elsewhere)
    assert {r["status"] for r in json.loads(listed.stdout)} == {"finished"}
    assert SECRET not in listed.stdout + listed.stderr + tree.stdout
    with psycopg.connect(postgres_url) as conn:
        leaks = conn.execute(
            "select (select count(*) from checkpoints where checkpoint::text like %(p)s "
            "or metadata::text like %(p)s) + (select count(*) from checkpoint_blobs "
            "where position(convert_to(%(s)s, 'UTF8') in blob) > 0)",
            {"p": f"%{SECRET}%", "s": SECRET},
        ).fetchone()
    assert leaks == (0,)  # the URL is never checkpointed with a run's settings


def test_a_database_that_cannot_be_used_is_one_line_naming_it(
    postgres_server: PostgresServer,
) -> None:
    refused = f"postgresql://postgres:{SECRET}@127.0.0.1:{free_port()}/runs"
    missing = with_password(postgres_server.url("nosuchdb"))
    stranger = postgres_server.url("postgres").replace("postgres@", f"nobody:{SECRET}@")
    cases = [
        (refused, "Connection refused", "start PostgreSQL there"),
        (missing, 'database "nosuchdb" does not exist', "create the database"),
        (stranger, 'role "nobody" does not exist', "check the user and password"),
    ]
    for url, cause, fix in cases:
        env = {"NOETIC_CHECKPOINTS__URL": url}
        one_line_error(noetic("runs", **env), shown(url), cause, fix, "NOETIC_CHECKPOINTS__URL")
    env = {"NOETIC_CHECKPOINTS__URL": refused}
    one_line_error(noetic("show", "r1", **env), shown(refused), "Connection refused")
    # before any model loads
    one_line_error(noetic("run", "A task", **env), shown(refused), "Connection refused")


def test_the_url_is_checked_and_shown_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NOETIC_CHECKPOINTS__URL", "mysql://db/runs")
    with pytest.raises(ConfigError, match="checkpoints.url"):
        load_settings()
    url = f"postgresql://me:{SECRET}@db:5433/runs?sslmode=require"
    shown_config = noetic("config", "show", "--json", NOETIC_CHECKPOINTS__URL=url)
    assert json.loads(shown_config.stdout)["checkpoints"] == {
        "url": "postgresql://me:***@db:5433/runs?sslmode=require"
    }
