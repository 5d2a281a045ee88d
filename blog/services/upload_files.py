"""The files of stored images under UPLOADS_DIR: written whole or not at all, removed
together."""

import contextlib
import os
import tempfile
from pathlib import Path

from flask import current_app

from blog.models import Upload


def uploads_root() -> Path:
    return Path(current_app.config["UPLOADS_DIR"])


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
    """Store every file or none: on an error (OSError) the ones already written are removed."""
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
        raise


def remove_files(upload: Upload) -> None:
    """Remove every file stored for an upload (its renditions and their WebP and AVIF
    copies); one already gone is no error."""
    root = uploads_root()
    for path in upload.stored_paths():
        with contextlib.suppress(OSError):
            (root / path).unlink()
