"""Compressed answers (blog/compression.py): gzip or Brotli as Accept-Encoding allows, the
page cache's stored copies sent as they are, validators per coding, and the same from a
real gunicorn and through the shipped nginx and Caddy."""

import gzip
import http.client
import io
import re
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from PIL import Image

from blog import compression, pagecache
from blog.assets import asset_url
from blog.extensions import db
from tests.deploy_helpers import loopback_caddy, loopback_nginx
from tests.harness import inside, rebuilt
from tests.live_server import make_app, published_stories, running_server
from tests.proxy_site import Visitor, behind_proxy

DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}
LONG_BODY = "\n\n".join(f"Paragraph {n} of the council's long report." for n in range(60))


def get(client, path: str, method: str = "GET", **headers: str):
    """The answer, read and closed (a static file's stays open until then)."""
    with client.open(path, method=method, headers=headers) as response:
        response.get_data()
    return response


def decoded(response) -> bytes:
    coding = response.headers.get("Content-Encoding")
    return DECODE[coding](response.get_data()) if coding else response.get_data()


def varies(response) -> list[str]:
    return [part.strip() for part in response.headers.get("Vary", "").split(",")]


@pytest.fixture
def story(make_article, make_comment):
    article = make_article("The harbour reopens", slug="harbour", body=LONG_BODY)
    for n in range(3):
        make_comment(article, f"Comment {n}: the ferries are back at last.")
    return article


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The codings compression.compress is asked for, in order."""
    calls: list[str] = []
    real = compression.compress

    def counting(body: bytes, coding: str, level: int) -> bytes:
        calls.append(coding)
        return real(body, coding, level)

    monkeypatch.setattr(compression, "compress", counting)
    return calls


def addresses(app) -> dict[str, str]:
    with app.test_request_context():
        return {
            "front page": "/",
            "article with comments": "/articles/harbour",
            "feed": "/feed.xml",
            "sitemap": "/sitemap.xml",
            "stylesheet": asset_url("css/site.css"),
            "script": asset_url("js/comments.js"),
        }


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_every_kind_of_text_is_sent_compressed_and_decodes_to_the_same_bytes(
    app, client, story, coding
):
    for name, path in addresses(app).items():
        plain = get(client, path)
        assert plain.status_code == 200, name
        assert "Content-Encoding" not in plain.headers, name
        assert len(plain.get_data()) >= compression.MIN_SIZE, name
        for _ in range(2):  # rendered (or read) and stored, then from the cache
            packed = get(client, path, **{"Accept-Encoding": coding})
            assert packed.headers["Content-Encoding"] == coding, name
            assert int(packed.headers["Content-Length"]) == len(packed.get_data()), name
            assert len(packed.get_data()) < len(plain.get_data()) / 2, name
            assert decoded(packed) == plain.get_data(), name
            assert packed.mimetype == plain.mimetype, name
            assert "Accept-Encoding" in varies(packed) and "Accept-Encoding" in varies(plain)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", None),
        ("gzip", "gzip"),
        ("x-gzip", "gzip"),
        ("br", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("*", "br"),
        ("gzip;q=0", None),
        ("GZIP ; Q=0.0", None),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.8", "gzip"),
        ("gzip;q=0.5, br;q=0.9", "br"),
        ("*;q=0", None),
        ("*;q=0, gzip", "gzip"),
        ("gzip;q=0, *", "br"),
        ("identity", None),
        ("identity;q=1, gzip;q=0.5", None),
        ("identity;q=0.1, gzip;q=0.5", "gzip"),
        ("compress, deflate, zstd", None),
        ("gzip;q=nonsense", None),
        ("gzip;q=2", None),
    ],
)
def test_the_coding_follows_the_readers_q_values(accept, expected):
    assert compression.chosen(accept) == expected


def test_refused_and_unknown_codings_get_the_plain_body(client, story):
    plain = get(client, "/articles/harbour").get_data()
    for accept in ("gzip;q=0, br;q=0", "*;q=0", "compress, deflate", "identity"):
        response = get(client, "/articles/harbour", **{"Accept-Encoding": accept})
        assert "Content-Encoding" not in response.headers, accept
        assert response.get_data() == plain, accept
        assert "Accept-Encoding" in varies(response), accept


def test_without_accept_encoding_nothing_changes_but_vary(client, story):
    first = get(client, "/articles/harbour")
    hit = get(client, "/articles/harbour")
    assert hit.headers["X-Cache"] == "hit"
    for response in (first, hit):
        assert "Content-Encoding" not in response.headers
        assert not response.headers["ETag"].endswith(('-gzip"', '-br"'))
        assert varies(response) == ["Cookie", "Accept-Encoding"]
    assert hit.get_data() == first.get_data()


def test_a_cache_hit_sends_the_stored_copies_without_compressing(app, client, story, counted):
    miss = get(client, "/articles/harbour", **{"Accept-Encoding": "br"})
    assert miss.headers["X-Cache"] == "miss"
    assert sorted(counted) == ["br", "gzip"]  # both copies, once, as the page is stored
    counted.clear()
    for coding in ("br", "gzip", "br"):
        hit = get(client, "/articles/harbour", **{"Accept-Encoding": coding})
        assert hit.headers["X-Cache"] == "hit"
        assert hit.headers["Content-Encoding"] == coding
    assert counted == []
    with app.test_request_context("/articles/harbour"):
        entry = app.extensions["byline_page_cache"].store.get(pagecache.page_key())
    assert entry.encodings["gzip"] == hit_body(client, "gzip")
    assert entry.encodings["br"] == hit_body(client, "br")
    assert DECODE["br"](entry.encodings["br"]) == entry.body


def hit_body(client, coding: str) -> bytes:
    response = get(client, "/articles/harbour", **{"Accept-Encoding": coding})
    assert response.headers["X-Cache"] == "hit"
    return response.get_data()


def test_pages_the_cache_cannot_keep_are_compressed_as_they_go(app, story, counted):
    with rebuilt(app, PAGE_CACHE=False) as uncached:
        client = uncached.test_client()
        plain = get(client, "/articles/harbour")
        packed = get(client, "/articles/harbour", **{"Accept-Encoding": "gzip"})
    assert counted == ["gzip"]
    # Each render signs its comment form anew; the rest is the same page.
    unsigned = re.compile(rb'value="[^"]*"')
    assert unsigned.sub(b"", decoded(packed)) == unsigned.sub(b"", plain.get_data())


def test_each_coding_has_its_own_etag_and_its_own_304(app, client, story):
    for path in (addresses(app)["stylesheet"], "/articles/harbour"):
        for _ in range(2):  # a miss, then a hit
            tags = {
                coding: get(client, path, **{"Accept-Encoding": coding}).headers["ETag"]
                for coding in ("identity", "gzip", "br")
            }
            assert len(set(tags.values())) == 3, tags
            assert tags["gzip"] == tags["identity"][:-1] + '-gzip"'
            for coding, tag in tags.items():
                again = get(client, path, **{"Accept-Encoding": coding, "If-None-Match": tag})
                assert again.status_code == 304, (path, coding)
                assert again.get_data() == b""
                assert "Accept-Encoding" in varies(again), (path, coding)
            # A copy in the other coding is not this one: the whole answer is sent.
            other = get(client, path, **{"Accept-Encoding": "br", "If-None-Match": tags["gzip"]})
            assert other.status_code == 200
            assert other.headers["Content-Encoding"] == "br"


def test_head_gives_the_length_of_the_compressed_answer(app, client, story):
    for path in (addresses(app)["stylesheet"], "/articles/harbour", "/articles/harbour"):
        got = get(client, path, **{"Accept-Encoding": "br"})
        head = get(client, path, "HEAD", **{"Accept-Encoding": "br"})
        assert head.status_code == 200
        assert head.get_data() == b""
        assert head.headers["Content-Encoding"] == "br"
        assert head.headers["Content-Length"] == str(len(got.get_data()))
        assert head.headers["ETag"] == got.headers["ETag"]


def test_a_range_of_a_static_file_is_a_range_of_its_plain_bytes(app, client):
    path = addresses(app)["stylesheet"]
    whole = get(client, path).get_data()
    part = get(client, path, **{"Accept-Encoding": "br", "Range": "bytes=100-4099"})
    assert part.status_code == 206
    assert "Content-Encoding" not in part.headers
    assert part.get_data() == whole[100:4100]


def test_static_files_are_compressed_once_per_process(app, client, counted):
    path = addresses(app)["stylesheet"]
    bodies = {get(client, path, **{"Accept-Encoding": "br"}).get_data() for _ in range(3)}
    get(client, path, **{"Accept-Encoding": "gzip"})
    get(client, path, **{"Accept-Encoding": "gzip"})
    assert counted == ["br", "gzip"]
    assert len(bodies) == 1
    assert brotli.decompress(bodies.pop()) == get(client, path).get_data()


def test_small_bodies_and_images_are_sent_as_they_are(app, client, tmp_path):
    icon = get(client, "/static/img/favicon.svg", **{"Accept-Encoding": "br"})
    assert len(icon.get_data()) < compression.MIN_SIZE
    assert "Content-Encoding" not in icon.headers
    assert "Accept-Encoding" not in varies(icon)

    picture = io.BytesIO()
    Image.effect_noise((64, 64), 40).convert("RGB").save(picture, "PNG")
    folder = Path(app.config["UPLOADS_DIR"]) / "2025" / "06"
    folder.mkdir(parents=True)
    (folder / "cover.png").write_bytes(picture.getvalue())
    image = get(client, "/uploads/2025/06/cover.png", **{"Accept-Encoding": "gzip, br"})
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert len(image.get_data()) > compression.MIN_SIZE
    assert "Content-Encoding" not in image.headers
    assert image.get_data() == picture.getvalue()


def test_the_proxys_gzip_copy_is_the_page_caches(app, story, tmp_path, monkeypatch):
    files = tmp_path / "page_files"
    made = []
    real = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda *args, **kw: made.append(1) or real(*args, **kw))
    with rebuilt(app, PAGE_FILES_DIR=str(files), SITE_URL="http://byline.test") as site:
        client = site.test_client()
        sent = get(client, "/articles/harbour", **{"Accept-Encoding": "gzip"})
        assert sent.headers["X-Cache"] == "miss"
    assert len(made) == 1  # for the page cache, and the same bytes written for the proxy
    copy = files / "current" / "http" / "byline.test" / "articles" / "harbour.html.gz"
    assert copy.read_bytes() == sent.get_data()


# ----- a real gunicorn, alone and behind the shipped proxies -----


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple]:
    """A gunicorn on a site with one long article, and the article's plain bytes."""
    tmp_path = tmp_path_factory.mktemp("compression-live")
    database = f"sqlite:///{tmp_path / 'byline.db'}"
    with inside(make_app(database, tmp_path), migrate=True):
        published_stories(("The harbour reopens", "harbour", LONG_BODY))
        db.session.commit()
    yield database, tmp_path


def fetch(port: int, path: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", ["/articles/harbour", "/feed.xml"])
def test_gunicorn_itself_answers_compressed(served, path):
    database, tmp_path = served
    with running_server(database, tmp_path, workers=1) as server:
        _, plain = fetch(server.port, path, **{"Accept-Encoding": "identity"})
        for coding in ("gzip", "br", "gzip"):  # the last from the page cache
            response, body = fetch(server.port, path, **{"Accept-Encoding": coding})
            assert response.status == 200
            assert response.getheader("Content-Encoding") == coding
            assert int(response.getheader("Content-Length")) == len(body)
            assert DECODE[coding](body) == plain
        assert response.getheader("X-Cache") == "hit"


@pytest.mark.parametrize("proxy", ["nginx", "caddy"])
def test_the_shipped_proxies_pass_byline_s_compressed_answer_on_once(served, proxy, tmp_path):
    """A page with a query string always reaches Byline: its coding comes through as
    Byline chose it, never compressed a second time by nginx's gzip or Caddy's encode."""
    database, site_tmp = served
    page_files = tmp_path / "page_files"
    start = {
        "nginx": lambda upstream: loopback_nginx(tmp_path, upstream, tmp_path, page_files),
        "caddy": lambda upstream: loopback_caddy(
            tmp_path, upstream, tmp_path, page_files, tls=True
        ),
    }[proxy]
    path = "/search?q=harbour"
    with (
        running_server(database, site_tmp, extra_env=behind_proxy(page_files), workers=1) as s,
        start(f"127.0.0.1:{s.port}") as front,
    ):
        reader = Visitor(front.port)
        plain = reader.get(path, **{"Accept-Encoding": "identity"})
        assert plain.status == 200 and b"harbour" in plain.body
        for accept, coding in (("br", "br"), ("gzip", "gzip"), ("zstd;q=0.1, gzip", "gzip")):
            response = reader.get(path, **{"Accept-Encoding": accept})
            assert response.status == 200, accept
            assert response.headers.get_all("Content-Encoding") == [coding], accept
            assert DECODE[coding](response.body) == plain.body, accept
