"""The live progress display of a run: stage, round, candidates and scores, on stderr.

It listens to the graph's stage events, so it knows nothing about roles and shows plugged-in
stages like built-in ones; their strings pass `printable`, since a stage, a decision or a run id
may come from a plugin or a person.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from noetic.printable import printable


class ProgressDisplay:
    """A rich Live view fed by `on_event`; use as a context manager around the run."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.run_id = ""
        self.max_rounds = 0
        self.stage = "starting"
        self.round = 1
        self.rows: dict[int, dict[str, Any]] = {}
        self._live = Live(
            self._render(), console=self.console, refresh_per_second=8, transient=False
        )

    def __enter__(self) -> ProgressDisplay:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stage = "done" if exc[0] is None else "stopped"
        self._live.update(self._render())
        self._live.__exit__(*exc)  # type: ignore[arg-type]

    def on_event(self, event: dict[str, Any]) -> None:
        event = {key: printable(v) if isinstance(v, str) else v for key, v in event.items()}
        kind = event.get("event")
        if kind == "run_start":
            self.run_id, self.max_rounds = event["run_id"], event["max_rounds"]
        elif kind in ("stage_start", "stage_end"):
            self.stage = event["stage"] if kind == "stage_start" else f"{event['stage']} done"
            self.round = event.get("round") or self.round
            row = self.rows.setdefault(self.round, {"mode": "", "candidates": 0, "scores": []})
            for key in ("candidates", "scores", "selected", "mode", "decision"):
                if key in event:
                    row[key] = event[key]
        self._live.update(self._render())

    def _render(self) -> Group:
        table = Table(box=None, pad_edge=False, header_style="bold")
        for column in ("round", "candidates", "scores", "selected", "meta-thinker"):
            table.add_column(column)
        for number, row in sorted(self.rows.items()):
            scores = " ".join(f"{s:.2f}" for s in row.get("scores", []))
            selected = row.get("selected")
            table.add_row(
                f"{number}/{self.max_rounds}",
                str(row.get("candidates", "")),
                scores,
                "" if selected is None else f"#{selected}",
                Text(row.get("decision", "")),
            )
        status = (
            Spinner("dots", text=Text(f" {self.stage} · round {self.round}/{self.max_rounds}"))
            if self.stage not in ("done", "stopped")
            else Text(self.stage)
        )
        header = (
            Text(f"noetic · run {self.run_id}", style="bold") if self.run_id else Text("noetic")
        )
        return Group(header, status, table)
