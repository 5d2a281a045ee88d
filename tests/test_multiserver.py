"""Two app servers on one PostgreSQL and one Redis behave as one site.

Each server is a real gunicorn with its own workers; what one learns (a sign-in, a
failed login count, a change that retires cached pages) must hold on the other.
"""

import http.cookiejar
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest

from blog.extensions import db
from blog.models import Role, Section
from tests.conftest import PASSWORD, TemporaryPostgres
from tests.harness import inside, new_user, published_article
from tests.live_server import LiveServer, make_app, running_server

REDIS_URL = "redis://127.0.0.1:6379/0"
CSRF_FIELD = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass
class Site:
    servers: list[LiveServer]
    article_path: str
    article_id: int
    editor_email: str


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory) -> Iterator[Site]:
    """Started once for this module (a start takes seconds); the sign-in throttle test
    runs last, since it locks out this client."""
    tmp_path = tmp_path_factory.mktemp("two-servers")
    prefix = f"byline-multi-{uuid.uuid4().hex}:"
    shared = {
        "REDIS_URL": REDIS_URL,
        "FLASK_PAGE_CACHE_PREFIX": prefix,
        "FLASK_RATELIMIT_ENABLED": "true",
        "FLASK_RATELIMIT_STORAGE_URI": REDIS_URL,
        "FLASK_RATELIMIT_KEY_PREFIX": prefix,
    }
    with TemporaryPostgres(f"byline_multi_{os.getpid()}") as database:
        with inside(make_app(database.url, tmp_path), migrate=True):
            editor = new_user("desk@byline.test", "Desk Editor", Role.EDITOR)
            section = Section(name="City", slug="city")
            article = published_article(
                "Bridge closes for repairs",
                "bridge",
                "The bridge closes on Monday.",
                brief="Traffic diverted.",
                author=editor,
                section=section,
            )
            db.session.add_all([editor, section, article])
            db.session.commit()
            article_id = article.id
        with ExitStack() as stack:
            servers = [
                stack.enter_context(
                    running_server(database.url, tmp_path, extra_env=shared, name=name)
                )
                for name in ("first", "second")
            ]
            yield Site(servers, "/articles/bridge", article_id, "desk@byline.test")


class Browser:
    """A cookie-keeping client; cookies for 127.0.0.1 go to every port, as in a browser
    that meets the same host name behind a load balancer."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, url: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def csrf(self, url: str) -> str:
        status, _, page = self.request(url)
        assert status == 200, status
        return CSRF_FIELD.search(page).group(1)

    def sign_in(self, server: LiveServer, email: str, password: str) -> int:
        token = self.csrf(f"{server.origin}/editor/login")
        status, _, _ = self.request(
            f"{server.origin}/editor/login",
            {"csrf_token": token, "email": email, "password": password},
            {"Origin": server.origin},
        )
        return status


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_sign_in_on_one_server_holds_on_the_other(two_servers):
    first, second = two_servers.servers
    browser = Browser()
    assert browser.sign_in(first, two_servers.editor_email, PASSWORD) == 302
    status, _, page = browser.request(f"{second.origin}/editor/")
    assert status == 200
    assert "Desk Editor" in page


def test_a_change_through_one_server_retires_cached_pages_on_the_other(two_servers):
    first, second = two_servers.servers
    reader = Browser()
    for server in (first, second):
        reader.request(f"{server.origin}{two_servers.article_path}")
        status, headers, _ = reader.request(f"{server.origin}{two_servers.article_path}")
        assert (status, headers["X-Cache"]) == (200, "hit")

    desk = Browser()
    assert desk.sign_in(first, two_servers.editor_email, PASSWORD) == 302
    token = desk.csrf(f"{first.origin}/editor/articles/{two_servers.article_id}")
    status, _, _ = desk.request(
        f"{first.origin}/editor/articles/{two_servers.article_id}/notes",
        {"csrf_token": token, "note_body": "Reopening moved to Friday."},
        {"Origin": first.origin},
    )
    assert status in (302, 303)

    status, headers, page = reader.request(f"{second.origin}{two_servers.article_path}")
    assert status == 200
    assert headers["X-Cache"] == "miss"
    assert "Reopening moved to Friday." in page


def test_failed_sign_ins_count_across_servers(two_servers):
    """Last in this module: five failures lock this client out on both servers."""
    first, second = two_servers.servers
    for _ in range(5):  # the limit: 5 failures per account and client in 15 minutes
        assert Browser().sign_in(first, two_servers.editor_email, "wrong password") == 200
    assert Browser().sign_in(second, two_servers.editor_email, PASSWORD) == 429
