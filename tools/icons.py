#!/usr/bin/env python3
"""Draws newsmark's app icons (static/icons/icon-192.png, icon-512.png) with the standard
library only, matching static/icons/icon.svg: a dark blue rounded square, a white page
with text lines, one line highlighted. Run once; the PNGs are committed."""
import struct
import sys
import zlib
from pathlib import Path

BLUE = (29, 58, 138)
WHITE = (255, 255, 255)
GREY = (148, 163, 184)
YELLOW = (250, 204, 21)


def pixel(x: float, y: float) -> tuple:
    """Colour at (x, y) in a 0..1 unit square."""
    r = 0.18  # corner radius of the background square
    cx = min(max(x, r), 1 - r)
    cy = min(max(y, r), 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return None  # transparent outside the rounded square
    if 0.22 <= x <= 0.78 and 0.16 <= y <= 0.84:  # the page
        for i, top in enumerate([0.27, 0.39, 0.51, 0.63]):
            if top <= y <= top + 0.06 and 0.30 <= x <= (0.70 if i != 3 else 0.56):
                return YELLOW if i == 1 else GREY
        return WHITE
    return BLUE


def png(size: int) -> bytes:
    rows = bytearray()
    for j in range(size):
        rows.append(0)  # filter: none
        for i in range(size):
            c = pixel((i + 0.5) / size, (j + 0.5) / size)
            rows.extend((*c, 255) if c else (0, 0, 0, 0))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "static/icons")
    for size in (192, 512):
        (out / f"icon-{size}.png").write_bytes(png(size))
