"""`printable`: every control that could drive a terminal or break HTML becomes a visible escape."""

from __future__ import annotations

import pytest

from noetic.printable import printable


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),  # ESC: colours, cursor moves, titles
        ("ding\x07", "ding\\x07"),  # BEL
        ("over\rwrite\b", "over\\x0dwrite\\x08"),  # CR, BS
        ("nul\x00", "nul\\x00"),
        ("vt\x0b ff\x0c us\x1f", "vt\\x0b ff\\x0c us\\x1f"),
        ("del\x7f", "del\\x7f"),
        ("\x9b2J csi, \x85 nel, \x80 \x9f", "\\x9b2J csi, \\x85 nel, \\x80 \\x9f"),  # C1
        ("a\u202eb\u202ac\u202d", "a\\u202eb\\u202ac\\u202d"),  # bidi embeddings, overrides
        ("\u2066x\u2067y\u2068z\u2069", "\\u2066x\\u2067y\\u2068z\\u2069"),  # bidi isolates
    ],
)
def test_controls_become_visible_escapes(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain words, [brackets] and <tags> & 'quotes'",
        "café — ü, 日本語, emoji 🙂, ½ · ×",
        "lines\nand\ttabs\n",
        "a literal backslash: \\x1b",
        "\u200e marks and \u00a0 no-break space stay",
    ],
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert printable(text) == text
