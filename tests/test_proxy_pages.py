"""Copies of anonymous pages answered by the shipped nginx and Caddy, in front of a real
gunicorn that writes them (PAGE_FILES_DIR, blog/pagefiles.py): the proxy answers as Byline
would without reaching it, a change shows on the very next request through the proxy, and
whatever is private (a signed-in editor, a reader's own pending comment, a POST, a query)
reaches Byline and never lands in a copy."""

import gzip
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest

from blog import formguard
from blog.extensions import db
from blog.models import Role, Section
from tests.conftest import PASSWORD
from tests.deploy_helpers import HOST, Proxy, loopback_caddy, loopback_nginx
from tests.harness import inside, new_user, published_article
from tests.live_server import make_app, running_server
from tests.proxy_site import (
    CSRF_FIELD,
    ProxiedSite,
    Visitor,
    behind_proxy,
    headers_of,
    requests_reaching,
)

EDITOR = "desk@byline.test"
STORIES = {
    "harbour": "The harbour reopens",
    "bridge": "Bridge closes for repairs",
    "ferry": "Ferry timetable changes",
    "market": "Market moves indoors",
}


@dataclass
class Site(ProxiedSite):
    articles: dict[str, int]  # slug: id
    comment_token: Callable[[int], str]  # the comment form's token for an article id

    def editor(self) -> Visitor:
        desk = Visitor(self.proxy_port)
        desk.sign_in(EDITOR, PASSWORD)
        return desk


@pytest.fixture(scope="module", params=["nginx", "caddy"])
def site(request, tmp_path_factory) -> Iterator[Site]:
    """One site behind each proxy, its gunicorn with one worker (see requests_reaching)."""
    tmp_path = tmp_path_factory.mktemp(f"proxy-pages-{request.param}")
    database = f"sqlite:///{tmp_path / 'byline.db'}"
    page_files = tmp_path / "page_files"
    app = make_app(database, tmp_path)
    with inside(app, migrate=True):
        editor = new_user(EDITOR, "Desk Editor", Role.EDITOR)
        section = Section(name="City", slug="city")
        articles = [
            published_article(title, slug, f"The council spoke of the {slug}.", brief="In short.")
            for slug, title in STORIES.items()
        ]
        for article in articles:
            article.author, article.section = editor, section
        db.session.add_all([editor, section, *articles])
        db.session.commit()
        ids = {article.slug: article.id for article in articles}

    def comment_token(article_id: int) -> str:
        """The comment form's token, issued a minute ago (past the spam trap's seconds)."""
        with app.app_context():
            return formguard.issue_token("comment", article_id, issued_at=time.time() - 60)

    start: Callable[[str], AbstractContextManager[Proxy]] = {
        "nginx": lambda upstream: loopback_nginx(tmp_path, upstream, tmp_path, page_files),
        "caddy": lambda upstream: loopback_caddy(
            tmp_path, upstream, tmp_path, page_files, tls=True
        ),
    }[request.param]
    env = behind_proxy(page_files)
    with (
        running_server(database, tmp_path, extra_env=env, workers=1) as server,
        start(f"127.0.0.1:{server.port}") as proxy,
    ):
        yield Site([server], proxy.port, page_files, ids, comment_token)


def test_a_cached_page_is_answered_from_its_copy_as_byline_answers(site):
    path = "/articles/harbour"
    byline = site.byline(path)
    copy = site.from_copy(path)
    assert copy.body == byline.body
    assert copy.getheader("X-Cache") is None
    assert headers_of(copy) == headers_of(byline)
    assert ("vary", "Cookie") in headers_of(copy)

    compressed = site.from_copy(path, **{"Accept-Encoding": "gzip"})
    assert compressed.getheader("Content-Encoding") == "gzip"
    varies = [
        part.strip() for value in compressed.headers.get_all("Vary") for part in value.split(",")
    ]
    assert "Accept-Encoding" in varies
    assert headers_of(compressed) == sorted([*headers_of(byline), ("content-encoding", "gzip")])
    assert gzip.decompress(compressed.body) == byline.body
    # The compressed copy itself, not the plain one compressed again on the way.
    stored = site.page_files / "current" / "https" / HOST / "articles" / "harbour.html.gz"
    assert compressed.body == stored.read_bytes()
    head = site.reader().request("HEAD", path)
    assert (head.status, head.body) == (200, b"")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/section/city/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/section/city", "text/html; charset=utf-8"),
    ],
)
def test_feeds_the_sitemap_and_listings_are_answered_from_copies(site, path, content_type):
    byline = site.byline(path)
    assert byline.getheader("Content-Type") == content_type
    copy = site.from_copy(path)
    assert copy.body == byline.body
    assert headers_of(copy) == headers_of(byline)


def test_an_edited_title_shows_on_the_next_request_through_the_proxy(site):
    path, article_id = "/articles/bridge", site.articles["bridge"]
    site.byline(path)
    assert STORIES["bridge"] in site.from_copy(path).body.decode()

    answer = site.editor().submit(
        f"/editor/articles/{article_id}", {"title": "Bridge reopens early", "action": "save"}
    )
    assert answer.status == 302, answer.body.decode()
    page = site.reader().page(path)
    assert "Bridge reopens early" in page
    assert STORIES["bridge"] not in page
    assert "Bridge reopens early" in site.from_copy(path).body.decode()  # copied again


def post_comment(site: Site, reader: Visitor, slug: str, body: str) -> int:
    """A first-time commenter's comment, held for moderation; its id."""
    fields = {
        "name": "Rita Reader",
        "email": f"rita.{slug}@example.org",
        "body": body,
        "form_token": site.comment_token(site.articles[slug]),
        "parent_id": "",
        "website": "",
    }
    answer = reader.request("POST", f"/articles/{slug}/comments", fields)
    assert answer.status == 303, answer.body.decode()
    assert "byline_comments" in reader.cookies
    return int(answer.getheader("Location").rsplit("#comment-", 1)[1])


def test_an_approved_comment_shows_on_the_next_request_through_the_proxy(site):
    path = "/articles/ferry"
    site.byline(path)
    comment_id = post_comment(site, site.reader(), "ferry", "The early boat is gone.")
    assert "The early boat is gone." not in site.from_copy(path).body.decode()  # held

    desk = site.editor()
    token = CSRF_FIELD.search(desk.page("/editor/comments/")).group(1)
    answer = desk.request(
        "POST",
        f"/editor/comments/{comment_id}/moderate",
        {"csrf_token": token, "action": "approve", "next": "/editor/comments/"},
    )
    assert answer.status == 303, answer.body.decode()
    assert "The early boat is gone." in site.reader().page(path)


def test_a_published_article_shows_on_the_front_page_at_once(site):
    site.byline("/")
    assert "Tram line opens" not in site.from_copy("/").body.decode()

    answer = site.editor().submit(
        "/editor/articles/new",
        {
            "title": "Tram line opens",
            "slug": "tram",
            "brief": "Every ten minutes.",
            "body": "The first tram left at six.",
            "action": "publish",
        },
    )
    assert answer.status == 302, answer.body.decode()
    assert "Tram line opens" in site.reader().page("/")
    assert "Tram line opens" in site.reader().page("/feed.xml")


@pytest.mark.parametrize(
    ("method", "path", "cookie"),
    [
        ("GET", "/articles/market", "session=eyJ4IjoxfQ.abc.def"),
        ("GET", "/articles/market", "theme=dark; remember_token=1|abc"),
        ("GET", "/articles/market", "byline_comments=abc"),
        ("HEAD", "/articles/market", "session=eyJ4IjoxfQ.abc.def"),
        ("GET", "/articles/market?utm_source=x", ""),
        ("GET", "/articles/market?", ""),
        ("GET", "/articles/%6Darket", ""),
        ("GET", "/articles//market", ""),
        ("POST", "/articles/market", ""),
    ],
)
def test_private_and_unusual_requests_reach_byline(site, method, path, cookie):
    """With a copy in place: Byline's cookies, a query string, an address written otherwise
    than Byline writes it, or another method all pass to gunicorn."""
    site.byline("/articles/market")
    site.from_copy("/articles/market")
    headers = {"Cookie": cookie} if cookie else {}
    fields = {} if method == "POST" else None
    with requests_reaching(*site.servers) as reached:
        site.reader().request(method, path, fields, **headers)
    assert reached == [f"{method} {path}"]


def test_no_copy_holds_a_signed_in_editor_or_a_pending_comment(site):
    path = "/articles/market"
    reader = site.reader()
    post_comment(site, reader, "market", "Only I can see this yet.")
    desk = site.editor()
    for _ in range(2):  # twice: a second visit would be a hit, were the first stored
        own = reader.page(path)
        staff = desk.page(path)
        assert "Only I can see this yet." in own and "awaiting moderation" in own
        assert "You are signed in" in staff and 'name="csrf_token"' in staff
    anonymous = site.reader().page(path)
    assert "Only I can see this yet." not in anonymous
    assert "You are signed in" not in anonymous
    assert site.from_copy(path).body.decode() == anonymous
    copies = site.copies()
    assert copies
    for copy in copies:
        data = gzip.decompress(copy.read_bytes()) if copy.suffix == ".gz" else copy.read_bytes()
        for private in (b"Only I can see this yet.", b"You are signed in", b"csrf_token"):
            assert private not in data, copy
