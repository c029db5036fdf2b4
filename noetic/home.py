"""Checking `NOETIC_HOME` once, before anything else touches it.

Every store lives under the home folder. A home that is a file, cannot be created, or cannot be
written would otherwise fail late and obscurely (after a model has loaded, or as an empty run
list), so commands check it first and say what is wrong with it in one line.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from noetic.errors import ConfigError

FIX = "point NOETIC_HOME (or `home` in noetic.toml) at a folder you can write"


def usable_home(home: Path, *, write: bool = True) -> Path:
    """`home`, probed: readable, and when `write` is set, created if missing and writable.

    A reader of a home that does not exist yet finds nothing stored, which is no error. The
    write probe creates and removes a temporary file, because permission bits alone do not
    show a read-only file system (or anything, to root).
    """
    if home.exists() and not home.is_dir():
        raise ConfigError(f"NOETIC_HOME {home} is a file, not a folder", FIX)
    if not write and not home.exists():
        return home
    try:
        home.mkdir(parents=True, exist_ok=True)
        os.listdir(home)
        if write:
            with tempfile.TemporaryFile(dir=home):
                pass
    except OSError as exc:
        action = "use" if home.exists() else "create"
        raise ConfigError(
            f"cannot {action} NOETIC_HOME {home} ({exc.strerror or exc})", FIX
        ) from None
    return home
