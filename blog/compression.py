"""Compressed answers: gzip or Brotli, as the reader's Accept-Encoding allows.

Pages, stylesheets, scripts, feeds, the sitemap and other text of at least MIN_SIZE bytes
are sent compressed by Byline itself, so gunicorn without a proxy sends as few bytes as
nginx or Caddy would. Images and other answers already compressed, smaller bodies, partial
(206) and other non-200 answers, streamed bodies and anything marked `no-transform` go
as they are.

The coding follows the request's Accept-Encoding and its q-values (RFC 9110, 12.5.3):
the acceptable coding with the highest q, Brotli before gzip when they tie; none (the
body as it is) when the header is missing, when every coding Byline has is refused
(`q=0`, or `*;q=0` without a value of their own), or when `identity` is rated above them.
Each answer that could have been compressed says `Vary: Accept-Encoding`, whichever
coding it got, so a shared cache never gives one reader's coding to another.

An answer's ETag names its coding (`"<etag>-br"`, `"<etag>-gzip"`), so a cache never
takes one coding's bytes for another's; validators are then checked again, and a reader
whose copy matches gets its 304 as before.

Nothing is compressed twice in a process where it can be helped:

- the page cache (blog/pagecache.py) keeps each page's gzip and Brotli copies beside the
  page when it stores it (`variants`), so a hit sends them as they are; the gzip copy is
  also the one written for the proxy (blog/pagefiles.py);
- static files are compressed once per file and process (`FileCopies`), keyed by the
  file's ETag, which changes with its content;
- every other answer (pages for signed-in staff, pages with the cache off) is
  compressed as it goes out, at faster levels.

Behind nginx or Caddy, the proxy passes an answer that already has a Content-Encoding
on unchanged (nginx's `gzip` and Caddy's `encode` both leave such answers alone).
"""

import gzip
import threading
from collections import OrderedDict
from functools import lru_cache

import brotli
from flask import Flask, Response, current_app, g, request

CODINGS = ("br", "gzip")  # Brotli first: smaller, and every browser that asks can read it
MIN_SIZE = 512  # bytes; below this a compressed body saves less than its headers cost
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "text/xml",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "application/atom+xml",
        "application/xml",
        "image/svg+xml",
    }
)
# Levels by how often the work is done (a 45 kB page: gzip 9 and Brotli 6 take about a
# millisecond each; Brotli 11 saves another 10 % but takes 60 to 90 ms).
PAGES = {"gzip": 9, "br": 6}  # once per page stored in the page cache
FILES = {"gzip": 9, "br": 11}  # once per static file and process
PASSING = {"gzip": 6, "br": 5}  # for one answer only
FILES_KEPT = 256  # static files' compressed copies kept per process


def compress(body: bytes, coding: str, level: int) -> bytes:
    if coding == "br":
        return brotli.compress(body, quality=level)
    # mtime=0: the same page compresses to the same bytes, whenever it is compressed.
    return gzip.compress(body, compresslevel=level, mtime=0)


def variants(body: bytes) -> dict[str, bytes]:
    """The body in each coding, for keeping beside it; none for a body too small."""
    if len(body) < MIN_SIZE:
        return {}
    return {coding: compress(body, coding, PAGES[coding]) for coding in CODINGS}


@lru_cache(maxsize=128)
def chosen(accept_encoding: str) -> str | None:
    """The coding to send for this Accept-Encoding header, or None for the body as it is."""
    ratings: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, parameters = item.partition(";")
        name = name.strip().lower()
        if name == "x-gzip":  # RFC 9110, 8.4.1.3: the same coding
            name = "gzip"
        if not name:
            continue
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0  # unreadable: not taken as a wish for this coding
                if not 0.0 <= quality <= 1.0:  # also NaN
                    quality = 0.0
        ratings.setdefault(name, quality)
    anything = ratings.get("*", 0.0)
    best, best_quality = None, 0.0
    for coding in CODINGS:
        quality = ratings.get(coding, anything)
        if quality > best_quality:
            best, best_quality = coding, quality
    if best is not None and ratings.get("identity", 0.0) > best_quality:
        return None  # the reader rates the plain body higher
    return best


class FileCopies:
    """Static files compressed once per process, keyed by their ETag and length (which
    Flask's send_file derives from the file's name, size and modification time)."""

    def __init__(self, size: int = FILES_KEPT):
        self.size = size
        self.kept: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, response: Response, coding: str) -> bytes:
        with self.lock:
            found = self.kept.get(key)
            if found is not None:
                self.kept.move_to_end(key)
                return found
        response.direct_passthrough = False
        found = compress(response.get_data(), coding, FILES[coding])  # reads the file
        with self.lock:
            self.kept[key] = found
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)
        return found


def may_compress(response: Response) -> bool:
    """Whether this answer's body could be sent compressed to a reader who accepts it."""
    length = response.content_length
    return (
        response.status_code == 200
        and response.mimetype in COMPRESSIBLE
        and length is not None
        and length >= MIN_SIZE
        and "Content-Encoding" not in response.headers
        and "no-transform" not in response.headers.get("Cache-Control", "")
    )


def is_file(response: Response) -> bool:
    """A static file, or a file sent from disk, under a strong ETag that changes with it."""
    etag, weak = response.get_etag()
    return (
        etag is not None
        and not weak
        and (response.direct_passthrough or request.endpoint == "static")
    )


def encode(response: Response) -> Response:
    """After every request, last: send the body in the coding the reader accepts."""
    kept = g.pop("page_encodings", None)  # the page cache's copies of this very body
    if response.status_code == 304:
        if response.mimetype in COMPRESSIBLE:
            vary_on_coding(response)  # a 304 carries the 200's Vary
        return response
    if not may_compress(response):
        return response
    vary_on_coding(response)
    coding = chosen(request.headers.get("Accept-Encoding", ""))
    if coding is None:
        return response
    if kept and coding in kept:
        body = kept[coding]
    elif is_file(response):  # once per process
        files: FileCopies = current_app.extensions["byline_compression"]
        key = (response.get_etag()[0], response.content_length, coding)
        body = files.get(key, response, coding)
    else:
        body = compress(response.get_data(), coding, PASSING[coding])
    close = getattr(response.response, "close", None)
    if close is not None:  # the file send_file opened, when its kept copy is sent
        response.call_on_close(close)
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = coding
    etag, weak = response.get_etag()
    if etag is not None:
        response.set_etag(f"{etag}-{coding}", weak=weak)
        if "If-None-Match" in request.headers:  # the reader may hold this coding's copy
            return response.make_conditional(request)
    return response


def vary_on_coding(response: Response) -> None:
    # Plain strings: response.vary parses and rewrites the header, on every cache hit.
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding"


def init_app(app: Flask) -> None:
    """Call before the page cache's init_app: hooks added earlier run later, and this one
    must see the page cache's ETag and copies."""
    app.extensions["byline_compression"] = FileCopies()
    app.after_request(encode)
