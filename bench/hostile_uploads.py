"""Time the decoding and re-encoding of hostile and largest-allowed images (docs/security.md).

    .venv/bin/python -m bench.hostile_uploads [NAME ...]

Each case is built in memory and given to blog.services.uploads as an upload would be
(decode, then encode every frame); the line says how long that took and whether the file
was refused. Nothing is written to disk or to a database.
"""

import io
import sys
import time
from collections.abc import Callable

from PIL import Image, ImageDraw

from blog import create_app
from blog.services import uploads
from tests.security_helpers import gif_declaring, image_bytes, png_chunk


def moving_bands(count: int, side: int) -> bytes:
    """An animated GIF of `count` different frames that compresses well (bands that move)."""
    frames = []
    for index in range(count):
        frame = Image.new("P", (side, side), 0)
        frame.putpalette([c for k in range(256) for c in (k, 255 - k, (k * 7) % 256)])
        draw = ImageDraw.Draw(frame)
        for top in range(0, side, 8):
            draw.rectangle([0, top, side, top + 3], fill=(top // 8 + index) % 256)
        frames.append(frame)
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=50)
    return buffer.getvalue()


def repeated_scans(side: int, scans: int) -> bytes:
    """A progressive JPEG whose last scan is repeated until it has `scans` scans."""
    plain = image_bytes("JPEG", (side, side), progressive=True, quality=90)
    last = plain.rindex(b"\xff\xda")
    return plain[:-2] + plain[last:-2] * (scans - plain.count(b"\xff\xda")) + plain[-2:]


def tiny_chunks(count: int) -> bytes:
    plain = image_bytes("PNG")
    cut = plain.index(b"IDAT") - 4
    return plain[:cut] + png_chunk(b"abCd", b"") * count + plain[cut:]


def tiny_markers(count: int) -> bytes:
    plain = image_bytes("JPEG")
    return plain[:2] + b"\xff\xe5\x00\x02" * count + plain[2:]


CASES: dict[str, Callable[[], bytes]] = {
    # The review's file: 100,000 one-pixel frames in 1.5 MB.
    "gif-100000-frames": lambda: gif_declaring([(0, 0, 1, 1)] * 100_000),
    "jpeg-1000-scans-4mp": lambda: repeated_scans(2000, 1000),
    "png-870000-chunks": lambda: tiny_chunks(870_000),
    "jpeg-2600000-markers": lambda: tiny_markers(2_600_000),
    # The most a file may ask for and still be accepted.
    "gif-500-frames-80kpx": lambda: moving_bands(500, 282),
    "gif-40-frames-1mpx": lambda: moving_bands(40, 1000),
    "jpeg-50-scans-4mp": lambda: repeated_scans(2000, 50),
    "jpeg-10-scans-36mp": lambda: repeated_scans(6000, 10),
    "jpeg-50-scans-36mp": lambda: repeated_scans(6000, 50),
    "png-49990-chunks": lambda: tiny_chunks(49_990),
}


def measure(name: str) -> str:
    data = CASES[name]()
    started = time.perf_counter()
    try:
        decoded = uploads.decode(data)
        uploads.encode(decoded, decoded.frames)
        outcome = f"accepted, {len(decoded.frames)} frame(s)"
    except uploads.UploadRejected as exc:
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - started
    return f"{name:24} {len(data):>10,} bytes {seconds:8.2f} s  {outcome}"


def main(names: list[str]) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        for name in names or CASES:
            print(measure(name), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
