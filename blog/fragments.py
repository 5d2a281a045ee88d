"""Rendered parts of public pages, kept between requests (setting FRAGMENT_CACHE, on by
default).

The page cache (blog/pagecache.py) answers whole pages to anonymous readers. Everyone
else renders: a signed-in editor, a reader with their own comment awaiting moderation, a
page with a query string, the first reader after a change, and every reader when the page
cache is off. A fragment keeps a part of such a page that every reader sees alike (an
article's story, its comment thread, related stories, a card) so that it is rendered once,
not once per request.

Fragments live in the page cache's store (files shared by a server's workers, or Redis,
shared by every server) and follow the page's own rules:

- Each is stored with the generations its page depends on (the site's and, on an
  article's page, the article's) and is used only while they are current, so any commit
  that would retire the page retires its fragments.
- Those generations are read when the request starts, before the view's first query,
  as the page cache reads them: a change committed while a fragment renders leaves it
  under a generation that is already old.
- A fragment lasts PAGE_CACHE_TTL at most, so what changes without a commit (a share
  count, comments closing after N days) is never staler than a cached page could be; a
  page rendered from a fragment is cached no longer than the fragment lasts.
- They have a store of their own beside the pages' (FRAGMENT_CACHE_SIZE files in
  fragment_cache/, or the same Redis), so they never push pages out of the page cache.
- Only the site's own address keeps them (a forged Host header stores nothing), and a
  page rendered while the database fails (an error page's fallback menus) keeps none.
  One that changes by itself earlier (the front page when an editor's pick ends) is
  kept `until` then, and a page that shows it is cached no longer (pagecache.changes_at).
- Only GET and HEAD requests to page-cacheable views use them; anything else renders
  everything, as before. A fragment holds nothing that depends on who is reading: the
  parts that do (forms and their tokens, a reader's own comments, the staff form) stay
  outside, rendered each time.
- When the store fails, the part is rendered, as if it were missing.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from flask_caching import Cache
from markupsafe import Markup

from blog import pagecache
from blog.pagechanges import SITE_GENERATION, article_generation

_MISSING = object()


def init_app(app: Flask) -> None:
    """After blog.pagecache.init_app: fragments use its generations, and its Redis or a
    folder of files beside its own."""
    app.jinja_env.globals["fragment"] = fragment
    cache = app.extensions.get("byline_page_cache")
    if not app.config["FRAGMENT_CACHE"] or cache is None:
        return
    if cache.files is None:
        store = cache.store
    else:
        store = Cache(
            app,
            config={
                "CACHE_TYPE": "FileSystemCache",
                "CACHE_DIR": str(cache.files.path.with_name("fragment_cache")),
                "CACHE_THRESHOLD": app.config["FRAGMENT_CACHE_SIZE"],
                "CACHE_DEFAULT_TIMEOUT": cache.ttl,
            },
        )
    app.extensions["byline_fragments"] = store
    app.before_request(note_generations)


def note_generations() -> None:
    """Before the view: the generations this page's fragments will be kept under."""
    view = current_app.view_functions.get(request.endpoint or "")
    if (
        request.method not in ("GET", "HEAD")
        or not getattr(view, "page_cacheable", False)
        or not _cache().is_site_address()
    ):
        return
    slot = g.get("page_cache_slot")  # the page cache read them already for this page
    if slot is not None:
        g.fragment_generation = slot[2]
        return
    names = (SITE_GENERATION,)
    if view.page_cache_article_arg:
        names += (article_generation(str(request.view_args[view.page_cache_article_arg])),)
    try:
        g.fragment_generation = _cache().generations(names)
    except Exception:
        current_app.logger.exception("fragments: store unreachable, rendering everything")


def _cache():
    return current_app.extensions["byline_page_cache"]


def _store():
    return current_app.extensions["byline_fragments"]


def stop() -> None:
    """Keep and use no more fragments in this request (it renders what it can while the
    database fails: nothing of that may be kept)."""
    if has_request_context():
        g.pop("fragment_generation", None)


def key(name: str, *parts: Hashable) -> str:
    """The store's key for a fragment of this site: its name and what it varies by."""
    address = repr((request.scheme, request.host, request.script_root, name, parts))
    return "fragment:" + hashlib.blake2b(address.encode(), digest_size=16).hexdigest()


def in_use() -> bool:
    return g.get("fragment_generation") is not None


def prefetch(*keys: str) -> bool:
    """Read these fragments in one go, for get() and fragment() to find; True when every
    one is there and current (the view may then load less)."""
    if not in_use():
        return False
    found = g.setdefault("fragments", {})
    wanted = [k for k in keys if k not in found]
    if wanted:
        try:
            stored = _store().get_many(*wanted)
        except Exception:
            current_app.logger.exception("fragments: could not read the store")
            stored = [None] * len(wanted)
        ends = g.setdefault("fragment_ends", {})
        now = datetime.now(UTC)
        for name, entry in zip(wanted, stored, strict=True):
            # (generation, value, the time it ends)
            current = (
                isinstance(entry, tuple)
                and len(entry) == 3
                and entry[0] == g.fragment_generation
                and entry[2] > now
            )
            if current:
                ends[name] = entry[2]
            found[name] = entry[1] if current else _MISSING
    return all(found[k] is not _MISSING for k in keys)


def get(name: str, default: Any = None) -> Any:
    """A fragment's stored value, or default when it is missing, old or not in use."""
    if not prefetch(name):
        return default
    pagecache.changes_at(g.get("fragment_ends", {}).get(name))  # the page ends with what it shows
    return g.fragments[name]


def put(name: str, value: Any, until: datetime | None = None) -> None:
    """Keep a value (picklable) under the request's generations, for PAGE_CACHE_TTL or
    until `until` (an aware UTC time) if that comes first."""
    if not in_use():
        return
    g.setdefault("fragments", {})[name] = value
    now = datetime.now(UTC)
    ends = now + timedelta(seconds=_cache().ttl)
    if until is not None:
        ends = min(ends, until)
    timeout = math.ceil((ends - now).total_seconds())
    if timeout <= 0:  # over already (0 would mean "forever" to the store)
        return
    try:
        _store().set(name, (g.fragment_generation, value, ends), timeout=timeout)
    except Exception:
        current_app.logger.exception("fragments: could not store a fragment")


def fragment(name: str | None, caller: Callable[[], str], until: datetime | None = None) -> Markup:
    """In a template, `{% call fragment(key) %}...{% endcall %}`: the stored HTML for key,
    or the block's, rendered and kept (until `until`, when given). Without a key (a
    preview, a form shown again with its errors) the block is rendered and not kept."""
    if not name:
        return Markup(caller())
    html = get(name, _MISSING)
    if html is _MISSING:
        html = str(caller())
        put(name, html, until)
    return Markup(html)
