"""A small real PNG for the signature tests (what a canvas's toDataURL gives), made with the
standard library: a white image with a dark diagonal stroke."""

import base64
import struct
import zlib


def png(width=60, height=20):
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            dark = abs(x * height // width - y) <= 1
            row += bytes([20, 20, 60] if dark else [255, 255, 255])
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def data_url(width=60, height=20):
    return "data:image/png;base64," + base64.b64encode(png(width, height)).decode()
