"""Headless Chromium as a renderer: pictures of our own SVG and HTML, without a network.

Chromium is a system package (Debian: `chromium`), not a Python dependency; only `noetic graph
--format png` and the browser tests need it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from noetic.errors import NoeticError

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
TIMEOUT_S = 60


def find_chromium() -> str | None:
    return next((path for name in BINARIES if (path := shutil.which(name))), None)


def headless_command(binary: str, profile: Path, *args: str) -> list[str]:
    """A command line for one headless page load with a fresh profile in `profile`."""
    return [binary, *HEADLESS_FLAGS, f"--user-data-dir={profile}", *args]


def screenshot(page: Path, out: Path, width: int, height: int, scale: float = 1.0) -> None:
    """Write a PNG of `page` (an HTML or SVG file) as a `width` x `height` window shows it,
    at `scale` device pixels per CSS pixel."""
    binary = find_chromium()
    if binary is None:
        raise NoeticError(
            "PNG needs headless Chromium, and none is installed",
            "install it (Debian/Ubuntu: `apt-get install chromium`), or use --format svg",
        )
    out = out.resolve()
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="noetic-chromium-") as profile:
        command = headless_command(
            binary,
            Path(profile),
            f"--screenshot={out}",
            f"--window-size={width},{height}",
            f"--force-device-scale-factor={scale}",
            page.resolve().as_uri(),
        )
        proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    if not out.exists():
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise NoeticError(f"Chromium wrote no PNG ({last})", "check that `chromium` runs headless")
