"""The pixel size of each of Byline's stored files an article body shows, from its upload.

An image in a body names one file of an upload: the original, or a rendition or a WebP or
AVIF copy ("2026/01/ab12cd-1600.jpg", "2026/01/ab12cd-800.webp"), all named after the
original with the width before the extension. One query finds the uploads behind every
file of a body; blog/rendering.py writes their sizes into its <img> tags.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from blog.extensions import db
from blog.models import Upload

# A rendition's name: the original's stem, "-" and its width, then an extension.
_RENDITION = re.compile(r"^(?P<stem>.+)-(?P<width>\d+)\.[a-z]+$")


def _original_stems(path: str) -> set[str]:
    """The stems the upload's own path may start with: the file's own, and for a
    rendition's name the original's."""
    stems = {path.rpartition(".")[0]}
    if match := _RENDITION.match(path):
        stems.add(match["stem"])
    return stems


def _file_sizes(upload: Upload) -> dict[str, tuple[int, int]]:
    """Every file of the upload with its width and height."""
    width, height = upload.width, upload.height
    if not width or not height:
        return {}
    sizes = {upload.path: (width, height)}
    for variant, path in upload.variants.items():
        named = variant.rpartition("-")[2]
        if named.isdigit():
            shown = int(named)
            sizes[path] = (shown, round(height * shown / width))
    return sizes


def sizes_of(paths: set[str]) -> dict[str, tuple[int, int]]:
    """{path: (width, height)} for each of `paths` (relative to the uploads folder) that is
    a stored file of an upload, in one query. An upload added in this session but not yet
    written (an import's images) counts too, and nothing is flushed to find it."""
    if not paths:
        return {}
    stems = set().union(*(_original_stems(path) for path in paths))
    candidates = [
        f"{stem}.{extension}" for stem in stems for extension in ("jpg", "png", "webp", "gif")
    ]
    with db.session.no_autoflush:
        uploads = list(db.session.scalars(select(Upload).where(Upload.path.in_(candidates))))
    uploads += [
        pending
        for pending in db.session.new
        if isinstance(pending, Upload) and pending.path.rpartition(".")[0] in stems
    ]
    found: dict[str, tuple[int, int]] = {}
    for upload in uploads:
        found |= {path: size for path, size in _file_sizes(upload).items() if path in paths}
    return found
