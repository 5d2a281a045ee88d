"""The shipped nginx and Caddy configurations, run on loopback ports in front of a stand-in
for gunicorn: no request header chooses the app's prefix, no secret in a link reaches
their logs, and what they serve themselves is marked nosniff (and images cross-origin)."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from blog import accesslog, create_app
from blog.assets import asset_url
from blog.stylesheets import build
from tests.deploy_helpers import (
    HOST,
    ROOT,
    Proxy,
    echo_upstream,
    loopback_caddy,
    loopback_nginx,
    received_headers,
)
from tests.live_server import free_port

SECRET = "S3cretT0ken.value-x_y"
FOREIGN = "//evil.example"

Start = Callable[[str], AbstractContextManager[Proxy]]


@pytest.fixture(params=["nginx", "caddy"])
def start_proxy(request, tmp_path) -> Start:
    """start_proxy(upstream) -> a context manager running that proxy in front of upstream
    (host:port), with a folder of uploads; its logs are complete once it ends."""
    uploads = tmp_path / "uploads"
    (uploads / "2025" / "06").mkdir(parents=True)
    (uploads / "2025" / "06" / "cover.png").write_bytes(b"\x89PNG not really")
    (uploads / "2025" / "06" / "page.html").write_bytes(b"<script>no</script>")
    loopback = {"nginx": loopback_nginx, "caddy": loopback_caddy}[request.param]
    return lambda upstream: loopback(tmp_path, upstream, uploads)


def test_no_request_header_reaches_gunicorn_to_choose_the_prefix(start_proxy):
    """gunicorn takes a SCRIPT_NAME header from the proxy for the prefix of every link
    (unless told not to, gunicorn.conf.py): the proxy must not pass one on, nor any header
    with an underscore, nor X-Forwarded-Prefix."""
    with echo_upstream() as upstream, start_proxy(upstream) as proxy:
        response = proxy.get(
            f"{FOREIGN}/",
            SCRIPT_NAME=FOREIGN,
            PATH_INFO="/",
            REMOTE_USER="admin",
            **{"X-Forwarded-Prefix": FOREIGN},
        )
    assert response.status == 200
    received = received_headers(response.body)
    assert received["Host"] == HOST  # the stand-in answered
    assert not [name for name in received if "_" in name]
    assert "X-Forwarded-Prefix" not in received
    assert not [value for value in received.values() if "evil.example" in value]


def test_the_access_log_holds_no_secret_from_a_link(start_proxy):
    paths = [f"{path}{SECRET}" for path in accesslog.SECRET_PATHS]
    queries = [f"/search?q=port&{name}={SECRET}" for name in accesslog.SECRET_PARAMETERS]
    with echo_upstream() as upstream, start_proxy(upstream) as proxy:
        for target in paths + queries:
            referer = f"https://{HOST}{target}"
            assert proxy.get(target, Referer=referer).status == 200, target
            assert proxy.get("/articles/harbour", Referer=referer).status == 200
    lines = proxy.access_lines()
    assert len(lines) == 2 * len(paths + queries), lines
    assert not [line for line in lines if SECRET in line]
    assert not [line for line in lines if "127.0.0.1" in line]  # no client addresses
    for path in accesslog.SECRET_PATHS:
        assert [line for line in lines if f"{path}[redacted]" in line]
    assert SECRET not in proxy.log.read_text()


def test_caddys_own_log_holds_no_secret_when_gunicorn_is_down(tmp_path):
    """Caddy names the request in its own log when an answer fails (nginx does in its
    error log, which cannot be filtered: docs/deploy.md)."""
    down = f"127.0.0.1:{free_port()}"
    with loopback_caddy(tmp_path, down, tmp_path) as caddy:
        link = f"{accesslog.SECRET_PATHS[0]}{SECRET}?token={SECRET}"
        assert caddy.get(link, Referer=f"https://{HOST}{link}").status == 502
    log = caddy.log.read_text()
    assert "http.log.error" in log
    assert SECRET not in log


def test_what_the_proxy_serves_itself_is_not_sniffed_and_images_are_cross_origin(
    start_proxy,
):
    with create_app({"SECRET_KEY": "x"}).test_request_context():
        fingerprinted = asset_url("css/site.css")
        editor, script = asset_url("css/editor.css"), asset_url("js/share.js")
    with echo_upstream() as upstream, start_proxy(upstream) as proxy:
        files = {
            path: proxy.get(path)
            for path in (fingerprinted, editor, script, "/static/css/site.css")
            + ("/uploads/2025/06/cover.png",)
        }
        refused = proxy.get("/uploads/2025/06/page.html")
        missing = proxy.get("/static/css/missing.css")
        page = proxy.get("/articles/harbour")
    # Stylesheets come minified, as Byline serves them, the rest from static/.
    assert files[fingerprinted].body == build(ROOT / "static/css/site.css")[0]
    assert files[editor].body == build(ROOT / "static/css/editor.css")[0]
    assert files["/static/css/site.css"].body == (ROOT / "static/css/site.css").read_bytes()
    assert files[script].body == (ROOT / "static/js/share.js").read_bytes()
    for path, response in files.items():
        assert response.status == 200, path
        assert response.headers.get_all("X-Content-Type-Options") == ["nosniff"], path
        assert response.getheader("Cross-Origin-Resource-Policy") == "cross-origin", path
    for response in (refused, missing):
        assert response.status == 404
        assert response.headers.get_all("X-Content-Type-Options") == ["nosniff"]
    # The stand-in sends nosniff as Byline does: it reaches the reader once.
    assert page.headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert page.getheader("Cross-Origin-Resource-Policy") is None  # Byline's own choice
