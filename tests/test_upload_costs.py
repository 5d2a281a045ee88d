"""Uploads built to make a worker decode for long under the byte and pixel limits: many
frames, a GIF canvas that grows, tiny blocks, progressive scans, metadata; refused from
their structure before a pixel is decoded (docs/security.md has the timings)."""

import io
import struct
import tracemalloc
import zlib
from functools import cache
from pathlib import Path

import pytest
from PIL import Image

from blog.services import uploads
from blog.services.image_structure import shape_of
from tests.security_helpers import (
    assert_unchanged,
    files_under,
    gif_declaring,
    image_bytes,
    png_chunk,
    signed_in,
    snapshot,
    upload_body_image,
)


def animation(kind: str, count: int, size: tuple[int, int] = (1, 1)) -> bytes:
    """`count` frames written by Pillow, each a different colour from the one before."""
    frames = [Image.new("RGB", size, (255 * (index % 2), 0, 0)) for index in range(count)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format=kind, save_all=True, append_images=frames[1:], duration=40)
    return buffer.getvalue()


def after_header(plain: bytes, cut: int, extra: bytes) -> bytes:
    return plain[:cut] + extra + plain[cut:]


def progressive_jpeg(scans: int) -> bytes:
    """A progressive JPEG whose last scan is repeated until it has `scans` scans (libjpeg
    decodes every one of them over the whole image)."""
    plain = image_bytes("JPEG", (64, 64), progressive=True)
    last = plain.rindex(b"\xff\xda")  # the last scan runs from here to the end marker
    written = plain.count(b"\xff\xda")
    return plain[:-2] + plain[last:-2] * (scans - written) + plain[-2:]


def png_text_chunks(count: int, each: int) -> bytes:
    plain = image_bytes("PNG")
    chunks = b"".join(
        png_chunk(b"zTXt", b"k%d\x00\x00" % i + zlib.compress(b"a" * each)) for i in range(count)
    )
    return after_header(plain, plain.index(b"IDAT") - 4, chunks)


def large_exif() -> bytes:
    """EXIF that turns the image upright, with one more entry than fits in a JPEG's 64 kB
    (Pillow reads every entry in Python, and up to 65,535 of them in each directory)."""
    count = (uploads.MAX_EXIF_BYTES - 14) // 12 + 1
    entries = [struct.pack("<HHIHH", 0x0112, 3, 1, 6, 0)] + [
        struct.pack("<HHIHH", 0xC000 + index, 3, 1, index, 0) for index in range(count - 1)
    ]
    return b"II*\x00" + struct.pack("<IH", 8, count) + b"".join(entries) + b"\0" * 4


@cache
def costly_files() -> dict[str, tuple[bytes, str]]:
    """Files under 10 MB and 40 megapixels that would still make a worker decode for long
    (built once: some take a moment to make)."""
    gif = gif_declaring([(0, 0, 1, 1)])
    png = image_bytes("PNG")
    jpeg = image_bytes("JPEG")
    steps = uploads.MAX_STEPS + 1
    return {
        # The review's file, cut down: one frame past the cap instead of 100,000.
        "frames.gif": (animation("GIF", uploads.MAX_FRAMES + 1), uploads.TOO_MANY_FRAMES),
        "hand-made-frames.gif": (
            gif_declaring([(0, 0, 1, 1)] * (uploads.MAX_FRAMES + 1)),
            uploads.TOO_MANY_FRAMES,
        ),
        # A 1x1 screen whose second frame claims 8,000 x 8,000: the canvas grows to hold it.
        "growing.gif": (
            gif_declaring([(0, 0, 1, 1), (0, 0, 8_000, 8_000)]),
            uploads.TOO_MANY_PIXELS,
        ),
        "long.gif": (
            gif_declaring([(0, 0, 1, 1), *[(0, 0, 700, 700)] * 99]),
            uploads.ANIMATION_TOO_LARGE,
        ),
        "sub-blocks.gif": (
            after_header(gif, 19, b"\x21\xfe" + b"\x01a" * steps + b"\x00"),
            uploads.TOO_COMPLEX,
        ),
        "junk.gif": (after_header(gif, 19, b"\x00" * steps), uploads.TOO_COMPLEX),
        "chunks.png": (
            after_header(png, png.index(b"IDAT") - 4, png_chunk(b"abCd", b"") * steps),
            uploads.TOO_COMPLEX,
        ),
        "markers.jpg": (after_header(jpeg, 2, b"\xff\xe5\x00\x02" * steps), uploads.TOO_COMPLEX),
        "fill.jpg": (after_header(jpeg, 2, b"\xff" * steps), uploads.TOO_COMPLEX),
        # Fill bytes with no marker after them: Pillow would still read each one.
        "unended.jpg": (b"\xff\xd8\xff" + b"\xff" * steps + b"\x00", uploads.TOO_COMPLEX),
        "scans.jpg": (progressive_jpeg(uploads.MAX_SCANS + 1), uploads.TOO_COMPLEX),
        "animated.png": (animation("PNG", 2), uploads.ONLY_GIF_ANIMATES),
        "animated.webp": (animation("WEBP", 2), uploads.ONLY_GIF_ANIMATES),
        "icc.jpg": (
            image_bytes("JPEG", icc_profile=b"\0" * (uploads.MAX_ICC_BYTES + 1)),
            uploads.METADATA_TOO_LARGE,
        ),
        "exif.png": (
            after_header(png, png.index(b"IDAT") - 4, png_chunk(b"eXIf", large_exif())),
            uploads.METADATA_TOO_LARGE,
        ),
        # Pillow's own limits on a PNG's compressed text and colour profile.
        "text.png": (png_text_chunks(70, 1024 * 1024), uploads.NOT_AN_IMAGE),
        "icc.png": (
            after_header(
                png,
                png.index(b"IDAT") - 4,
                png_chunk(b"iCCP", b"p\x00\x00" + zlib.compress(b"\0" * 2_000_000)),
            ),
            uploads.NOT_AN_IMAGE,
        ),
    }


@pytest.mark.parametrize("name", list(costly_files()))
def test_files_that_would_take_long_to_decode_are_refused_on_the_form(app, admin, name):
    data, message = costly_files()[name]
    desk = signed_in(app, admin)
    assert len(data) <= uploads.MAX_BYTES
    before = snapshot()
    response = upload_body_image(desk, data, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, response.status_code
    assert message in page.replace("&#39;", "'")
    assert "Kept body text." in page
    assert_unchanged(before, name)
    assert files_under(app.config["UPLOADS_DIR"]) == []


@pytest.mark.parametrize("name", list(costly_files()))
def test_costly_files_are_refused_before_their_pixels_are_decoded(app, name):
    data, message = costly_files()[name]
    tracemalloc.start()
    try:
        with pytest.raises(uploads.UploadRejected) as refused:
            uploads.decode(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(refused.value) == message
    # The growing GIF alone would need 8,000 x 8,000 x 4 bytes; Pillow reads at most 4 MB
    # of a PNG's text (1 MB a chunk) before it gives up, where it used to read 64 MB.
    assert peak < 8 * 1024 * 1024, peak


def test_the_reviewed_gif_of_100000_frames_is_refused_after_a_bounded_walk():
    data = gif_declaring([(0, 0, 1, 1)] * 100_000)
    assert len(data) == 1_500_020  # the size the review reported
    shape = shape_of(data, uploads.MAX_STEPS)
    assert shape.frames > uploads.MAX_FRAMES
    assert shape.steps <= uploads.MAX_STEPS + 2  # the walk stopped: it never saw the rest
    with pytest.raises(uploads.UploadRejected, match="at most 500 frames"):
        uploads.decode(data)


def test_a_run_of_fill_bytes_the_size_of_an_upload_is_walked_once():
    """The marker search takes one 0xFF at a time: a pattern matching a run of them
    rescanned it from every position, and did not finish on an upload of 0xFF bytes."""
    for tail in (b"\x00", b"\xc0\x00\x11"):
        data = b"\xff\xd8\xff" + b"\xff" * (uploads.MAX_BYTES - 6) + tail
        assert shape_of(data, uploads.MAX_STEPS).steps > uploads.MAX_STEPS


@pytest.mark.parametrize("kind", ["GIF", "PNG", "JPEG", "WEBP"])
def test_the_structure_walk_agrees_with_pillow(kind):
    data = (
        animation("GIF", 7, (30, 20))
        if kind == "GIF"
        else image_bytes(kind, (30, 20), **({"progressive": True} if kind == "JPEG" else {}))
    )
    shape = shape_of(data, uploads.MAX_STEPS)
    with Image.open(io.BytesIO(data)) as image:
        assert shape.frames == getattr(image, "n_frames", 1)
        if kind == "GIF":
            assert (shape.width, shape.height) == image.size
        if kind == "JPEG":
            assert shape.scans == 10  # libjpeg's progressive script for colour images
    assert shape.steps < 100


def test_the_largest_accepted_animation_is_stored_whole(app):
    data = animation("GIF", uploads.MAX_FRAMES)
    upload = uploads.store_image(data, "long-but-fine.gif")
    with Image.open(Path(app.config["UPLOADS_DIR"]) / upload.path) as stored:
        assert stored.n_frames == uploads.MAX_FRAMES
    progressive = uploads.store_image(progressive_jpeg(uploads.MAX_SCANS), "scans.jpg")
    assert progressive.content_type == "image/jpeg"


def test_pillow_guards_every_image_the_process_opens():
    assert Image.MAX_IMAGE_PIXELS == uploads.MAX_PIXELS
