"""Small PNG pictures for the fake's thumbnail and profile picture links: two colours
from the name, in stripes, so each post looks different in the gallery."""

import struct
import zlib

from . import growth

WIDTH, HEIGHT = 160, 120


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(name: str) -> bytes:
    value = growth.seed(name)
    first = bytes(((value >> s) & 0xFF) | 0x40 for s in (0, 8, 16))
    second = bytes(((value >> s) & 0x7F) for s in (4, 12, 20))
    rows = b"".join(
        b"\x00" + b"".join(first if (x + y) // 20 % 2 else second for x in range(WIDTH))
        for y in range(HEIGHT)
    )
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )
