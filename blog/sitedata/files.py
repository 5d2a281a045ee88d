"""Checksums, manifests and the uploads folder for exports and backups."""

import hashlib
import json
import os
import shutil
import stat
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from blog.sitedata import SiteDataError

CHUNK = 1024 * 1024
MANIFEST = "manifest.json"


def byline_version() -> str:
    try:
        return metadata.version("byline")
    except metadata.PackageNotFoundError:
        return "unknown"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_hashed(source: Path, target: Path) -> str:
    """Copy a file and return the sha256 of the bytes written (read once, so what was
    hashed is exactly what was copied)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    shutil.copystat(source, target)
    return digest.hexdigest()


def list_files(root: Path) -> list[str]:
    """Every regular file under root as a sorted relative POSIX path (symlinks are not
    followed: the uploads folder holds only files Byline wrote)."""
    if not root.is_dir():
        return []
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def has_files(root: Path) -> bool:
    return bool(list_files(root))


def private_dir_beside(path: Path, purpose: str) -> Path:
    """A new hidden working folder next to `path`, on the same file system as a rule, so
    moving its contents into place is a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{path.name}.{purpose}-", dir=path.parent))


def safe_relative(name: str) -> PurePosixPath:
    """A manifest path, refused unless it stays inside the folder it names a file of."""
    relative = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or relative.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise SiteDataError(f"The manifest names an unsafe path: {name!r}.")
    return relative


def refuse_links(folder: Path, what: str) -> None:
    """Refuse a folder holding anything but plain folders and files: a symbolic link (to a
    folder or a file, inside the folder or out), a device, a pipe or a socket. Nothing is
    followed; the folder itself may be reached through a link its owner made."""

    def unreadable(exc: OSError) -> None:
        raise exc

    for parent, folders, names in os.walk(folder, onerror=unreadable):
        for name in sorted(folders + names):
            path = Path(parent, name)
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
                continue
            kind = "a symbolic link" if stat.S_ISLNK(mode) else "a device, pipe or socket"
            raise SiteDataError(
                f"The {what} holds {kind}, which Byline does not follow: "
                f"{path.relative_to(folder).as_posix()} (replace it with the files themselves)."
            )


def read_manifest(folder: Path, kind: str, what: str) -> dict:
    """The manifest of a backup or export folder, checked for its format marker."""
    path = folder / MANIFEST
    if not path.is_file():
        raise SiteDataError(f"{folder} is not a Byline {what}: it has no {MANIFEST}.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SiteDataError(f"The {what}'s {MANIFEST} is damaged ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != kind:
        raise SiteDataError(f"{folder} is not a Byline {what} ({MANIFEST} says otherwise).")
    if not isinstance(manifest.get("files"), dict):
        raise SiteDataError(f"The {what}'s {MANIFEST} lists no files.")
    return manifest


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def verify_tree(folder: Path, files: dict, what: str) -> None:
    """Every file the manifest lists is present with its size and sha256, and the folder
    holds nothing else: a damaged, incomplete or added-to copy is refused."""
    for name, expected in files.items():
        path = folder / safe_relative(name)
        if not isinstance(expected, dict) or set(expected) != {"sha256", "size"}:
            raise SiteDataError(f"The {what}'s manifest entry for {name} is damaged.")
        if not path.is_file() or path.is_symlink():
            raise SiteDataError(f"The {what} is incomplete: {name} is missing.")
        if path.stat().st_size != expected["size"] or sha256_file(path) != expected["sha256"]:
            raise SiteDataError(f"The {what} is damaged: {name} does not match its checksum.")
    extra = set(list_files(folder)) - set(files) - {MANIFEST}
    if extra:
        raise SiteDataError(
            f"The {what} holds a file its manifest does not list: {sorted(extra)[0]}."
        )


def file_entry(path: Path, digest: str | None = None) -> dict:
    return {"sha256": digest or sha256_file(path), "size": path.stat().st_size}


class FolderSwap:
    """Replace the contents of `live` with those of `staged`, undoably until finish().

    Entries are moved, not the folder itself, so `live` may be a mount point.
    """

    def __init__(self, live: Path, staged: Path):
        self.live = live
        self.staged = staged
        self.aside: Path | None = None
        self.moved_out: list[str] = []
        self.moved_in: list[str] = []

    def apply(self) -> None:
        self.live.mkdir(parents=True, exist_ok=True)
        self.aside = private_dir_beside(self.live, "previous")
        for entry in sorted(self.live.iterdir()):
            shutil.move(entry, self.aside / entry.name)
            self.moved_out.append(entry.name)
        for entry in sorted(self.staged.iterdir()):
            shutil.move(entry, self.live / entry.name)
            self.moved_in.append(entry.name)

    def undo(self) -> None:
        for name in reversed(self.moved_in):
            shutil.move(self.live / name, self.staged / name)
        for name in reversed(self.moved_out):
            shutil.move(self.aside / name, self.live / name)
        self.moved_in, self.moved_out = [], []
        self.discard()

    def finish(self) -> None:
        """The swap stands: the previous contents are deleted."""
        self.discard()

    def discard(self) -> None:
        if self.aside is not None:
            shutil.rmtree(self.aside, ignore_errors=True)
            self.aside = None
