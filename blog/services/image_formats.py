"""WebP and AVIF copies of stored images, offered to browsers through <picture> sources.

Beside an upload's JPEG or PNG renditions Byline keeps the same widths in the formats
browsers decode into fewer bytes: AVIF (when this Pillow can write it) and WebP for a
JPEG, lossless WebP for a PNG (its exact pixels and transparency, which a lossy encoder
would blur). A GIF (it may be animated) and a WebP gets none. A format is kept only when
its files together are smaller than the renditions they stand beside.

They are recorded in the upload's `variants` under "<format>-<width>" keys (the JPEG or
PNG renditions keep their bare widths), so everything that walks an upload's files (the
check that an upload is whole, removing it) finds them too. `backfill` gives them to
uploads stored before Byline made them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, features
from sqlalchemy import select

from blog.extensions import db
from blog.models import Upload
from blog.models.uploads import MODERN_TYPES

CONTENT_TYPES = MODERN_TYPES
# What each stored kind gets, in that order, before checking what this Pillow can write.
FORMATS_FOR = {"JPEG": ("avif", "webp"), "PNG": ("webp",)}
# Lossy settings close to the JPEG renditions' quality 85; AVIF's speed 8 spends about a
# third of its default's time for files a few per cent larger.
WEBP_LOSSY = {"quality": 80, "method": 4}
WEBP_LOSSLESS = {"lossless": True, "quality": 80, "method": 4}
AVIF_LOSSY = {"quality": 60, "speed": 8}
PIL_NAMES = {"avif": "AVIF", "webp": "WEBP"}
BACKFILL_BATCH = 50


def writable() -> tuple[str, ...]:
    """The modern formats this Pillow can encode, in the order pages offer them."""
    return tuple(name for name in CONTENT_TYPES if features.check(name))


def formats_for(kind: str) -> tuple[str, ...]:
    """The modern formats an image stored as `kind` (a key of uploads.FORMATS) gets."""
    return tuple(name for name in FORMATS_FOR.get(kind, ()) if name in writable())


def key(name: str, width: int) -> str:
    return f"{name}-{width}"


def is_modern_key(variant: str) -> bool:
    return variant.split("-", 1)[0] in CONTENT_TYPES


def encode(name: str, image: Image.Image, kind: str, icc_profile: bytes | None) -> bytes:
    """One rendition in a modern format, with the colour profile and no other metadata."""
    options = dict(WEBP_LOSSLESS if kind == "PNG" else WEBP_LOSSY if name == "webp" else AVIF_LOSSY)
    if icc_profile:
        options["icc_profile"] = icc_profile
    copy = image.copy()
    copy.info = {}
    buffer = io.BytesIO()
    copy.save(buffer, format=PIL_NAMES[name], **options)
    return buffer.getvalue()


@dataclass
class Rendition:
    width: int
    image: Image.Image
    size_bytes: int | None  # of the JPEG or PNG file at this width (None: it is missing)


def modern_files(
    stem: str, kind: str, renditions: list[Rendition], icc_profile: bytes | None
) -> tuple[dict[str, bytes], dict[str, str]]:
    """The files to write ({path: data}) and the variants to record ({key: path}) for the
    renditions of one image; `stem` is its path without the extension ("2026/01/ab12")."""
    files: dict[str, bytes] = {}
    recorded: dict[str, str] = {}
    plain_bytes = sum(rendition.size_bytes or 0 for rendition in renditions)
    for name in formats_for(kind):
        made = {
            f"{stem}-{rendition.width}.{name}": (
                rendition.width,
                encode(name, rendition.image, kind, icc_profile),
            )
            for rendition in renditions
        }
        if made and sum(len(data) for _, data in made.values()) < plain_bytes:
            for path, (width, data) in made.items():
                files[path] = data
                recorded[key(name, width)] = path
    return files, recorded


def rendition_widths(width: int, variant_widths: tuple[int, ...]) -> list[int]:
    """The widths an image `width` pixels wide gets modern copies at: its renditions', and
    its own when it is no wider than the largest rendition (a larger original is offered
    only in its own format, as the last candidate of the <img>)."""
    widths = [each for each in variant_widths if each < width]
    if width <= variant_widths[-1]:
        widths.append(width)
    return widths


# ----- uploads stored before the modern formats -----


def wanting() -> Iterator[Upload]:
    """Uploads in a format that gets modern copies and holding none yet, oldest first,
    read in batches."""
    kinds = [content_type for content_type, kind in _stored_kinds() if formats_for(kind)]
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(Upload)
            .where(Upload.id > last_id, Upload.content_type.in_(kinds))
            .order_by(Upload.id)
            .limit(BACKFILL_BATCH)
        ).all()
        if not batch:
            return
        for upload in batch:
            last_id = upload.id
            if not any(is_modern_key(variant) for variant in upload.variants):
                yield upload


def _stored_kinds() -> list[tuple[str, str]]:
    from blog.services.uploads import FORMATS

    return [(content_type, kind) for kind, (content_type, _) in FORMATS.items()]


@dataclass
class BackfillResult:
    made: int = 0  # uploads that gained modern copies
    smaller_as_is: int = 0  # uploads no modern format would have made smaller
    missing: list[str] | None = None  # paths of uploads whose stored file is gone or unreadable


def backfill(
    root: Path, variant_widths: tuple[int, ...], limit: int | None = None
) -> BackfillResult:
    """Give modern copies to the uploads that lack them, committing each: safe to run
    again (an upload that has them is passed over) and to stop at any point."""
    from blog.services.upload_files import write_files
    from blog.services.uploads import NOT_STORED, UploadNotStored

    result = BackfillResult(missing=[])
    kinds = dict(_stored_kinds())
    for upload in wanting():
        if limit is not None and result.made + result.smaller_as_is >= limit:
            break
        try:
            with Image.open(root / upload.path) as stored:
                stored.load()
                image, icc_profile = stored.copy(), stored.info.get("icc_profile")
        except (OSError, ValueError, Image.DecompressionBombError):
            result.missing.append(upload.path)
            continue
        renditions = [
            Rendition(width, resized(image, width), _file_size(root / path))
            for width in rendition_widths(image.width, variant_widths)
            for path in [upload.variants.get(str(width), upload.path)]
        ]
        if any(rendition.size_bytes is None for rendition in renditions):
            result.missing.append(upload.path)
            continue
        stem = upload.path.rpartition(".")[0]
        files, recorded = modern_files(stem, kinds[upload.content_type], renditions, icc_profile)
        if not recorded:
            result.smaller_as_is += 1
            continue
        try:
            write_files(upload.path.rpartition("/")[0], files)
        except OSError as exc:
            db.session.rollback()
            raise UploadNotStored(NOT_STORED) from exc
        upload.variants = {**upload.variants, **recorded}
        db.session.commit()
        result.made += 1
    return result


def resized(image: Image.Image, width: int) -> Image.Image:
    """The image at `width`, its height in proportion (the image itself at its own width)."""
    if width == image.width:
        return image
    height = round(image.height * width / image.width)
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _file_size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
