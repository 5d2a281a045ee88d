"""Byline itself behind the loopback nginx or Caddy (tests/deploy_helpers.py), writing copies
of its pages for them (PAGE_FILES_DIR): a browser for the site, and the requests that
reach its gunicorn."""

import http.client
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from tests.deploy_helpers import HOST, https
from tests.harness import wait_until
from tests.live_server import LiveServer

SITE_URL = f"https://{HOST}"
ACCESS_LINE = re.compile(r'"([A-Z]+) (\S+) HTTP/[0-9.]+" ')
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SETTLED = "/healthz?settled="
# What Byline's answer and the proxy's may differ in: validators of their own, framing,
# the page cache's note of a hit or miss, and Caddy's offer of HTTP/3.
OWN_HEADERS = {
    "alt-svc",
    "date",
    "etag",
    "last-modified",
    "content-length",
    "accept-ranges",
    "x-cache",
    "server",
    "connection",
    "transfer-encoding",
}


def behind_proxy(page_files: Path) -> dict[str, str]:
    """A gunicorn's settings (running_server's extra_env) behind a loopback proxy: the
    site's address, the proxy trusted for scheme and host, and the folder it writes copies
    of its pages into."""
    return {
        "FLASK_SITE_URL": SITE_URL,
        "FLASK_PRODUCTION": "false",  # the test secret is shorter than production asks
        "FLASK_PROXY_FIX_X_FOR": "1",
        "FLASK_PAGE_FILES_DIR": str(page_files),
    }


class Visitor:
    """A browser for HOST on one port: over HTTPS through a proxy or, with direct, over
    HTTP straight to a gunicorn, saying what a proxy would (X-Forwarded-*). It keeps the
    cookies Byline sets and sends them back; a response's body is in response.body."""

    def __init__(self, port: int, *, direct: bool = False):
        self.port, self.direct = port, direct
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, fields: dict | None = None, **headers: str
    ) -> http.client.HTTPResponse:
        sent = {"Host": HOST}
        if self.direct:
            sent.update({"X-Forwarded-Proto": "https", "X-Forwarded-Host": HOST})
            sent["X-Forwarded-For"] = "127.0.0.1"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            # As a browser on the form's page: Flask-WTF checks the Referer over HTTPS.
            sent.update({"Origin": SITE_URL, "Referer": f"{SITE_URL}{path}"})
        sent.update(headers)
        if self.direct:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        else:
            conn = https(self.port)
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        response.body = response.read()
        conn.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in cookie:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response

    def get(self, path: str, **headers: str) -> http.client.HTTPResponse:
        return self.request("GET", path, **headers)

    def page(self, path: str) -> str:
        response = self.get(path)
        assert response.status == 200, (path, response.status)
        return response.body.decode()

    def sign_in(self, email: str, password: str) -> None:
        token = CSRF_FIELD.search(self.page("/editor/login")).group(1)
        fields = {"csrf_token": token, "email": email, "password": password}
        response = self.request("POST", "/editor/login", fields)
        assert response.status == 302, response.body.decode()

    def submit(self, path: str, changes: dict[str, str]) -> http.client.HTTPResponse:
        """Post the form of the page at path as a browser would, with changes made."""
        return self.request("POST", path, {**form_fields(self.page(path), path), **changes})


class FormReader(HTMLParser):
    """The fields of a page's first form that posts to the page itself (its `path`), as a
    browser sends them without a button: inputs (boxes only when checked), text areas and
    chosen options."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.fields: dict[str, list[str]] = {}
        self.state = "before"  # then "inside", then "after" the form
        self.textarea: str | None = None
        self.select: str | None = None

    def add(self, name: str | None, value: str | None) -> None:
        if name:
            self.fields.setdefault(name, []).append(value or "")

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attr = dict(attrs)
        posts_here = attr.get("method") == "post" and attr.get("action") in (None, "", self.path)
        if tag == "form" and self.state == "before" and posts_here:
            self.state = "inside"
        if self.state != "inside":
            return
        kind = attr.get("type", "text")
        if tag == "input" and kind not in ("submit", "button", "file", "image", "reset"):
            if kind not in ("checkbox", "radio") or "checked" in attr:
                self.add(attr.get("name"), attr.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self.textarea = attr.get("name")
            self.add(self.textarea, "")
        elif tag == "select":
            self.select = attr.get("name")
        elif tag == "option" and self.select and "selected" in attr:
            self.add(self.select, attr.get("value"))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form" and self.state == "inside":
            self.state = "after"


def form_fields(page: str, path: str) -> dict[str, list[str]]:
    reader = FormReader(path)
    reader.feed(page)
    assert reader.state == "after", f"no form posting to {path}"
    return reader.fields


@contextmanager
def requests_reaching(*servers: LiveServer) -> Iterator[list[str]]:
    """The requests ("GET /path") that reach these servers inside the block, in a list
    filled on the way out. Each server must have one worker: it logs a request before
    taking the next, so a request sent straight to it after the block, once logged, comes
    after every request that reached it in the block."""
    reached: list[str] = []
    starts = [len(access_lines(server)) for server in map(settled, servers)]
    yield reached
    for server, start in zip(servers, starts, strict=True):
        reached += [line for line in access_lines(settled(server))[start:] if SETTLED not in line]


def settled(server: LiveServer) -> LiveServer:
    """The server, once every request it has taken is in its log (see requests_reaching),
    the request that made sure of it included."""
    marker = f"{SETTLED}{uuid.uuid4().hex}"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", marker)
    assert conn.getresponse().status == 200
    conn.close()
    wait_until(lambda: f"GET {marker}" in access_lines(server), "the server logged a request")
    return server


def access_lines(server: LiveServer) -> list[str]:
    """The requests in a gunicorn's access log, "METHOD path" each."""
    return [" ".join(found.groups()) for found in ACCESS_LINE.finditer(server.log.read_text())]


def headers_of(response: http.client.HTTPResponse) -> list[tuple[str, str]]:
    """The headers a reader acts on, each Vary value apart, without the Vary on
    Accept-Encoding that a proxy adds as it compresses (nginx on every answer that could
    be, Caddy on those it did)."""
    headers = []
    for name, value in response.getheaders():
        name = name.lower()
        if name in OWN_HEADERS:
            continue
        values = [part.strip() for part in value.split(",")] if name == "vary" else [value]
        headers += [(name, part) for part in values if (name, part) != ("vary", "Accept-Encoding")]
    return sorted(headers)


@dataclass
class ProxiedSite:
    """Byline's gunicorns (one worker each) behind a proxy on proxy_port, writing copies of
    pages into page_files."""

    servers: list[LiveServer]
    proxy_port: int
    page_files: Path

    def reader(self) -> Visitor:
        """A new anonymous reader, through the proxy."""
        return Visitor(self.proxy_port)

    def from_copy(self, path: str, **headers: str) -> http.client.HTTPResponse:
        """GET path through the proxy, which must answer it without reaching gunicorn."""
        with requests_reaching(*self.servers) as reached:
            response = self.reader().get(path, **headers)
        assert response.status == 200, (path, response.status)
        assert reached == [], f"{path} reached gunicorn: {reached}"
        return response

    def byline(self, path: str) -> http.client.HTTPResponse:
        """Byline's own answer to an anonymous GET of path, straight from the first gunicorn
        as the proxy would ask it; a page Byline had not cached is copied by it now."""
        response = Visitor(self.servers[0].port, direct=True).get(path)
        assert response.status == 200, (path, response.status)
        return response

    def copies(self) -> list[Path]:
        return [path for path in self.page_files.rglob("*") if path.is_file()]
