"""Several app servers behind one proxy: two gunicorns on one PostgreSQL and one Redis
write their copies of pages into one folder, which the shipped nginx or Caddy serves,
passing everything else to both; a change made through either server retires the copy the
other wrote, so it shows on the next request through the proxy."""

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from blog import formguard
from blog.extensions import db
from blog.models import Role, Section
from tests.conftest import PASSWORD, TemporaryPostgres
from tests.deploy_helpers import loopback_caddy, loopback_nginx
from tests.harness import inside, new_user, published_article
from tests.live_server import LiveServer, make_app, running_server
from tests.proxy_site import CSRF_FIELD, ProxiedSite, Visitor, behind_proxy

REDIS_URL = "redis://127.0.0.1:6379/0"
EDITOR = "desk@byline.test"


@dataclass
class Servers:
    first: LiveServer
    second: LiveServer
    page_files: Path
    articles: dict[str, int]  # slug: id
    comment_tokens: dict[str, str]  # slug: the comment form's token, issued a minute ago


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[Servers]:
    """Two gunicorns of one worker each (see requests_reaching), sharing the database,
    Redis and the folder of copies, as app servers on the proxy's own host do."""
    tmp_path = tmp_path_factory.mktemp("proxy-pages-servers")
    page_files = tmp_path / "page_files"
    prefix = f"byline-proxy-pages-{uuid.uuid4().hex}:"
    shared = {
        **behind_proxy(page_files),
        "REDIS_URL": REDIS_URL,
        "FLASK_PAGE_CACHE_PREFIX": prefix,
        "FLASK_JOBS_NAME": prefix,
    }
    with TemporaryPostgres(f"byline_proxy_pages_{os.getpid()}") as database:
        app = make_app(database.url, tmp_path)
        with inside(app, migrate=True):
            editor = new_user(EDITOR, "Desk Editor", Role.EDITOR)
            section = Section(name="City", slug="city")
            articles = [
                published_article(title, slug, f"Of the {slug}.", brief="In short.")
                for slug, title in (("bridge", "Bridge closes"), ("ferry", "Ferry changes"))
            ]
            for article in articles:
                article.author, article.section = editor, section
            db.session.add_all([editor, section, *articles])
            db.session.commit()
            ids = {article.slug: article.id for article in articles}
        with app.app_context():
            tokens = {
                slug: formguard.issue_token("comment", ids[slug], issued_at=time.time() - 60)
                for slug in ids
            }
        with ExitStack() as stack:
            first, second = (
                stack.enter_context(
                    running_server(database.url, tmp_path, extra_env=shared, name=name, workers=1)
                )
                for name in ("first", "second")
            )
            yield Servers(first, second, page_files, ids, tokens)


@pytest.fixture(params=["nginx", "caddy"])
def proxied(request, servers, tmp_path) -> Iterator[ProxiedSite]:
    """The proxy in front of both servers."""
    upstreams = [f"127.0.0.1:{server.port}" for server in (servers.first, servers.second)]
    if request.param == "nginx":
        proxy = loopback_nginx(tmp_path, upstreams, tmp_path, servers.page_files)
    else:
        proxy = loopback_caddy(tmp_path, upstreams, tmp_path, servers.page_files, tls=True)
    with proxy as running:
        yield ProxiedSite([servers.first, servers.second], running.port, servers.page_files)


def copied_by_first_server(proxied: ProxiedSite, path: str) -> None:
    """The page rendered and copied by the first server, then answered from that copy."""
    proxied.byline(path)
    proxied.from_copy(path)


def test_an_edit_through_the_second_server_shows_through_the_proxy(servers, proxied):
    path, title = "/articles/bridge", f"Bridge reopens {uuid.uuid4().hex[:8]}"
    copied_by_first_server(proxied, path)
    desk = Visitor(servers.second.port, direct=True)
    desk.sign_in(EDITOR, PASSWORD)
    answer = desk.submit(
        f"/editor/articles/{servers.articles['bridge']}", {"title": title, "action": "save"}
    )
    assert answer.status == 302, answer.body.decode()

    assert title in proxied.reader().page(path)
    assert title in proxied.from_copy(path).body.decode()


def test_a_comment_approved_through_the_second_server_shows_through_the_proxy(servers, proxied):
    """The first server wrote the copy and noted it under the article; the second retires
    the article's copies alone (not the whole site's) from that note."""
    path, body = "/articles/ferry", f"Comment {uuid.uuid4().hex[:8]}"
    reader = Visitor(servers.first.port, direct=True)
    fields = {"name": "Rita", "email": f"{uuid.uuid4().hex[:8]}@example.org", "body": body}
    fields |= {"form_token": servers.comment_tokens["ferry"], "parent_id": "", "website": ""}
    posted = reader.request("POST", "/articles/ferry/comments", fields)
    assert posted.status == 303, posted.body.decode()
    comment_id = int(posted.getheader("Location").rsplit("#comment-", 1)[1])
    copied_by_first_server(proxied, path)
    copied_by_first_server(proxied, "/")
    assert body not in proxied.from_copy(path).body.decode()  # held for moderation

    desk = Visitor(servers.second.port, direct=True)
    desk.sign_in(EDITOR, PASSWORD)
    token = CSRF_FIELD.search(desk.page("/editor/comments/")).group(1)
    fields = {"csrf_token": token, "action": "approve", "next": "/editor/comments/"}
    answer = desk.request("POST", f"/editor/comments/{comment_id}/moderate", fields)
    assert answer.status == 303, answer.body.decode()

    assert body in proxied.reader().page(path)
    proxied.from_copy("/")  # another page's copy stays
