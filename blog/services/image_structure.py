"""How much work an image file asks of its decoder, read from its structure alone.

Pillow walks a file's blocks in Python (GIF sub-blocks, PNG chunks, JPEG markers) and
libjpeg decodes a progressive JPEG once per scan, so a small file of many tiny blocks or
scans can cost minutes without ever breaking the pixel limit. These walkers count what a
decoder would go through, skipping whatever is not counted at C speed, and stop once a
count passes the caller's limit, so they stay cheap on any input.
"""

import re
import struct
from dataclasses import dataclass

GIF_SIGNATURES = (b"GIF87a", b"GIF89a")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"

_GIF_BLOCK = re.compile(rb"[!,;]")  # extension, image descriptor, trailer
# A JPEG marker: 0xFF then a code other than a stuffed zero or a restart marker, which
# live inside the compressed data. Fill bytes (more 0xFF) before it are skipped by the
# search itself: one 0xFF in the pattern, never a run, which would make a long run of
# 0xFF not followed by a code cost time quadratic in its length.
_JPEG_MARKER = re.compile(rb"\xff([^\x00\xd0-\xd7\xff])")
_JPEG_NO_LENGTH = {0x01, 0xD8, 0xD9}  # TEM, SOI, EOI
_JPEG_SOS, _JPEG_EOI = 0xDA, 0xD9


@dataclass
class Shape:
    """What a decoder would walk through: `steps` counts the blocks Pillow reads one by
    one in Python, `frames` and `scans` the passes over the pixels."""

    steps: int = 0
    frames: int = 1
    scans: int = 1
    width: int = 0  # the canvas a GIF's frames need (0 for other formats)
    height: int = 0


def shape_of(data: bytes, most: int) -> Shape:
    """The shape of a GIF, PNG or JPEG (another format is Pillow's to judge); counting
    stops once `steps` passes `most` (every frame and scan takes at least one step)."""
    if data.startswith(GIF_SIGNATURES):
        return gif_shape(data, most)
    if data.startswith(PNG_SIGNATURE):
        return png_shape(data, most)
    if data.startswith(JPEG_SIGNATURE):
        return jpeg_shape(data, most)
    return Shape()


def gif_shape(data: bytes, most: int) -> Shape:
    """Frames, canvas and sub-blocks of a GIF. The canvas grows to hold a frame drawn past
    the logical screen, as it does in Pillow; bytes between blocks, which Pillow skips one
    at a time, count as steps."""
    size = len(data)
    if size < 13:
        return Shape(frames=0)
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    shape = Shape(frames=0, width=width, height=height)
    at = 13 + _gif_palette(flags)

    def skip_sub_blocks(at: int) -> int:
        while at < size and data[at] and shape.steps <= most:
            shape.steps += 1
            at += data[at] + 1
        return at + 1

    while at < size and shape.steps <= most:
        found = _GIF_BLOCK.search(data, at)
        if found is None:
            break
        shape.steps += found.end() - at
        at = found.end()
        marker = found.group()
        if marker == b";":
            break
        if marker == b"!":  # a label, then sub-blocks
            at = skip_sub_blocks(at + 1)
        elif at + 9 <= size:  # an image descriptor, a palette, the code size, sub-blocks
            left, top, frame_width, frame_height, local = struct.unpack_from("<HHHHB", data, at)
            at = skip_sub_blocks(at + 9 + _gif_palette(local) + 1)
            shape.frames += 1
            shape.width = max(shape.width, left + frame_width)
            shape.height = max(shape.height, top + frame_height)
    return shape


def _gif_palette(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def png_shape(data: bytes, most: int) -> Shape:
    """Chunks of a PNG up to IEND; an animated PNG's frames are Pillow's to count."""
    shape = Shape()
    at = len(PNG_SIGNATURE)
    while at + 8 <= len(data) and shape.steps <= most:
        length, kind = struct.unpack_from(">I4s", data, at)
        shape.steps += 1
        if kind == b"IEND":
            break
        at += 12 + length
    return shape


def jpeg_shape(data: bytes, most: int) -> Shape:
    """Markers before the first scan (Pillow reads them, and any junk between them, in
    Python) and scans in all (libjpeg decodes a progressive image once per scan)."""
    shape = Shape(scans=0)
    at = 2
    while shape.steps <= most:
        found = _JPEG_MARKER.search(data, at)
        if found is None:
            if not shape.scans:  # Pillow would read the rest one byte at a time
                shape.steps += len(data) - at
            break
        code = found.group(1)[0]
        # Before the first scan Pillow reads junk and fill bytes one at a time; after it,
        # libjpeg skips them in C, and each marker counts once.
        shape.steps += 1 if shape.scans else found.end() - at - 1
        if code == _JPEG_EOI:
            break
        at = found.end()
        if code not in _JPEG_NO_LENGTH and at + 2 <= len(data):
            at += struct.unpack_from(">H", data, at)[0]
        shape.scans += code == _JPEG_SOS
    return shape
