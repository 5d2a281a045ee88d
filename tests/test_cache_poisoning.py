"""Page-cache poisoning: no request may make the cache keep a page whose links lead
anywhere but the site's own address, in the app and through a real gunicorn."""

import http.client

from flask_migrate import upgrade

from blog import pagecache
from blog.extensions import db
from tests.live_server import make_app, published_stories, running_server
from tests.test_pagecache import fetch

FOREIGN = "//evil.example"


def test_a_page_under_another_prefix_is_answered_but_never_cached(client, make_article):
    make_article("The harbour reopens", slug="harbour")
    poisoned = client.get("/", environ_overrides={"SCRIPT_NAME": FOREIGN})
    assert poisoned.status_code == 200
    assert f'href="{FOREIGN}/articles/harbour"' in poisoned.get_data(as_text=True)
    assert "X-Cache" not in poisoned.headers
    for _ in range(2):
        clean = fetch(client, "/")
        assert "evil.example" not in clean.get_data(as_text=True)
        assert 'href="/articles/harbour"' in clean.get_data(as_text=True)
    assert clean.headers["X-Cache"] == "hit"


def test_the_cache_key_covers_scheme_host_prefix_path_and_query(app):
    addresses = [
        ("/articles/harbour?page=2", "http://byline.test/"),
        ("/articles/harbour?page=2", "https://byline.test/"),
        ("/articles/harbour?page=2", "http://other.test/"),
        ("/articles/harbour?page=2", "http://byline.test/news/"),  # SCRIPT_NAME /news
        ("/news/articles/harbour?page=2", "http://byline.test/"),
        ("/articles/harbour?page=3", "http://byline.test/"),
        ("/articles/harbour", "http://byline.test/"),
    ]
    keys = set()
    for path, base_url in addresses:
        with app.test_request_context(path, base_url=base_url):
            keys.add(pagecache.page_key())
    assert len(keys) == len(addresses)


def test_a_head_request_stores_the_whole_page(client, make_article):
    make_article("The harbour reopens", slug="harbour")
    assert client.head("/").headers["X-Cache"] == "miss"
    page = fetch(client, "/")
    assert page.headers["X-Cache"] == "hit"
    assert "The harbour reopens" in page.get_data(as_text=True)


# ----- through gunicorn -----


def publish_one_article(database_url: str, tmp_path) -> None:
    app = make_app(database_url, tmp_path)
    with app.app_context():
        upgrade()
        published_stories(
            ("The harbour reopens", "harbour", "Ferries are back."), section=("Ports", "ports")
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def get(port: int, target: str, **headers: str) -> tuple[int, str, str]:
    """GET target exactly as written (http.client would not add a Host of its own)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("GET", target, skip_host=True)
        for name, value in {"Host": "news.example.org", **headers}.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.getheader("X-Cache") or "", response.read().decode()
    finally:
        conn.close()


def test_no_request_header_sets_the_prefix_of_gunicorns_pages(live_database, tmp_path):
    """The review's request: from the trusted proxy address, `GET //evil.example/` with a
    SCRIPT_NAME header made every later reader of / get links to that host. Behind the
    proxy as deployed (ProxyFix on), X-Forwarded-Prefix must not do it either, and the
    scheme comes from X-Forwarded-Proto alone, the header the proxies overwrite."""
    publish_one_article(live_database, tmp_path)
    proxied = {"FLASK_PROXY_FIX_X_FOR": "1"}
    with running_server(live_database, tmp_path, extra_env=proxied, workers=1) as server:
        attempts = [
            get(server.port, f"{FOREIGN}/", SCRIPT_NAME=FOREIGN),
            get(server.port, "/", **{"X-Forwarded-Prefix": FOREIGN}),
        ]
        _, _, plain = get(server.port, "/articles/harbour", **{"X-Forwarded-Ssl": "on"})
        status, cache, page = get(server.port, "/")  # any reader, afterwards
    for attempt_status, _, attempt_page in attempts:
        assert "evil.example" not in attempt_page, attempt_status
    assert (status, cache) == (200, "hit")
    assert 'href="/articles/harbour"' in page
    assert "evil.example" not in page
    assert '<link rel="canonical" href="http://news.example.org/articles/harbour">' in plain
