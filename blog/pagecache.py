"""The anonymous page cache: whole public pages, served without touching the database.

A view marked with @cached_page is kept for PAGE_CACHE_TTL seconds (60: share counts
may lag that long) in Flask-Caching's store: files in instance/page_cache/ by default,
shared by the server's workers, or Redis when REDIS_URL is set, so that every app server
shares it.

Invalidation is a generation: every entry records the generation it was rendered under,
and a commit that changes anything a public page shows starts a new one, so no older
entry is served again. What each table's changes reach (the whole site, one article's
discussion, no page) is declared by its model (blog/models/reach.py); a table that
declares nothing stops the app at start-up. The generation lives where every worker sees it:
in Redis with the pages, or otherwise in a file in instance/ whose identity (inode and
modification time) changes on each bump, read with one stat() per request.

What is never cached: requests that carry the session, remember-me or comment-ownership
cookie (signed-in staff, readers with their own pending comments), responses that set a
cookie or say private/no-store, and anything but a 200 HTML or XML page. Nor is a request
for the site under another address than its own: a prefix (SCRIPT_NAME) other than the
configured APPLICATION_ROOT, or, with SITE_URL set, another host. Its page's links start
there, so it is answered but never stored nor served from the cache.

An entry's key holds everything of the request a page's links and content are built
from: scheme, host, prefix, path and query string.

Each entry keeps the page's gzip and Brotli copies too (blog/compression.py), made once
when it is stored: a hit sends the reader's coding as it is, never compressing again.

With PAGE_FILES_DIR set, each stored page of the site's own address without a query
string is also written as a file that nginx or Caddy serve without reaching Python, and
retired with it (blog/pagefiles.py).

Cacheable pages also get HTTP validators: a content ETag and Last-Modified with 304
answers, `Cache-Control: no-cache` (browsers revalidate, so changes show at once) and
`Vary: Cookie`.
"""

import contextlib
import hashlib
import math
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_caching import Cache
from werkzeug.wrappers import Request

from blog import compression
from blog.pagechanges import SITE_GENERATION, article_generation, declarations, listen_for_changes
from blog.pagefiles import PageFiles, copy_name

CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/xml")
OWNERSHIP_COOKIE = "byline_comments"


def cached_page(view: Callable | None = None, *, article_arg: str | None = None):
    """Mark a public GET view whose page is the same for every anonymous reader.

    With article_arg, the page shows one article's discussion: it also depends on that
    article's own generation (named by the view argument holding its slug), which a
    change to its comments starts anew without retiring the rest of the site's pages.
    """

    def mark(view: Callable) -> Callable:
        view.page_cacheable = True
        view.page_cache_article_arg = article_arg
        return view

    return mark(view) if view is not None else mark


@dataclass
class Entry:
    generation: tuple  # of every generation the page depends on, when it was rendered
    created: int  # epoch seconds, the page's Last-Modified
    etag: str
    mimetype: str
    body: bytes
    encodings: dict[str, bytes] | None = None  # coding -> body (compression.variants)
    names: tuple[str, ...] = ()  # the generations' names, for a hit answered by name alone


class FileGenerations:
    """Generations shared by the workers of one server: the identity of small files,
    the site's at `path`, each article's in a folder beside it."""

    def __init__(self, path: Path):
        self.path = path
        self.folder = path.with_name(path.name + ".d")
        self.site_file, self.folder_name = str(path), str(self.folder)

    def file(self, name: str) -> Path:
        return self.path if name == SITE_GENERATION else self.folder / name.rsplit(":", 1)[1]

    def current(self, names: tuple[str, ...]) -> tuple:
        generations = []
        for name in names:
            try:
                # A plain string path: this runs on every hit, and Path joins cost more.
                stat = os.stat(
                    self.site_file
                    if name == SITE_GENERATION
                    else os.path.join(self.folder_name, name.rsplit(":", 1)[1])
                )
            except FileNotFoundError:
                generations.append(0)
            else:
                generations.append((stat.st_ino, stat.st_mtime_ns))
        return tuple(generations)

    def bump(self, name: str) -> None:
        # A new file renamed into place: a new inode, so even two bumps within the
        # clock's resolution give two generations.
        target = self.file(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
        temporary.write_text(uuid.uuid4().hex)
        os.replace(temporary, target)


class PageCache:
    def __init__(self, app: Flask):
        config = app.config
        self.ttl = int(config["PAGE_CACHE_TTL"])
        cache_config = {
            "CACHE_DEFAULT_TIMEOUT": self.ttl,
            "CACHE_KEY_PREFIX": config["PAGE_CACHE_PREFIX"],
        }
        if config.get("REDIS_URL"):
            # Generations live in Redis beside the pages: one MGET reads both.
            cache_config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=config["REDIS_URL"])
            self.files = None
        else:
            generation_file = Path(
                config.get("PAGE_CACHE_GENERATION_FILE")
                or Path(app.instance_path) / "page_cache_generation"
            )
            # Files beside the generation file: one copy of a page for all workers of the
            # server, kept across worker restarts.
            cache_config.update(
                CACHE_TYPE="FileSystemCache",
                CACHE_DIR=str(generation_file.with_name("page_cache")),
                CACHE_THRESHOLD=config["PAGE_CACHE_SIZE"],
            )
            self.files = FileGenerations(generation_file)
        self.store = Cache(app, config=cache_config)
        self.skip_cookies = {
            config.get("SESSION_COOKIE_NAME", "session"),
            config.get("REMEMBER_COOKIE_NAME", "remember_token"),
            OWNERSHIP_COOKIE,
        }
        # Where the site lives: links start at this prefix, and at this host if SITE_URL
        # names one (without it, every host a request names has its own entries).
        self.prefix = (config.get("APPLICATION_ROOT") or "/").rstrip("/")
        self.host = site_host(config.get("SITE_URL"))
        self.copies = None
        if config["PAGE_CACHE"] and config.get("PAGE_FILES_DIR") and self.host is not None:
            self.copies = PageFiles(Path(config["PAGE_FILES_DIR"]), self.ttl)
        self.held: set[str] | None = None  # bumps put off by holding()

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Bumps asked for inside are made once, on the way out (even on an error): a
        long run of commits, such as an import, starts one new generation, not one per
        commit. Its pages may lag until then, as they would by the TTL."""
        self.held = set()
        try:
            yield
        finally:
            names, self.held = self.held, None
            if names:
                self.bump([SITE_GENERATION] if SITE_GENERATION in names else sorted(names))

    def is_site_address(self, req: Request | None = None) -> bool:
        """The request (this one by default) names the site's own prefix and host, so the
        page's links do too."""
        req = request if req is None else req
        return req.script_root == self.prefix and (
            self.host is None or req.host.lower() == self.host
        )

    # ----- generations -----

    def bump(self, names: Iterable[str] = (SITE_GENERATION,)) -> None:
        """Start new generations: pages rendered under the old ones are not served again."""
        if self.held is not None:
            self.held.update(names)
            return
        names = list(names)
        for name in names:
            try:
                if self.files is not None:
                    self.files.bump(name)
                else:
                    self.store.cache.inc(name)
            except Exception:  # the store is down: pages may lag by the TTL, never fail
                current_app.logger.exception("page cache: could not start a new generation")
        if self.copies is not None:
            # After the generations: a copy rendered before them is retired here or by
            # its writer (blog/pagefiles.py).
            try:
                if SITE_GENERATION in names:
                    self.copies.retire_all()
                else:
                    self.copies.retire_articles(names)
            except OSError:
                current_app.logger.exception("page cache: could not retire page files")

    def generations(self, names: tuple[str, ...]) -> tuple:
        if self.files is not None:
            return self.files.current(names)
        return tuple(generation or 0 for generation in self.store.get_many(*names))

    def lookup(self, key: str, names: tuple[str, ...]) -> tuple[tuple, Entry | None]:
        """The current generations of names, and the entry stored under key, if any."""
        if self.files is not None:
            return self.files.current(names), self.store.get(key)
        *generations, entry = self.store.get_many(*names, key)
        return tuple(generation or 0 for generation in generations), entry

    # ----- requests -----

    def serve(self) -> Response | None:
        """Before the view: the stored page, or None after noting what to store."""
        view = current_app.view_functions.get(request.endpoint or "")
        if (
            request.method not in ("GET", "HEAD")
            or not getattr(view, "page_cacheable", False)
            or self.skip_cookies.intersection(request.cookies)
            or not self.is_site_address()
        ):
            return None
        names = (SITE_GENERATION,)
        if view.page_cache_article_arg:
            names += (article_generation(str(request.view_args[view.page_cache_article_arg])),)
        key = page_key()
        try:
            generation, entry = self.lookup(key, names)
        except Exception:
            current_app.logger.exception("page cache: store unreachable, serving uncached")
            return None
        if entry is not None and entry.generation == generation:
            response = Response(entry.body, mimetype=entry.mimetype)
            response.set_etag(entry.etag)
            response.last_modified = datetime.fromtimestamp(entry.created, UTC)
            response.headers["X-Cache"] = "hit"
            g.page_encodings = entry.encodings  # sent as they are (compression.encode)
            return response
        # Read before the view's first query, so a change committed while the page is
        # rendered leaves this copy under a generation that is already old.
        folder = None
        if self.copies is not None and not request.query_string:
            folder = self.copies.current_folder()  # after the generations, never before
        g.page_cache_slot = (key, names, generation, folder)
        return None

    def keep(self, response: Response) -> None:
        """After the view: store a page every anonymous reader may share, for the TTL or
        until something on it ends by itself (see changes_at)."""
        slot = g.pop("page_cache_slot", None)
        if slot is None:
            return
        key, names, generation, folder = slot
        timeout = self.ttl
        ends = g.pop("page_changes_at", None)
        if ends is not None:
            timeout = min(timeout, math.ceil((ends - datetime.now(UTC)).total_seconds()))
            if timeout <= 0:  # over already (0 would mean "forever" to the store)
                return
        response.headers["X-Cache"] = "miss"
        entry = Entry(
            generation=generation,
            created=int(response.last_modified.timestamp()),
            etag=response.get_etag()[0],
            mimetype=response.mimetype,
            body=response.get_data(),
            names=names,
        )
        entry.encodings = g.page_encodings = compression.variants(entry.body)
        try:
            self.store.set(key, entry, timeout=timeout)
        except Exception:
            current_app.logger.exception("page cache: could not store a page")
        else:
            if folder is not None:
                self.copy(entry, names, generation, folder, ends)

    def copy(self, entry: Entry, names: tuple, generation: tuple, folder: str, ends) -> None:
        """Write the page as a file for the proxy (blog/pagefiles.py)."""
        path = request.script_root + request.path
        name = copy_name(request.scheme, request.host, path, entry.mimetype)
        if name is None:
            return

        def unchanged() -> bool:
            return self.generations(names) == generation and self.copies.is_current(folder)

        try:
            self.copies.write(
                name,
                entry.body,
                compressed=(entry.encodings or {}).get("gzip"),
                folder=folder,
                article=names[1] if len(names) > 1 else None,
                ends=ends.timestamp() if ends is not None else None,
                unchanged=unchanged,
            )
        except Exception:  # a full disk: the page is served by Byline instead
            current_app.logger.exception("page cache: could not write a page file")


def changes_at(when: datetime | None) -> None:
    """The page being rendered changes by itself at `when` (a front-page pick or the
    breaking banner ends then): its cached copy is kept no longer than that."""
    if when is not None and has_request_context():
        earlier = g.get("page_changes_at")
        g.page_changes_at = when if earlier is None else min(earlier, when)


def site_host(site_url: str | None) -> str | None:
    """SITE_URL's host as request.host gives it: lower case, without the default port."""
    if not site_url:
        return None
    parts = urlsplit(site_url)
    default_port = {"http": ":80", "https": ":443"}[parts.scheme]
    return parts.netloc.lower().removesuffix(default_port)


def page_key(req: Request | None = None) -> str:
    """The entry's key for a request (this one by default)."""
    req = request if req is None else req
    # A tuple's repr: no two requests' parts run together into one address.
    address = repr((req.scheme, req.host, req.script_root, req.full_path))
    return "page:" + hashlib.blake2b(address.encode(), digest_size=16).hexdigest()


def is_shareable(response: Response) -> bool:
    cache_control = response.cache_control
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and response.mimetype in CACHEABLE_TYPES
        and "Set-Cookie" not in response.headers
        and not (cache_control.private or cache_control.no_store)
    )


def finish(response: Response) -> Response:
    """After every request: validators on a cacheable page, store it, answer 304s."""
    view = current_app.view_functions.get(request.endpoint or "")
    if (
        not getattr(view, "page_cacheable", False)
        or not is_shareable(response)
        # The session's cookie is added after this hook: a page that wrote to the
        # session (a flash message) would otherwise be stored without it.
        or current_app.session_interface.should_set_cookie(current_app, session)
    ):
        g.pop("page_cache_slot", None)
        return response
    headers = response.headers
    if "ETag" not in headers:
        response.add_etag()
    if "Last-Modified" not in headers:
        response.last_modified = datetime.now(UTC).replace(microsecond=0)
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    cache = current_app.extensions.get("byline_page_cache")
    if cache is not None:
        cache.keep(response)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Call before the other extensions: a hit then skips their request hooks."""
    declarations()  # a table that declares no reach stops the app here
    app.after_request(finish)
    # Its store and generations serve the fragments too (blog/fragments.py), which work
    # with the page cache off.
    if not (app.config["PAGE_CACHE"] or app.config["FRAGMENT_CACHE"]):
        return
    cache = PageCache(app)
    app.extensions["byline_page_cache"] = cache
    if app.config["PAGE_CACHE"]:
        app.before_request(cache.serve)
    listen_for_changes()


def start_sweeping(app: Flask) -> None:
    """In a process that serves (a gunicorn worker, the job worker): sweep the page files
    while it runs (blog/pagefiles.py). Commands run by hand do not."""
    cache = app.extensions.get("byline_page_cache")
    if cache is not None and cache.copies is not None:
        cache.copies.start_sweeping(app.logger.warning)
