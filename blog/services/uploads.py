"""Storing uploaded images: verified with Pillow, re-encoded, resized for srcset."""

import contextlib
import hashlib
import io
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from blog.extensions import db
from blog.forms import strip_control_characters
from blog.models import Upload
from blog.models.base import utcnow

VARIANT_WIDTHS = (480, 960, 1600)
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
NOT_AN_IMAGE = "That file is not a JPEG, PNG, WebP or GIF image we can read."
TOO_MANY_PIXELS = "That image is too large: at most 40 megapixels, please."
NOT_STORED = (
    "The image could not be saved: the server's storage is full or cannot be written to. "
    "Please try again later, or tell an administrator."
)
# What each stored file is served as, by the extension Byline itself gave it.
SERVED_TYPES = {ext: content_type for content_type, ext in FORMATS.values()}


class UploadRejected(ValueError):
    """The file is not an image Byline accepts; the message is for the user."""


class UploadNotStored(UploadRejected):
    """The image was fine but the uploads folder could not take it (full, read-only)."""


def uploads_root() -> Path:
    return Path(current_app.config["UPLOADS_DIR"])


@dataclass
class Decoded:
    kind: str  # a key of FORMATS
    frames: list[Image.Image]  # one, unless an animated GIF
    durations: list[int]  # per frame, for an animation
    icc_profile: bytes | None  # colour data is kept; every other piece of metadata is not


def decode(data: bytes) -> Decoded:
    """Verify and decode an upload, checking its size before any pixel is decoded, so a
    small file cannot expand into gigabytes of memory."""
    if len(data) > MAX_BYTES:
        raise UploadRejected("That file is too large: at most 10 MB, please.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            count = getattr(probe, "n_frames", 1) if kind == "GIF" else 1
            if probe.width * probe.height * count > MAX_PIXELS:
                raise UploadRejected(TOO_MANY_PIXELS)
            probe.verify()
        if kind not in FORMATS:
            raise UploadRejected("Please upload a JPEG, PNG, WebP or GIF image.")
        image = Image.open(io.BytesIO(data))
        if count > 1:
            durations = [frame.info.get("duration", 100) for frame in ImageSequence.Iterator(image)]
            frames = [frame.convert("RGBA") for frame in ImageSequence.Iterator(image)]
            return Decoded(kind, frames, durations, None)
        image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        # Pillow's own guard, for canvases past twice its limit (the warning is raised
        # only where warnings are errors); both fire before any pixel is decoded.
        raise UploadRejected(TOO_MANY_PIXELS) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise UploadRejected(NOT_AN_IMAGE) from exc
    # A colour profile describes the pixels as decoded; after a mode change it would lie.
    icc_profile = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    image = ImageOps.exif_transpose(image)
    if kind == "JPEG" or image.mode not in ("RGB", "RGBA"):
        keeps_alpha = kind != "JPEG" and image.has_transparency_data
        image = image.convert("RGBA" if keeps_alpha else "RGB")
    return Decoded(kind, [image], [], icc_profile)


def encode(decoded: Decoded, frames: list[Image.Image]) -> bytes:
    """Pixels only: EXIF, XMP, comments and text chunks never reach the stored file."""
    for frame in frames:
        frame.info = {}
    options: dict = {}
    if decoded.icc_profile:
        options["icc_profile"] = decoded.icc_profile
    if decoded.kind in ("JPEG", "WEBP"):
        options.update(quality=85, optimize=True)
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], duration=decoded.durations, loop=0)
    buffer = io.BytesIO()
    frames[0].save(buffer, format=decoded.kind, **options)
    return buffer.getvalue()


def served_type(path: str) -> str | None:
    """The content type a stored file is served with, from the extension Byline gave it;
    None for anything that is not one of our images (temporary files included)."""
    name = path.rsplit("/", 1)[-1]
    stem, _, ext = name.rpartition(".")
    return SERVED_TYPES.get(ext) if stem and not name.startswith(".") else None


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it into place: a full
    disk or a crash never leaves a half-written image under a name that is served."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from the web server
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_files(folder: str, files: dict[str, bytes]) -> None:
    """Store every file or none: on an error the ones already written are removed."""
    root = uploads_root()
    written: list[Path] = []
    try:
        (root / folder).mkdir(parents=True, exist_ok=True)
        for path, data in files.items():
            write_atomically(root / path, data)
            written.append(root / path)
    except OSError as exc:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        current_app.logger.error("upload not stored in %s: %s", root, exc)
        raise UploadNotStored(NOT_STORED) from exc


def store_image(
    data: bytes, original_name: str = "", *, uploaded_by_id: int | None = None
) -> Upload:
    """Decode, re-encode and store an image with smaller renditions; adds the row (no commit).

    Raises UploadRejected for a file that is not a usable image, and its subclass
    UploadNotStored when the uploads folder cannot take it (nothing is left behind)."""
    decoded = decode(data)
    image = decoded.frames[0]
    content_type, ext = FORMATS[decoded.kind]
    folder = f"{utcnow():%Y/%m}"
    name = secrets.token_hex(8)

    path = f"{folder}/{name}.{ext}"
    encoded = encode(decoded, decoded.frames)
    files = {path: encoded}
    variants = {}
    # An animation is kept whole: resizing every frame is not worth its cost.
    for width in VARIANT_WIDTHS if len(decoded.frames) == 1 else ():
        if width < image.width:
            height = round(image.height * width / image.width)
            smaller = image.resize((width, height), Image.Resampling.LANCZOS)
            variant_path = f"{folder}/{name}-{width}.{ext}"
            files[variant_path] = encode(decoded, [smaller])
            variants[str(width)] = variant_path
    write_files(folder, files)

    upload = Upload(
        path=path,
        original_name=strip_control_characters(original_name)[:255],
        content_type=content_type,
        size_bytes=len(encoded),
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(data).hexdigest(),
        variants=variants,
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(upload)
    return upload


def keep_image(
    data: bytes, original_name: str = "", *, uploaded_by_id: int | None = None
) -> Upload:
    """store_image, committed: for an image that must outlive the form it came with."""
    upload = store_image(data, original_name, uploaded_by_id=uploaded_by_id)
    db.session.commit()
    return upload
