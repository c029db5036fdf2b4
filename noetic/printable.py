"""Untrusted text made safe to show: what a model, a task or a plugin wrote must not drive the
terminal it is printed on, nor put characters HTML forbids into a report."""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but newline and tab, DEL, C1 controls, and the bidi embeddings, overrides and
isolates."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character but newline and tab written as a visible escape.

    ESC and CSI (U+009B) start sequences that recolour, move the cursor, retitle or clear a
    terminal; BEL, BS and CR ring or overwrite; HTML allows no NUL or C1 character; bidi overrides
    make text read otherwise than it is. Each becomes its escape (`\\x1b`, `\\u202e`) rather than
    nothing, so a reader sees that it was there.
    """
    return _UNPRINTABLE.sub(_escape, text)
