"""A real gunicorn sweeps the page files it writes (gunicorn.conf.py starts the sweep in
each worker): a copy goes once PAGE_CACHE_TTL has passed, with no request reaching
Byline, as when the proxy answers every reader."""

import pytest

from blog.extensions import db
from blog.models import Role
from tests.harness import inside, new_user, published_article, wait_until
from tests.live_server import make_app, running_server
from tests.proxy_site import Visitor, behind_proxy

pytestmark = pytest.mark.live_server


def test_a_gunicorn_worker_sweeps_copies_past_the_ttl(tmp_path):
    database = f"sqlite:///{tmp_path / 'byline.db'}"
    with inside(make_app(database, tmp_path), migrate=True):
        author = new_user("desk@byline.test", "Desk Editor", Role.EDITOR)
        story = published_article("The harbour reopens", "harbour", "Ferries return.")
        story.author = author
        db.session.add_all([author, story])
        db.session.commit()
    page_files = tmp_path / "page_files"
    env = {**behind_proxy(page_files), "FLASK_PAGE_CACHE_TTL": "2"}
    with running_server(database, tmp_path, extra_env=env, workers=1) as server:
        response = Visitor(server.port, direct=True).request("GET", "/articles/harbour")
        assert response.status == 200
        copy = page_files / "current" / "https" / "news.example.org" / "articles" / "harbour.html"
        assert copy.is_file()
        wait_until(lambda: not copy.exists(), "the sweep removes the copy", within=30)
