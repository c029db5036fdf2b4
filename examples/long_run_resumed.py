"""A long run, interrupted in its second round, then resumed where it stopped.

Every step is checkpointed under `NOETIC_HOME`, so whatever stops a run (Ctrl-C, a crash,
kill -9; here an exception raised from the event handler) loses nothing already done:
`resume(run_id)` continues from the last completed step, with the settings the run began with.

    NOETIC_ROUNDS=2 python examples/long_run_resumed.py
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from noetic import deliberate, load_settings, resume
from noetic.runs.stored import load_result

TASK = "Rewrite the myth of Sisyphus as a hypothesis about artificial general intelligence"


class Interrupted(Exception):
    """Stands in for Ctrl-C or a crash."""


def stop_in_round_two(event: dict[str, Any]) -> None:
    if event.get("event") == "stage_start" and event.get("round") == 2:
        raise Interrupted


def main() -> None:
    settings = load_settings()
    run_id = f"long-run-{time.time_ns()}"
    rounds = max(2, settings.rounds)
    try:
        result = deliberate(TASK, run_id=run_id, rounds=rounds, on_event=stop_in_round_two)
        print(f"finished in round 1 ({result.stop_reason}): nothing to resume")
    except Interrupted:
        saved = asyncio.run(load_result(settings, run_id))
        print(f"interrupted: {run_id} is {saved.stop_reason} after {len(saved.rounds)} round(s)")
        result = resume(run_id)
        print(f"resumed: {result.stop_reason} after {len(result.rounds)} rounds")
    print("answer:", result.answer)


if __name__ == "__main__":
    main()
