"""Static files under fingerprinted names: `css/site.3f2a9c1b7d0e.css`.

The name carries a hash of the file's content, so a browser or proxy may keep it for a
year (`immutable`), and a changed file gets a new name. A request with an outdated hash
(a page from before a deploy) still gets the current file, but only for revalidation.
Stylesheets are served minified under such names (blog/stylesheets.py): the hash is that of
the minified file, which nginx and Caddy serve from instance/minified/ as well.
"""

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, send_from_directory, url_for
from werkzeug.security import safe_join

from blog import stylesheets

ONE_YEAR = 365 * 24 * 3600
FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")


@lru_cache(maxsize=256)
def _file_digest(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def digest(path: Path) -> str | None:
    try:
        return _file_digest(str(path), path.stat().st_mtime_ns)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def served(filename: str) -> tuple[str, str] | None:
    """The folder that a static file's fingerprinted name is served from, and its digest:
    instance/minified/ for a stylesheet, static/ for anything else."""
    static = Path(current_app.static_folder)
    path = safe_join(str(static), filename)
    if path is None:
        return None
    if filename.endswith(".css") and Path(path).is_file():
        folder, version = stylesheets.publish(static, Path(current_app.instance_path), filename)
        return str(folder), version
    version = digest(Path(path))
    return None if version is None else (str(static), version)


def asset_url(filename: str) -> str:
    """The URL of a static file under its fingerprinted name."""
    found = served(filename)
    if found is None:
        return url_for("static", filename=filename)
    stem, dot, suffix = filename.rpartition(".")
    if not dot or "/" in suffix:
        return url_for("static", filename=filename)
    return url_for("static", filename=f"{stem}.{found[1]}.{suffix}")


def static_file(filename: str):
    """Flask's static view, taught to read fingerprinted names."""
    folder = current_app.static_folder
    match = FINGERPRINTED.match(filename)
    if match is None:
        return send_from_directory(folder, filename)
    original = match["stem"] + match["suffix"]
    found = served(original)
    if found is None:
        return send_from_directory(folder, filename)  # a 404, or a file really named so
    folder, current = found
    if current != match["digest"]:
        response = send_from_directory(folder, original)
        response.cache_control.no_cache = True
        return response
    response = send_from_directory(folder, original, max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def register(app: Flask) -> None:
    app.view_functions["static"] = static_file
