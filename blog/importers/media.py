"""Images of an export: found in the copy of the old uploads folder, stored like an upload.

An image's old address names its file: WordPress's ".../wp-content/uploads/2024/05/a.jpg"
and Ghost's ".../content/images/2024/05/a.jpg" (a resized copy, "-300x200.jpg" or
"/size/w600/", falls back to its original). The file goes through the same checks and
renditions as an editor's upload; the same picture is stored once (by its checksum).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from sqlalchemy import select

from blog.extensions import db
from blog.importers.records import Image
from blog.models import Upload
from blog.services import upload_files, uploads

if TYPE_CHECKING:
    from blog.importers.loader import Loader

# Where each platform keeps uploads, in an image's old address.
MARKERS = {"wordpress": "/wp-content/uploads/", "ghost": "/content/images/"}
# WordPress's resized copies ("photo-300x200.jpg") and Ghost's ("size/w600/format/webp/").
WP_SIZE = re.compile(r"-\d{1,5}x\d{1,5}(?=\.[A-Za-z0-9]{1,5}$)")
GHOST_SIZE = re.compile(r"^(?:size/[A-Za-z0-9_-]{1,40}/)?(?:format/[a-z0-9]{1,10}/)?")


class ImageFiles:
    """Where an image's file is in the copy of the old uploads folder (no database, so a
    worker process can ask too)."""

    def __init__(self, platform: str, folder: Path | None):
        self.platform = platform
        self.folder = folder.resolve() if folder is not None else None

    def relative_path(self, url: str) -> str | None:
        """The file's path under the uploads copy, from its old address (None for an
        address that names none, or that is not an address at all)."""
        try:
            path = unquote(urlsplit(url.strip()).path, errors="replace")
        except ValueError:  # "http://[x/...": not an address
            return None
        marker = MARKERS[self.platform]
        at = path.find(marker)
        if at < 0:
            return None
        rest = path[at + len(marker) :]
        if self.platform == "ghost":
            rest = GHOST_SIZE.sub("", rest, count=1)
        parts = PurePosixPath(rest).parts
        if not parts or any(part in ("..", ".") or "\x00" in part for part in parts):
            return None
        return "/".join(parts)

    def candidates(self, relative: str) -> list[str]:
        """The original first, then the copy the post named."""
        original = WP_SIZE.sub("", relative, count=1) if self.platform == "wordpress" else ""
        return [original, relative] if original and original != relative else [relative]

    def find_file(self, relative: str) -> Path | None:
        if self.folder is None:
            return None
        for candidate in self.candidates(relative):
            try:
                path = (self.folder / candidate).resolve()
                if path.is_relative_to(self.folder) and path.is_file():
                    return path
            except (OSError, ValueError):  # a name too long for the file system, say
                continue
        return None


class Media(ImageFiles):
    """Stores the images an import refers to and answers their new addresses."""

    def __init__(self, loader: Loader, folder: Path | None):
        super().__init__(loader.site.platform, folder)
        self.loader = loader
        self.report = loader.report
        self._stored: dict[str, Upload | None] = {}  # relative path -> upload, this run
        self.used: set[str] = set()  # the files items asked for (originals' paths)
        # What the item being written added, undone if it is rolled back.
        self._item_used: set[str] = set()
        self._item_uploads: list[Upload] = []
        self._item_new: set[str] = set()
        self.new: set[str] = set()  # the files this run stored (originals' paths)

    def store(self, image: Image | None, where: str) -> Upload | None:
        """The stored upload for this image, or None (the report says why)."""
        if image is None or not image.url.strip():
            return None
        relative = self.relative_path(image.url)
        if relative is None:
            self.report.problem("image", where, f"not from the old uploads folder: {image.url}")
            return None
        original = self.candidates(relative)[0]
        if original not in self.used:
            self.used.add(original)
            self._item_used.add(original)
        if original in self._stored:  # a resized copy and its original are one image
            return self._stored[original]
        upload = self._store_file(relative, image.url, where)
        self._stored[original] = upload
        return upload

    @staticmethod
    def source_id(relative: str) -> str:
        """An image's ImportedItem id: its path, or a digest of a path too long to keep."""
        return relative if len(relative) <= 100 else hashlib.sha256(relative.encode()).hexdigest()

    def _store_file(self, relative: str, url: str, where: str) -> Upload | None:
        source_id = self.source_id(self.candidates(relative)[0])
        known_id = self.loader.imported("image", source_id)
        known = db.session.get(Upload, known_id) if known_id else None
        if known is not None:
            self.report.count("image", "unchanged")
            return known
        upload = self._read_and_store(relative, where)
        if upload is not None:
            self.loader.remember("image", source_id, upload.id)
            self._item_new.add(self.candidates(relative)[0])
        return upload

    def _read_and_store(self, relative: str, where: str) -> Upload | None:
        path = self.find_file(relative)
        if path is None:
            folder = "no uploads folder given" if self.folder is None else "file missing"
            self.report.problem("image", where, f"{folder}: {relative}")
            return None
        try:
            with path.open("rb") as file:
                data = file.read(uploads.MAX_BYTES + 1)
        except OSError as error:
            self.report.problem("image", where, f"cannot read {relative}: {error.strerror}")
            return None
        if len(data) > uploads.MAX_BYTES:
            self.report.problem("image", where, f"larger than 10 MB: {relative}")
            return None
        digest = hashlib.sha256(data).hexdigest()
        known = db.session.scalar(select(Upload).where(Upload.sha256 == digest).limit(1))
        if known is not None:
            self.report.count("image", "unchanged")
            return known
        try:
            upload = uploads.store_image(data, PurePosixPath(relative).name)
        except uploads.UploadRejected as error:
            self.report.problem("image", where, f"{relative}: {error.message}")
            return None
        db.session.flush()
        self._item_uploads.append(upload)
        self.report.count("image", "imported")
        return upload

    def address(self, image: Image, where: str) -> str | None:
        """The image's address on this site (for a body), or None."""
        upload = self.store(image, where)
        return f"/uploads/{upload.path}" if upload is not None else None

    def outcome(self, image: Image) -> tuple[str, str]:
        """What became of an attachment: "imported" by this run, "unchanged" (an earlier
        run brought it in), or "skipped" and why."""
        relative = self.relative_path(image.url)
        original = self.candidates(relative)[0] if relative is not None else None
        if original in self.new:
            return "imported", ""
        if original is not None and self.loader.imported("image", self.source_id(original)):
            return "unchanged", ""
        if original in self.used:
            return "skipped", "its file is missing or not an image"
        return "skipped", "not used by any imported post"

    def settle(self) -> None:
        """The item was written: what it stored stays."""
        self.new |= self._item_new
        self._item_new.clear()
        self._item_used.clear()
        self._item_uploads.clear()

    def forget(self) -> None:
        """After a rolled-back item: remove the files it stored (their rows are gone) and
        trust nothing cached."""
        for upload in self._item_uploads:
            upload_files.remove_files(upload)
        self.used -= self._item_used
        self._item_new.clear()
        self.settle()
        self._stored.clear()
