"""Run ids: how new ones are made, and the characters a chosen one may use.

A run id names a checkpoint thread and, by default, files (`noetic report` writes
`RUN_ID.html`), so it must be safe as a file name on every system: 1 to 64 ASCII letters, digits,
dots, dashes and underscores, starting with a letter or digit. That keeps out path separators,
`..`, spaces, control characters and option-like leading dashes.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from typing import Annotated

from pydantic import StringConstraints

from noetic.errors import NoeticError

RUN_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
RunId = Annotated[str, StringConstraints(pattern=RUN_ID_PATTERN)]


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def check_run_id(run_id: str) -> str:
    """`run_id` itself when it uses the documented characters; else one clear error."""
    if re.fullmatch(RUN_ID_PATTERN, run_id) is None:
        raise NoeticError(
            f"run id {run_id!r} is not allowed",
            "use 1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit",
        )
    return run_id
