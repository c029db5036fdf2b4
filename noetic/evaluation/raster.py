"""A tiny RGB canvas that encodes itself as PNG with zlib alone, and a 3x5 pixel font.

Enough to draw a labelled scatter plot without a plotting library or a browser: filled
rectangles, straight lines, dots and upper-case text.
"""

from __future__ import annotations

import struct
import zlib

RGB = tuple[int, int, int]

# Each glyph is five rows of three pixels, a row being an octal digit (4 = left, 1 = right).
_FONT = {
    "0": "75557", "1": "26227", "2": "71747", "3": "71317", "4": "55711", "5": "74717",
    "6": "74757", "7": "71122", "8": "75757", "9": "75717", "A": "25755", "B": "65656",
    "C": "34443", "D": "65556", "E": "74647", "F": "74644", "G": "34553", "H": "55755",
    "I": "72227", "J": "11152", "K": "55655", "L": "44447", "M": "57755", "N": "65555",
    "O": "25552", "P": "65644", "Q": "25563", "R": "65655", "S": "34216", "T": "72222",
    "U": "55557", "V": "55522", "W": "55775", "X": "55255", "Y": "55222", "Z": "71247",
    " ": "00000", ".": "00002", ",": "00024", "-": "00700", "_": "00007", "@": "25743",
    ":": "02020", "%": "51245", "/": "11244", "(": "24442", ")": "21112", "+": "02720",
    "=": "07070", "?": "71302",
}  # fmt: skip
GLYPH_WIDTH, GLYPH_HEIGHT = 3, 5


def hex_rgb(color: str) -> RGB:
    value = int(color.lstrip("#"), 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


class Canvas:
    def __init__(self, width: int, height: int, background: RGB = (255, 255, 255)) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def dot(self, x: int, y: int, color: RGB) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            offset = 3 * (y * self.width + x)
            self.pixels[offset : offset + 3] = bytes(color)

    def rect(self, x: int, y: int, width: int, height: int, color: RGB) -> None:
        for row in range(max(y, 0), min(y + height, self.height)):
            for col in range(max(x, 0), min(x + width, self.width)):
                self.dot(col, row, color)

    def line(self, x0: int, y0: int, x1: int, y1: int, color: RGB, width: int = 1) -> None:
        """Bresenham's line, `width` pixels thick (a square brush)."""
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        error = dx + dy
        while True:
            self.rect(x0 - width // 2, y0 - width // 2, width, width, color)
            if x0 == x1 and y0 == y1:
                return
            doubled = 2 * error
            if doubled >= dy:
                error, x0 = error + dy, x0 + sx
            if doubled <= dx:
                error, y0 = error + dx, y0 + sy

    def disc(self, cx: int, cy: int, radius: int, color: RGB) -> None:
        for y in range(-radius, radius + 1):
            for x in range(-radius, radius + 1):
                if x * x + y * y <= radius * radius:
                    self.dot(cx + x, cy + y, color)

    def text(self, x: int, y: int, text: str, color: RGB, scale: int = 2) -> None:
        """Upper-case `text` with its top-left corner at (x, y); unknown characters show `?`."""
        for index, char in enumerate(text.upper()):
            rows = _FONT.get(char, _FONT["?"])
            left = x + index * (GLYPH_WIDTH + 1) * scale
            for r, bits in enumerate(rows):
                for c in range(GLYPH_WIDTH):
                    if int(bits) & (4 >> c):
                        self.rect(left + c * scale, y + r * scale, scale, scale, color)

    @staticmethod
    def text_width(text: str, scale: int = 2) -> int:
        return len(text) * (GLYPH_WIDTH + 1) * scale - scale

    def png(self) -> bytes:
        stride = 3 * self.width
        raw = b"".join(
            b"\x00" + bytes(self.pixels[y * stride : (y + 1) * stride]) for y in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b"")
        )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
