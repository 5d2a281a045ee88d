"""Stylesheets as served: a file of static/css/ with the stylesheets it imports written in
its place, minified, and kept in instance/minified/ where nginx and Caddy find it too.

The hand-written files stay the source, and work as they are (the browser follows their
`@import "site.css";`). A page family links one file: site.css for the public site,
editor-base.css for the pages signed-out staff see (sign-in, password reset, invitation),
editor.css for the rest of the editor; each imports the one before, so every rule is
written once.
"""

import hashlib
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import rcssmin

FOLDER = "minified"  # in the instance folder, beside the page files
# Only a stylesheet beside the importing one, named plainly: never a URL or a media query.
IMPORT = re.compile(r'@import\s+"(?P<name>[\w-]+\.css)"\s*;')


class StylesheetError(Exception):
    """A stylesheet imports one that is missing, or itself."""


@lru_cache(maxsize=64)
def _imported(path: str, mtime_ns: int) -> tuple[str, ...]:
    return tuple(match["name"] for match in IMPORT.finditer(Path(path).read_text("utf-8")))


def _stamps(path: Path, seen: tuple[Path, ...] = ()) -> tuple[tuple[str, int], ...]:
    """The files the stylesheet is made of, each with its modification time."""
    if path in seen:
        raise StylesheetError(f"{path.name} imports itself")
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise StylesheetError(f"{path.name} is missing") from None
    stamps = [(str(path), mtime)]
    for name in _imported(str(path), mtime):
        stamps.extend(_stamps(path.with_name(name), (*seen, path)))
    return tuple(stamps)


def _inlined(path: Path) -> str:
    return IMPORT.sub(
        lambda match: _inlined(path.with_name(match["name"])), path.read_text("utf-8")
    )


@lru_cache(maxsize=64)
def _built(stamps: tuple[tuple[str, int], ...]) -> tuple[bytes, str]:
    data = rcssmin.cssmin(_inlined(Path(stamps[0][0]))).encode()
    return data, hashlib.sha256(data).hexdigest()[:12]


def build(source: Path) -> tuple[bytes, str]:
    """The stylesheet as served, and the 12 hex digits of its hash."""
    return _built(_stamps(source))


def _write(target: Path, data: bytes) -> None:
    """Whole or not at all: gunicorn's workers and the proxy may read it meanwhile."""
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@lru_cache(maxsize=64)
def _published(target: str, digest: str, data: bytes) -> None:
    _write(Path(target), data)


def publish(static_folder: Path, instance_folder: Path, filename: str) -> tuple[Path, str]:
    """Build static/<filename> into instance/minified/<filename> unless it is there already;
    the folder it is served from and the digest of what it holds."""
    data, digest = build(static_folder / filename)
    folder = instance_folder / FOLDER
    target = folder / filename
    _published(str(target), digest, data)
    if not target.is_file():  # removed since: written again
        _write(target, data)
    return folder, digest
