"""Copies of pages that Byline retires or rewrites while the shipped nginx or Caddy answers
them (blog/pagefiles.py): a reader gets the copy or Byline's own answer, never a 404 for a
copy retired between the proxy finding it and opening it, and never a 304 that keeps an
older version of a copy rewritten within the same second."""

import gzip
import http.client
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from blog.pagefiles import PageFiles
from tests.deploy_helpers import HOST, ROOT, https, loopback_caddy, loopback_nginx
from tests.proxy_site import headers_of

PATH = "/articles/harbour"
COPY = f"https/{HOST}{PATH}.html"
ARTICLE = "article:1"  # the generation the copy is noted under, as an article page's is
PAGE = b"<!doctype html><title>The harbour reopens</title>\n" + b"<p>Ships are back.</p>\n" * 90
MISSING = "/articles/no-such-story"
# Byline's headers on a page, each with a value of the stand-in's own, so that a copy's
# header put in the place of Byline's, or beside it, shows.
OWN_HEADERS = {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Security-Policy": "default-src 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=()",
    "Cross-Origin-Opener-Policy": "same-origin-allow-popups",
    "Cross-Origin-Resource-Policy": "same-site",
    "Cache-Control": "no-store",
    "Vary": "Cookie, Accept-Language",
    "X-Content-Type-Options": "nosniff",
}
CYCLES = 4000  # retirements, each followed by a new copy
READERS = 4  # half of them accept gzip
WITHIN = 120  # seconds for the cycles


class StandIn(ThreadingHTTPServer):
    """Byline's place behind the proxy: answers a GET with the request line it was sent,
    and with 404 for MISSING; it keeps the request lines."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), StandInHandler)
        self.requests: list[str] = []


class StandInHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(f"GET {self.path}")
        body = f"from byline: GET {self.path}".encode()
        self.send_response(404 if self.path == MISSING else 200)
        for name, value in OWN_HEADERS.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def stand_in() -> Iterator[StandIn]:
    server = StandIn()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Proxied:
    """The shipped proxy on `port` (HTTPS), in front of the stand-in, serving the copies
    of a PAGE_FILES_DIR that no Byline writes but the test."""

    port: int
    files: PageFiles
    upstream: StandIn

    def get(self, path: str = PATH, **headers: str) -> http.client.HTTPResponse:
        conn = https(self.port)
        conn.request("GET", path, headers={"Host": HOST, **headers})
        response = conn.getresponse()
        response.body = response.read()
        conn.close()
        return response


@pytest.fixture(params=["nginx", "caddy"])
def proxied(request, tmp_path) -> Iterator[Proxied]:
    page_files = tmp_path / "page_files"
    with stand_in() as upstream:
        address = f"127.0.0.1:{upstream.server_address[1]}"
        if request.param == "nginx":
            proxy = loopback_nginx(tmp_path, address, tmp_path, page_files)
        else:
            proxy = loopback_caddy(tmp_path, address, tmp_path, page_files, tls=True)
        with proxy as running:
            yield Proxied(running.port, PageFiles(page_files, ttl=60), upstream)


def write_copy(files: PageFiles, body: bytes = PAGE) -> Path:
    """The page's copy, written as Byline writes it; its path."""
    folder = files.current_folder()
    assert files.write(
        COPY, body, folder=folder, article=ARTICLE, ends=None, unchanged=lambda: True
    )
    return files.current / COPY


def retire_and_copy_again(root: str, cycles: int) -> None:
    """Byline's changes, one after another: each retires the copy, in turn by pointing
    `current` at a new folder (a change to the whole site) and by unlinking the article's
    copies (a comment approved), then the page is copied again."""
    files = PageFiles(Path(root), ttl=60)
    for cycle in range(cycles):
        if cycle % 2:
            files.retire_articles([ARTICLE])
        else:
            files.retire_all()
        write_copy(files)


def seen(response: http.client.HTTPResponse) -> tuple:
    """What a reader got: status, the headers it acts on (those that two answers of one
    copy share: tests/proxy_site.py) and the body, uncompressed."""
    body = response.body
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response.status, tuple(headers_of(response)), body


def answers_while_retiring(proxied: Proxied, expected: dict) -> Counter:
    """Readers ask for the page while another process (its own interpreter, so as quick as
    Byline's) runs CYCLES retirements. expected holds, for each Accept-Encoding, the
    answers known as "copy" and "byline"; each answer is counted by that name if it is one
    of them, else by itself."""
    counts: Counter = Counter()
    failures: list[BaseException] = []
    done = threading.Event()

    def read(encoding: str) -> None:
        try:
            conn = https(proxied.port)
            while not done.is_set():
                conn.request("GET", PATH, headers={"Host": HOST, "Accept-Encoding": encoding})
                response = conn.getresponse()
                response.body = response.read()
                answer = seen(response)
                names = [name for name, known in expected[encoding].items() if known == answer]
                counts[names[0] if names else answer] += 1
            conn.close()
        except BaseException as exc:  # a reader that stops must fail the test
            failures.append(exc)

    encodings = ["identity", "gzip"] * (READERS // 2)
    readers = [threading.Thread(target=read, args=(encoding,)) for encoding in encodings]
    run = "import sys; from tests.test_proxy_page_races import retire_and_copy_again as run; "
    run += "run(sys.argv[1], int(sys.argv[2]))"
    command = [sys.executable, "-c", run, str(proxied.files.root), str(CYCLES)]
    churn = subprocess.Popen(command, cwd=ROOT)
    for reader in readers:
        reader.start()
    try:
        assert churn.wait(timeout=WITHIN) == 0
    finally:
        churn.kill()
        done.set()
        for reader in readers:
            reader.join()
    assert failures == []
    return counts


def test_a_copy_retired_as_the_proxy_opens_it_is_answered_by_byline(proxied):
    """Byline retires copies inside the request that commits a change, whenever that comes:
    between the proxy finding a copy and opening it, the reader must get Byline's answer as
    Byline gave it, not a 404."""
    expected = {encoding: {} for encoding in ("identity", "gzip")}
    for encoding, kinds in expected.items():
        kinds["byline"] = seen(proxied.get(**{"Accept-Encoding": encoding}))
    write_copy(proxied.files)
    for encoding, kinds in expected.items():
        kinds["copy"] = seen(proxied.get(**{"Accept-Encoding": encoding}))
    assert expected["identity"]["byline"][2] == f"from byline: GET {PATH}".encode()
    assert expected["identity"]["copy"][2] == expected["gzip"]["copy"][2] == PAGE
    assert ("content-encoding", "gzip") in expected["gzip"]["copy"][1]

    counts = answers_while_retiring(proxied, expected)
    assert set(counts) == {"copy", "byline"}, counts


def test_a_copy_rewritten_within_the_second_is_never_answered_304(proxied):
    """The proxy's validators for a file go by its mtime and length: a copy rewritten at
    the same length within the second it was written must still reach a reader who
    revalidates the first version."""
    path = write_copy(proxied.files)
    first = proxied.get()
    assert (first.status, first.body) == (200, PAGE)
    validators = {
        name: first.getheader(answered)
        for name, answered in (("If-None-Match", "ETag"), ("If-Modified-Since", "Last-Modified"))
        if first.getheader(answered)
    }
    assert validators  # nginx keeps Last-Modified; browsers send it back
    written = path.stat()
    newer = PAGE.replace(b"reopens", b"is shut")
    assert len(newer) == len(PAGE)
    write_copy(proxied.files, newer)
    os.utime(path, ns=(written.st_atime_ns, written.st_mtime_ns))

    for headers in (validators, *({name: value} for name, value in validators.items())):
        answer = proxied.get(**headers)
        assert (answer.status, answer.body) == (200, newer), headers


def test_a_page_without_a_copy_gets_byline_s_404_once(proxied):
    """Only a retired copy is passed on after a 404: Byline's own 404 for a page reaches
    the reader as Byline sent it, from one request."""
    write_copy(proxied.files)
    answer = proxied.get(MISSING)
    assert (answer.status, answer.body) == (404, f"from byline: GET {MISSING}".encode())
    assert answer.headers.get_all("Content-Security-Policy") == ["default-src 'none'"]
    assert proxied.upstream.requests == [f"GET {MISSING}"]
