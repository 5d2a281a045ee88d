"""Copies of cached pages as files, which nginx or Caddy serve without reaching Python.

With PAGE_FILES_DIR set (and SITE_URL, whose host is the only one copied), every page
the page cache stores (blog/pagecache.py) for a request without a query string is also
written here, plain and gzip-compressed, for the proxy's try_files and gzip_static
(deploy/nginx.conf, deploy/Caddyfile). The proxy serves a copy only to a GET or HEAD
without a query string and without Byline's session, remember-me or comment-ownership
cookie; everything else, and every page without a copy, goes to Byline as before.

Layout:

    PAGE_FILES_DIR/current -> g-<unique>          a relative symbolic link
    g-<unique>/<scheme>/<host><path>.html         text/html (.atom feeds, .xml the sitemap)
    g-<unique>/<scheme>/<host><path>.html.gz      the same bytes, gzip-compressed
    g-<unique>/.articles/<article generation>/    one note per copy of its discussion
    g-<unique>/.expiring/<end>-<hash>             a note per copy that ends before the TTL

The front page `/` is `<scheme>/<host>/.html`: the file name is the path plus a suffix,
so `/a` and `/a/` never share a copy.

A copy is retired at once, inside the request whose commit changes what it shows:

- a change to the whole site points `current` at a new, empty folder (one rename, so the
  proxy sees every old copy gone together); the sweep removes the old folder;
- a change to one article's discussion unlinks the copies listed for that article;
- by time: a sweep in each app process (one at a time, under a lock) unlinks, every
  second, the copies past the end a page named with pagecache.changes_at (a front-page
  pick, the breaking banner), and every few seconds those older than PAGE_CACHE_TTL
  (share counts).

If a new folder cannot be made (a full disk), `current` is removed instead, and the
proxy passes every request to Byline until one can.

Races: a copy is written into the folder `current` named when the request began, and only
while it still does; after writing, the generations and `current` are read again, and
the copy is unlinked if either moved. A change bumps its generation before it retires
copies, so a copy rendered before a change is either unlinked by its writer or retired
by the change. Without Byline running, the proxy keeps serving the copies it has.
"""

import contextlib
import fcntl
import gzip
import hashlib
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

SUFFIXES = {
    "text/html": ".html",
    "application/atom+xml": ".atom",
    "application/xml": ".xml",
    "text/xml": ".xml",
}
CURRENT = "current"
ARTICLES = ".articles"
EXPIRING = ".expiring"
TEMPORARY = ".tmp-"  # files being written; never a copy's name
ENDS_EVERY = 1  # seconds between sweeps of copies past their end, in each app process
SWEEP_EVERY = 5  # seconds between sweeps of old copies and folders, on each server
RETIRED_AFTER = 60  # seconds before a folder `current` no longer names is removed
# What a copy's name may hold: plain segments that never start with a dot, no longer
# than a file name may be once the suffixes are added.
SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,199}")
HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,252})(?::[0-9]{1,5})?")
MAX_PATH = 1024


def copy_name(scheme: str, host: str, path: str, mimetype: str) -> str | None:
    """Where the copy of this address lives inside a generation folder, or None when it
    gets no copy (an unusual address or type)."""
    suffix = SUFFIXES.get(mimetype)
    if suffix is None or scheme not in ("http", "https") or not HOST.fullmatch(host):
        return None
    if not path.startswith("/") or len(path) > MAX_PATH:
        return None
    segments = path[1:].split("/")
    if segments[-1] == "":  # "/" or a path ending in "/": the file is ".html" inside it
        segments.pop()
    if not all(SEGMENT.fullmatch(segment) for segment in segments):
        return None
    return f"{scheme}/{host}{path}{suffix}"


class PageFiles:
    def __init__(self, root: Path, ttl: int):
        self.root = root
        self.ttl = ttl
        self.current = root / CURRENT
        self.sweeper: tuple[int, threading.Thread] | None = None

    # ----- the current folder -----

    def current_folder(self) -> str | None:
        """The name `current` points at, making one (empty) if there is none yet."""
        try:
            return os.readlink(self.current)
        except FileNotFoundError:
            pass
        except OSError:
            return None  # the folder is unreadable or not a link: no copies
        try:
            name = self._new_folder()
            with contextlib.suppress(FileExistsError):  # another process was first
                os.symlink(name, self.current)
            return os.readlink(self.current)
        except OSError:  # a folder Byline cannot write (`flask check` says so): no copies
            return None

    def is_current(self, folder: str) -> bool:
        try:
            return os.readlink(self.current) == folder
        except OSError:
            return False

    def _new_folder(self) -> str:
        name = f"g-{time.time_ns():x}-{uuid.uuid4().hex[:8]}"
        (self.root / name).mkdir(parents=True)
        return name

    def retire_all(self) -> None:
        """Every copy goes at once: `current` points at a new, empty folder, or is
        removed (which needs no free space) when no folder can be made."""
        try:
            old = self.current_folder()
            name = self._new_folder()
            link = self.root / f"{TEMPORARY}{CURRENT}.{uuid.uuid4().hex}"
            os.symlink(name, link)
            os.replace(link, self.current)
            if old is not None:  # removed a minute from now (sweep), not at once
                with contextlib.suppress(FileNotFoundError):
                    os.utime(self.root / old)
        except OSError:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.current)
            raise

    def retire_articles(self, names: Iterable[str]) -> None:
        """Unlink the copies showing these articles' discussions (by generation name)."""
        current = self.current_folder()
        if current is None:
            return
        folder = self.root / current
        # Writers in the middle of putting a copy in place finish first (see write).
        with self._locked(folder, fcntl.LOCK_EX):
            for name in names:
                for note, copy in self._notes(folder / ARTICLES / name.rsplit(":", 1)[-1]):
                    self._unlink(folder / copy)
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(note)

    @staticmethod
    def _notes(listing: Path) -> list[tuple[str, str]]:
        """(note, copy name) for each note in a listing folder."""
        found = []
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            for entry in os.scandir(listing):
                if not entry.name.startswith(TEMPORARY):
                    with contextlib.suppress(FileNotFoundError):
                        found.append((entry.path, Path(entry.path).read_text()))
        return found

    @staticmethod
    def _unlink(path: Path) -> None:
        # The plain copy first: the proxy looks for it before the compressed one.
        for each in (path, path.with_name(path.name + ".gz")):
            with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
                each.unlink()

    # ----- writing -----

    def write(
        self,
        name: str,
        body: bytes,
        *,
        compressed: bytes | None = None,
        folder: str,
        article: str | None,
        ends: float | None,
        unchanged: Callable[[], bool],
    ) -> bool:
        """Write the copy `name` into `folder` (the one `current` named when the request
        began, see current_folder) if it is still current; unlink it again unless
        unchanged() says the page's generations and `current` have not moved. compressed is
        the body gzip-compressed already (the page cache keeps it), else it is made here."""
        if not self.is_current(folder):
            return False
        base = self.root / folder
        path = base / name
        plain = path.with_name(f"{TEMPORARY}{path.name}.{uuid.uuid4().hex}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # The compressed copy first: the proxy sends it only once the plain one exists.
            if compressed is None:
                compressed = gzip.compress(body, compresslevel=9, mtime=0)
            self._replace(path.with_name(path.name + ".gz"), compressed)
            plain.write_bytes(body)
            # Noted, checked, then put in place, while no article's copies are being
            # retired (retire_articles): a copy is never visible once its page changed.
            with self._locked(base, fcntl.LOCK_SH if article else None):
                if article is not None:
                    self._note(base / ARTICLES / article.rsplit(":", 1)[-1], name)
                if ends is not None and ends < time.time() + self.ttl:
                    self._note(base / EXPIRING, name, prefix=f"{ends:.3f}-")
                kept = self._unchanged(unchanged)
                if kept:
                    os.replace(plain, path)
        except (NotADirectoryError, IsADirectoryError, FileExistsError):
            self._unlink(path)  # "/a" has a copy where "/a.html/b" needs a folder
            return False
        except BaseException:  # a copy that could not be noted or checked is not left
            self._unlink(path)
            raise
        finally:
            with contextlib.suppress(FileNotFoundError):
                plain.unlink()
        if not kept:
            self._unlink(path)
        return kept

    @staticmethod
    @contextlib.contextmanager
    def _locked(folder: Path, mode: int | None) -> Iterator[None]:
        """A lock on the copies of one generation folder: shared by writers, exclusive
        for retiring an article's copies (mode None: no lock)."""
        if mode is None:
            yield
            return
        (folder / ARTICLES).mkdir(parents=True, exist_ok=True)
        with open(folder / ARTICLES / ".lock", "a") as lock:
            fcntl.flock(lock, mode)
            yield

    @staticmethod
    def _unchanged(unchanged: Callable[[], bool]) -> bool:
        try:
            return unchanged()
        except Exception:  # the generations cannot be read: count them as moved
            return False

    @staticmethod
    def _replace(path: Path, data: bytes) -> None:
        temporary = path.with_name(f"{TEMPORARY}{path.name}.{uuid.uuid4().hex}")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()

    @classmethod
    def _note(cls, listing: Path, name: str, prefix: str = "") -> None:
        """A note naming the copy, one per copy (and end): written whole, by rename."""
        digest = hashlib.blake2b(name.encode(), digest_size=12).hexdigest()
        note = listing / f"{prefix}{digest}"
        if not note.exists():
            listing.mkdir(parents=True, exist_ok=True)
            cls._replace(note, name.encode())

    # ----- the sweep -----

    def sweep(self, now: float | None = None) -> int:
        """Remove copies past their end and, every SWEEP_EVERY seconds on this server,
        copies older than the TTL and retired folders; the number of copies removed.
        Skipped while another process sweeps."""
        now = time.time() if now is None else now
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".sweep.lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0
            current = self.current_folder()
            if current is None:
                return 0
            folder = self.root / current
            removed = self._sweep_ended(folder, now)
            # Each process tries every second; together they walk the folder about every
            # SWEEP_EVERY seconds, not once each.
            swept = self.root / ".swept"
            with contextlib.suppress(FileNotFoundError):
                if 0 <= now - swept.stat().st_mtime < SWEEP_EVERY - 1:
                    return removed
            swept.touch()
            os.utime(swept, (now, now))
            for entry in os.scandir(self.root):
                # Not one made a moment ago, which `current` is about to name.
                if entry.name.startswith("g-") and entry.name != current:
                    with contextlib.suppress(FileNotFoundError):
                        if entry.stat(follow_symlinks=False).st_mtime < now - RETIRED_AFTER:
                            shutil.rmtree(entry.path, ignore_errors=True)
            return removed + self._sweep_old(folder, now)

    def _sweep_ended(self, folder: Path, now: float) -> int:
        removed = 0
        for note, copy in self._notes(folder / EXPIRING):
            if float(Path(note).name.split("-", 1)[0]) <= now:
                self._unlink(folder / copy)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(note)
                removed += 1
        return removed

    def _sweep_old(self, folder: Path, now: float) -> int:
        removed = 0
        for top, folders, files in os.walk(folder):
            if top == str(folder):  # not the notes
                folders[:] = [name for name in folders if name not in (ARTICLES, EXPIRING)]
            for file in files:
                if file.endswith(".gz"):
                    continue  # goes with its plain copy
                path = Path(top) / file
                with contextlib.suppress(FileNotFoundError):
                    if path.stat().st_mtime + self.ttl <= now:
                        if file.startswith(TEMPORARY):  # left by a process that stopped
                            path.unlink()
                        else:
                            self._unlink(path)
                            removed += 1
        return removed

    def start_sweeping(self, log: Callable[[str], None]) -> None:
        """A sweep every second in this process, for as long as it runs."""
        if self.sweeper is not None and self.sweeper[0] == os.getpid():
            return

        def run() -> None:
            said = None
            while True:
                time.sleep(ENDS_EVERY)
                try:
                    self.sweep()
                    said = None
                except Exception as exc:  # a full disk: try again, say it once
                    if repr(exc) != said:
                        said = repr(exc)
                        log(f"page files: sweep failed: {said}")

        thread = threading.Thread(target=run, name="byline-page-files", daemon=True)
        self.sweeper = (os.getpid(), thread)
        thread.start()
