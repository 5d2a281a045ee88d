"""Page-cache hits answered in front of Flask: a stored page costs little more than its bytes.

`PageHits` wraps the app's WSGI callable (inside ProxyFix, so it sees the scheme, host and
client the app sees) and answers a hit of the page cache (blog/pagecache.py) itself, from
the stored entry and with the headers Flask's hooks give a hit, so that none of Flask's
request cycle runs: no request context, session, URL matching or after-request hooks.

It answers only what `PageCache.serve` would answer as a hit, by the same rules:

- a GET or HEAD;
- without the session, remember-me or comment-ownership cookie (a Cookie header that
  names one anywhere, even inside another cookie's value, goes to Flask);
- for the site's own prefix and host (`PageCache.is_site_address`);
- an entry stored under the request's key (`page_key`) whose generations, read after it,
  are current. The entry names the generations it depends on (`Entry.names`): only a
  page a cacheable view rendered at this very address is stored under its key, so no URL
  matching is needed.

Everything else goes to Flask unchanged, as does any error here (Flask then tries the
store again and logs what fails), and so do the few hits this path leaves to Flask: the
front page with a query string (possibly an old WordPress address, which
`redirect_legacy_query` answers before the cache), a coding the entry has no copy of, and
entries stored without their generations' names.

What a hit skips changes nothing a reader gets or a limit counts: no rate limit applies to
GET pages (Flask-Limiter has no default limits, and a hit was answered before its hook
already), the page's security headers carry no per-request value (no CSP nonce: templates
have no inline script, blog/security.py), and the access log is gunicorn's, redacted as
before (blog/accesslog.py).

The answer is Flask's, byte for byte (tests/test_pagehits.py compares them): the
entry's Content-Type, Content-Length, ETag and Last-Modified, `X-Cache: hit`, the security
headers (HSTS over HTTPS), `Cache-Control: no-cache`, `Vary: Cookie, Accept-Encoding` and
Date, then the reader's coding (blog/compression.py: the kept copy, its Content-Encoding
and an ETag naming it). A request with If-None-Match or If-Modified-Since is answered
through Werkzeug's `make_conditional`, in the order Flask's hooks call it, for its 304s.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import lru_cache

from flask import Flask, Response
from werkzeug.http import http_date, quote_etag
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Request

from blog import compression, security
from blog.pagecache import Entry, PageCache, page_key

# Headers Werkzeug's make_conditional answers (304, 412), as Flask's hooks call it.
CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
KNOWN_KEYS = 4096  # addresses whose generations' names a worker remembers (Redis)
PAGE_POLICY = (security.CORP, "same-origin")  # a page, never a shared resource


@lru_cache(maxsize=16)
def content_type(mimetype: str) -> str:
    return get_content_type(mimetype, "utf-8")


@lru_cache(maxsize=64)
def last_modified(created: int) -> str:
    return http_date(datetime.fromtimestamp(created, UTC))


class PageHits:
    """The WSGI middleware; `wsgi_app` answers whatever it does not."""

    def __init__(self, app: Flask, wsgi_app: Callable):
        self.wsgi_app = wsgi_app
        self.response_class = app.response_class
        self.cache: PageCache = app.extensions["byline_page_cache"]
        # The store's backend itself: Flask-Caching's proxy looks it up in an app context.
        self.store = app.extensions["cache"][self.cache.store]
        self.trusted_hosts = app.config.get("TRUSTED_HOSTS")
        plain = list(app.extensions["byline_security"].items())
        self.security = {
            False: [*plain, PAGE_POLICY],
            True: [*plain, ("Strict-Transport-Security", security.HSTS), PAGE_POLICY],
        }
        self.known: dict[str, tuple[str, ...]] = {}  # key -> names, to read both at once

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            answer = self.answer(environ)
        except Exception:  # Flask answers, and logs what it cannot do either
            answer = None
        if answer is None:
            return self.wsgi_app(environ, start_response)
        if isinstance(answer, Response):
            return answer(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return body

    def answer(self, environ: dict):
        """The hit as (status, headers, body) or a conditional Response; None for Flask."""
        if environ.get("REQUEST_METHOD", "GET").upper() not in ("GET", "HEAD"):
            return None
        cookies = environ.get("HTTP_COOKIE")
        if cookies and any(name in cookies for name in self.cache.skip_cookies):
            return None
        request = Request(environ, populate_request=False)  # leaves the environ as it is
        if self.trusted_hosts is not None:
            request.trusted_hosts = self.trusted_hosts
        if not self.cache.is_site_address(request):  # an untrusted host raises: Flask
            return None
        if request.path == "/" and request.query_string:
            return None
        entry = self.current_entry(page_key(request))
        if entry is None:
            return None
        return self.respond(entry, request, environ)

    def current_entry(self, key: str) -> Entry | None:
        """The entry under key if its generations are current; it is read before them."""
        store, files = self.store, self.cache.files
        if files is not None:
            entry = store.get(key)
            if entry is None or not entry.names:
                return None
            generation = files.current(entry.names)
        else:
            # One MGET once the address's names are known: they follow from its route.
            names = self.known.get(key)
            if names is None:
                entry = store.get(key)
            else:
                *found, entry = store.get_many(*names, key)
            if entry is None or not entry.names:
                return None
            if entry.names != names:
                found = store.get_many(*entry.names)
                if len(self.known) >= KNOWN_KEYS:
                    self.known.clear()
                self.known[key] = entry.names
            generation = tuple(value or 0 for value in found)
        return entry if entry.generation == generation else None

    def respond(self, entry: Entry, request: Request, environ: dict):
        body = entry.body
        compressible = (
            entry.mimetype in compression.COMPRESSIBLE and len(body) >= compression.MIN_SIZE
        )
        headers = [
            ("Content-Type", content_type(entry.mimetype)),
            ("Content-Length", str(len(body))),
            ("ETag", quote_etag(entry.etag)),
            ("Last-Modified", last_modified(entry.created)),
            ("X-Cache", "hit"),
            *self.security[request.is_secure],
            ("Cache-Control", "no-cache"),
            ("Vary", "Cookie"),
        ]
        coding = None
        if compressible:
            coding = compression.chosen(environ.get("HTTP_ACCEPT_ENCODING", ""))
            if coding is not None and coding not in (entry.encodings or {}):
                return None  # Flask compresses it as it goes out
        if any(name in environ for name in CONDITIONAL):
            return self.conditional(entry, headers, environ, compressible, coding)
        if compressible:
            headers[-1] = ("Vary", "Cookie, Accept-Encoding")
        headers.append(("Date", http_date()))
        if coding is not None:
            body = entry.encodings[coding]
            headers[1] = ("Content-Length", str(len(body)))
            headers[2] = ("ETag", quote_etag(f"{entry.etag}-{coding}"))
            headers.append(("Content-Encoding", coding))
        return "200 OK", headers, [] if request.method == "HEAD" else [body]

    def conditional(
        self, entry: Entry, headers: list, environ: dict, compressible: bool, coding: str | None
    ) -> Response:
        """As Flask's hooks do it: pagecache.finish's make_conditional on the page's own
        ETag, then compression.encode's coding and its make_conditional on the coded one."""
        response = self.response_class(entry.body, headers=headers)
        response.make_conditional(environ)
        if response.status_code == 304:
            if entry.mimetype in compression.COMPRESSIBLE:
                compression.vary_on_coding(response)  # a 304 carries the 200's Vary
            return response
        if response.status_code != 200 or not compressible:
            return response
        compression.vary_on_coding(response)
        if coding is None:
            return response
        response.set_data(entry.encodings[coding])
        response.headers["Content-Encoding"] = coding
        response.set_etag(f"{entry.etag}-{coding}")
        if "HTTP_IF_NONE_MATCH" in environ:
            response.make_conditional(environ)
        return response


def init_app(app: Flask) -> None:
    """Wrap the app's WSGI callable, after every extension and hook is in place (their
    settings are read here) and before ProxyFix, which must stay outermost."""
    if app.config["PAGE_CACHE"] and "byline_page_cache" in app.extensions:
        app.wsgi_app = PageHits(app, app.wsgi_app)
