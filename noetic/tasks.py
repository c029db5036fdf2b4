"""The task a run deliberates on: checked once, before anything loads, wherever it comes from
(`noetic run`, a batch line, Python)."""

from __future__ import annotations

from noetic.errors import NoeticError

MAX_TASK_CHARS = 4000


def check_task(task: str) -> str:
    task = task.strip()
    if not task:
        raise NoeticError(
            "the task is empty", 'pass the question to deliberate on: noetic run "..."'
        )
    if len(task) > MAX_TASK_CHARS:
        raise NoeticError(
            f"the task is {len(task)} characters long (limit {MAX_TASK_CHARS})",
            "shorten it, or put background material in memory instead",
        )
    return task
