"""Page-cache hits answered in front of Flask (blog/pagehits.py): the same answer as Flask's
hit, header by header and byte by byte, and only where Flask would give a hit."""

import dataclasses
from email.utils import parsedate_to_datetime

import pytest
from flask import request_started
from werkzeug.test import Client

from blog import pagecache
from blog.pagechanges import article_generation
from blog.pagehits import PageHits

SITE = "http://byline.test"
PAGES = [
    "/",
    "/articles/harbour",
    "/section/{section}",
    "/feed.xml",
    "/sitemap.xml",
    "/search?q=harbour",
]
OLD_DATE = "Mon, 01 Jan 2001 00:00:00 GMT"


@pytest.fixture
def story(make_article):
    return make_article("The harbour reopens", slug="harbour")


class Handled:
    """The paths Flask's request cycle ran for (its request_started signal)."""

    def __init__(self, app):
        self.app = app
        self.paths: list[str] = []
        request_started.connect(self.note, app)

    def note(self, sender, **extra) -> None:
        from flask import request

        self.paths.append(request.full_path)

    def close(self) -> None:
        request_started.disconnect(self.note, self.app)


@pytest.fixture
def handled(app):
    watcher = Handled(app)
    yield watcher
    watcher.close()


def hits_of(app) -> PageHits:
    hits = app.wsgi_app
    assert isinstance(hits, PageHits)
    return hits


def ask(app, wsgi, path: str, base_url: str = SITE, **request):
    """One request to a WSGI callable, in an app context of its own as in production."""
    with app.app_context():
        return Client(wsgi, use_cookies=False).open(path, base_url=base_url, **request)


def without_date(response) -> list[tuple[str, str]]:
    headers = response.headers.to_wsgi_list()
    dates = [value for name, value in headers if name == "Date"]
    assert len(dates) == 1
    assert parsedate_to_datetime(dates[0])  # a valid HTTP date, which moves with the clock
    return [(name, "<date>" if name == "Date" else value) for name, value in headers]


def assert_same_answer(app, handled: Handled, path: str, **request):
    """The fast path answers without Flask, and exactly as Flask answers the same hit."""
    hits = hits_of(app)
    before = len(handled.paths)
    fast = ask(app, hits, path, **request)
    assert len(handled.paths) == before, f"Flask answered {path} {request}"
    full = ask(app, hits.wsgi_app, path, **request)
    assert len(handled.paths) == before + 1
    assert full.headers["X-Cache"] == "hit"
    assert (fast.status, without_date(fast), fast.get_data()) == (
        full.status,
        without_date(full),
        full.get_data(),
    ), request
    return fast


def variants(plain, gzip, brotli) -> list[dict]:
    """Requests a reader's browser, a feed reader or a cache may send for a page, given the
    page's plain, gzip and Brotli answers (their validators)."""
    etag, gzip_etag, br_etag = plain.headers["ETag"], gzip.headers["ETag"], brotli.headers["ETag"]
    modified = plain.headers["Last-Modified"]
    return [
        {},
        {"headers": {"Accept-Encoding": "gzip"}},
        {"headers": {"Accept-Encoding": "br"}},
        {"headers": {"Accept-Encoding": "gzip, deflate, br, zstd"}},
        {"headers": {"Accept-Encoding": "br;q=0, gzip;q=0.5"}},
        {"headers": {"Accept-Encoding": "identity;q=1, *;q=0.5"}},
        {"headers": {"Accept-Encoding": "*;q=0"}},
        {"method": "HEAD"},
        {"method": "HEAD", "headers": {"Accept-Encoding": "br"}},
        {"headers": {"If-None-Match": etag}},
        {"headers": {"If-None-Match": etag, "Accept-Encoding": "gzip"}},
        {"headers": {"If-None-Match": gzip_etag, "Accept-Encoding": "gzip"}},
        {"headers": {"If-None-Match": br_etag, "Accept-Encoding": "br"}},
        {"headers": {"If-None-Match": gzip_etag}},
        {"headers": {"If-None-Match": f'"other", {br_etag}', "Accept-Encoding": "br"}},
        {"headers": {"If-None-Match": '"something-else"', "Accept-Encoding": "br"}},
        {"headers": {"If-None-Match": "*"}},
        {"headers": {"If-None-Match": etag, "If-Match": "*"}},
        {"method": "HEAD", "headers": {"If-None-Match": br_etag, "Accept-Encoding": "br"}},
        {"headers": {"If-Modified-Since": modified}},
        {"headers": {"If-Modified-Since": modified, "Accept-Encoding": "br"}},
        {"headers": {"If-Modified-Since": OLD_DATE, "Accept-Encoding": "gzip"}},
        {"headers": {"If-Modified-Since": "not a date"}},
        {"headers": {"If-Modified-Since": modified, "If-None-Match": '"something-else"'}},
        {"headers": {"Cookie": "theme=dark; consent=yes"}},
        {"headers": {"Range": "bytes=0-99", "If-Range": etag}},
    ]


@pytest.mark.parametrize("template", PAGES)
def test_a_hit_is_answered_as_flask_answers_it(app, story, handled, template):
    path = template.format(section=story.section.slug)
    hits = hits_of(app)
    first = ask(app, hits, path)
    assert (first.status_code, first.headers["X-Cache"]) == (200, "miss")
    plain = assert_same_answer(app, handled, path)
    gzip = assert_same_answer(app, handled, path, headers={"Accept-Encoding": "gzip"})
    brotli = assert_same_answer(app, handled, path, headers={"Accept-Encoding": "br"})
    assert plain.get_data() == first.get_data()
    assert gzip.headers["Content-Encoding"] == "gzip"
    assert brotli.headers["Content-Encoding"] == "br"
    statuses = set()
    for request in variants(plain, gzip, brotli):
        statuses.add(assert_same_answer(app, handled, path, **request).status_code)
    assert statuses == {200, 304, 412}


def test_over_https_the_hit_carries_hsts_as_flask_gives_it(app, story, handled):
    https = "https://byline.test"
    ask(app, hits_of(app), "/articles/harbour", base_url=https)
    page = assert_same_answer(app, handled, "/articles/harbour", base_url=https)
    assert page.headers["Strict-Transport-Security"]
    assert_same_answer(
        app, handled, "/articles/harbour", base_url=https, headers={"Accept-Encoding": "gzip"}
    )


def test_a_page_too_small_to_compress_is_answered_alike(app, story, handled):
    hits = hits_of(app)
    ask(app, hits, "/articles/harbour")
    cache = app.extensions["byline_page_cache"]
    with app.test_request_context("/articles/harbour", base_url=SITE):
        key = pagecache.page_key()
    stored = cache.store.get(key)
    small = dataclasses.replace(stored, body=b"<p>Short.</p>", encodings={}, etag="short")
    cache.store.set(key, small)
    for request in (
        {},
        {"headers": {"Accept-Encoding": "gzip"}},
        {"headers": {"If-None-Match": '"short"', "Accept-Encoding": "br"}},
        {"headers": {"If-None-Match": '"short"', "If-Match": '"other"'}},
    ):
        page = assert_same_answer(app, handled, "/articles/harbour", **request)
        assert "Content-Encoding" not in page.headers


@pytest.mark.parametrize(
    "request_",
    [
        {"headers": {"Cookie": "session=abc"}},
        {"headers": {"Cookie": "remember_token=abc"}},
        {"headers": {"Cookie": "theme=dark; byline_comments=abc"}},
        {"method": "POST"},
        {"method": "OPTIONS"},
    ],
    ids=["session", "remember-me", "comment-ownership", "post", "options"],
)
def test_what_flask_would_not_answer_from_the_cache_goes_to_flask(app, story, handled, request_):
    hits = hits_of(app)
    for _ in range(2):
        ask(app, hits, "/articles/harbour")
    before = len(handled.paths)
    answer = ask(app, hits, "/articles/harbour", **request_)
    assert len(handled.paths) == before + 1
    assert answer.headers.get("X-Cache") != "hit"


def test_a_new_generation_is_seen_at_once(app, story, handled):
    hits = hits_of(app)
    cache = app.extensions["byline_page_cache"]
    for path in ("/articles/harbour", "/"):
        ask(app, hits, path)
        assert_same_answer(app, handled, path)
    cache.bump([article_generation("harbour")])
    assert ask(app, hits, "/articles/harbour").headers["X-Cache"] == "miss"
    assert_same_answer(app, handled, "/")  # its article's generation only
    cache.bump()
    for path in ("/articles/harbour", "/"):
        assert ask(app, hits, path).headers["X-Cache"] == "miss"
        assert_same_answer(app, handled, path)


def test_the_front_page_with_a_query_is_left_to_flask(app, story, handled):
    """It may be an old WordPress address (/?p=12), which Flask answers before the cache."""
    hits = hits_of(app)
    ask(app, hits, "/?p=12")
    before = len(handled.paths)
    again = ask(app, hits, "/?p=12")
    assert again.headers["X-Cache"] == "hit"
    assert handled.paths[before:] == ["/?p=12"]


def test_other_hosts_and_untrusted_hosts_go_to_flask(app, story, second_worker):
    """Entries another server stored for a made-up Host (one without SITE_URL, sharing the
    cache) are never answered by a server that names its host, or trusts only its own."""
    forged = {"headers": {"Host": "evil.example"}}
    open_server = second_worker(app)
    for _ in range(2):
        assert ask(open_server, hits_of(open_server), "/articles/harbour", **forged).headers[
            "X-Cache"
        ] in ("miss", "hit")
    for settings, status in (
        ({"SITE_URL": "http://byline.test"}, 200),
        ({"TRUSTED_HOSTS": ["byline.test"]}, 400),
    ):
        server = second_worker(app, **settings)
        watcher = Handled(server)
        try:
            answer = ask(server, hits_of(server), "/articles/harbour", **forged)
            assert (answer.status_code, answer.headers.get("X-Cache")) == (status, None)
            assert len(watcher.paths) == 1
            ask(server, hits_of(server), "/articles/harbour")
            assert_same_answer(server, watcher, "/articles/harbour")
        finally:
            watcher.close()


def test_with_redis_a_hit_reads_page_and_generations_together(
    app, story, redis_config, second_worker
):
    server = second_worker(app, **redis_config)
    watcher = Handled(server)
    try:
        hits = hits_of(server)
        ask(server, hits, "/articles/harbour")
        for _ in range(2):  # names learned from the entry, then read in the same MGET
            assert_same_answer(server, watcher, "/articles/harbour")
        with server.app_context():
            server.extensions["byline_page_cache"].bump([article_generation("harbour")])
        assert ask(server, hits, "/articles/harbour").headers["X-Cache"] == "miss"
        assert_same_answer(server, watcher, "/articles/harbour")
    finally:
        watcher.close()


@pytest.mark.parametrize(
    "headers",
    [{"If-Match": '"nope"'}, {"If-Match": '"nope"', "Accept-Encoding": "br"}],
)
def test_preconditions_are_answered_as_flask_answers_them(app, story, handled, headers):
    hits = hits_of(app)
    ask(app, hits, "/articles/harbour")
    fast = ask(app, hits, "/articles/harbour", headers=headers)
    full = ask(app, hits.wsgi_app, "/articles/harbour", headers=headers)
    assert fast.status_code == full.status_code == 412
    assert without_date(fast) == without_date(full)
