"""Storing uploaded images: verified with Pillow, re-encoded, resized for srcset."""

import hashlib
import io
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from blog.extensions import db
from blog.models import Upload
from blog.models.base import utcnow

VARIANT_WIDTHS = (480, 960, 1600)
MAX_PIXELS = 40_000_000
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


class UploadRejected(ValueError):
    """The file is not an image Byline accepts; the message is for the user."""


def uploads_root() -> Path:
    return Path(current_app.config["UPLOADS_DIR"])


def store_image(
    data: bytes, original_name: str = "", *, uploaded_by_id: int | None = None
) -> Upload:
    """Decode, re-encode and store an image with smaller renditions; adds the row (no commit)."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise UploadRejected("That image is too large: at most 40 megapixels, please.")
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise UploadRejected("That file is not a JPEG, PNG or WebP image we can read.") from exc
    if kind not in FORMATS:
        raise UploadRejected("Please upload a JPEG, PNG or WebP image.")
    image = ImageOps.exif_transpose(image)
    if kind == "JPEG" or image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() and kind != "JPEG" else "RGB")

    content_type, ext = FORMATS[kind]
    stamp = utcnow()
    folder = f"{stamp:%Y/%m}"
    name = secrets.token_hex(8)
    (uploads_root() / folder).mkdir(parents=True, exist_ok=True)

    def save(img: Image.Image, path: str) -> int:
        buffer = io.BytesIO()
        options = {"quality": 85, "optimize": True} if kind in ("JPEG", "WEBP") else {}
        img.save(buffer, format=kind, **options)
        (uploads_root() / path).write_bytes(buffer.getvalue())
        return buffer.tell()

    path = f"{folder}/{name}.{ext}"
    size = save(image, path)
    variants = {}
    for width in VARIANT_WIDTHS:
        if width < image.width:
            height = round(image.height * width / image.width)
            variant_path = f"{folder}/{name}-{width}.{ext}"
            save(image.resize((width, height), Image.Resampling.LANCZOS), variant_path)
            variants[str(width)] = variant_path

    upload = Upload(
        path=path,
        original_name=original_name[:255],
        content_type=content_type,
        size_bytes=size,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(data).hexdigest(),
        variants=variants,
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(upload)
    return upload
