"""Cached pages written as files for the proxy (blog/pagefiles.py): what is written, what
never is, and how a change retires the copies inside the request that commits it.
tests/test_proxy_pages.py serves the same files through the real nginx and Caddy."""

import errno
import gzip
import os
import threading
import time
from pathlib import Path

import pytest
from flask import Flask, before_render_template, session
from sqlalchemy import select

from blog import create_app
from blog.config import ConfigError
from blog.extensions import db
from blog.models import Article, Comment, CommentStatus
from blog.pagecache import cached_page
from blog.pagefiles import SWEEP_EVERY, PageFiles, copy_name
from blog.services import moderation
from blog.services.moderation import ModerationAction
from tests.test_pagecache import fetch

SITE = "http://byline.test"
STORES = ["files", "redis"]


@pytest.fixture
def story(make_article, make_comment):
    article = make_article("The harbour reopens", slug="harbour")
    make_article("Ferry timetable", slug="ferry")
    make_comment(article, "Held for a look.", status=CommentStatus.PENDING)
    return article


@pytest.fixture(params=STORES)
def files_app(request, app, story, second_worker, tmp_path) -> Flask:
    extra = request.getfixturevalue("redis_config") if request.param == "redis" else {}
    return second_worker(app, SITE_URL=SITE, PAGE_FILES_DIR=str(tmp_path / "pages"), **extra)


def copies(app: Flask) -> PageFiles:
    return app.extensions["byline_page_cache"].copies


def copy_path(app: Flask, path: str, suffix: str = ".html") -> Path:
    return copies(app).current / "http" / "byline.test" / f"{path.lstrip('/')}{suffix}"


def written(app: Flask) -> set[str]:
    """The copies in the current folder, by address."""
    folder = copies(app).current.resolve()
    if not folder.is_dir():
        return set()
    return {
        "/" + str(path.relative_to(folder / "http" / "byline.test"))
        for path in folder.rglob("*")
        if path.is_file()
        and not path.name.endswith(".gz")
        and not {".articles", ".expiring"} & set(path.parts)
    }


def change_title(app: Flask, slug: str, title: str) -> None:
    with app.app_context():
        article = db.session.scalars(select(Article).where(Article.slug == slug)).one()
        article.title = title
        db.session.commit()


def approve_held(app: Flask) -> None:
    with app.app_context():
        held = db.session.scalars(
            select(Comment.id).where(Comment.status == CommentStatus.PENDING)
        ).all()
        moderation.moderate(list(held), ModerationAction.APPROVE)


def test_an_anonymous_page_is_written_plain_and_compressed(files_app):
    client = files_app.test_client()
    for path, suffix, mimetype in [
        ("/articles/harbour", ".html", "text/html"),
        ("/", ".html", "text/html"),
        ("/feed.xml", ".atom", "application/atom+xml"),
        ("/sitemap.xml", ".xml", "application/xml"),
    ]:
        response = fetch(client, path)
        assert response.mimetype == mimetype
        copy = copy_path(files_app, "/." if path == "/" else path, suffix)
        if path == "/":
            copy = copy_path(files_app, "/", suffix)
        assert copy.read_bytes() == response.get_data(), path
        compressed = copy.with_name(copy.name + ".gz").read_bytes()
        assert gzip.decompress(compressed) == response.get_data(), path
    assert copy_path(files_app, "/", ".html").name == ".html"  # "/" and "/a/" end in "/.html"
    assert os.path.islink(copies(files_app).current)


def test_private_or_unusual_requests_write_no_copy(files_app):
    client = files_app.test_client()
    fetch(client, "/articles/harbour?comments=1")
    fetch(client, "/articles/harbour", headers={"Host": "evil.example"})
    for cookie in ("session", "remember_token", "byline_comments"):
        private = files_app.test_client()
        private.set_cookie(cookie, "x", domain="byline.test")
        fetch(private, "/articles/ferry")
    assert client.get("/articles/no-such-story").status_code == 404
    assert client.post("/articles/harbour").status_code in (400, 403, 405)
    assert written(files_app) == set()
    fetch(client, "/articles/ferry")  # the same address, anonymous, gets its copy
    assert written(files_app) == {"/articles/ferry.html"}


def test_a_site_change_retires_every_copy_at_once(files_app):
    client = files_app.test_client()
    for path in ("/", "/articles/harbour", "/articles/ferry"):
        fetch(client, path)
    before = os.readlink(copies(files_app).current)
    assert written(files_app) == {"/.html", "/articles/harbour.html", "/articles/ferry.html"}
    change_title(files_app, "harbour", "The harbour reopens to ferries")
    assert os.readlink(copies(files_app).current) != before
    assert written(files_app) == set()
    fetch(client, "/")
    assert b"reopens to ferries" in copy_path(files_app, "/", ".html").read_bytes()


def test_an_approved_comment_retires_only_its_articles_copies(files_app):
    client = files_app.test_client()
    pages = ["/", "/articles/harbour", "/articles/ferry", "/articles/harbour/comments/feed.xml"]
    for path in pages:
        fetch(client, path)
    assert len(written(files_app)) == 4
    approve_held(files_app)
    assert written(files_app) == {"/.html", "/articles/ferry.html"}
    fetch(client, "/articles/harbour")
    assert b"Held for a look." in copy_path(files_app, "/articles/harbour").read_bytes()


@pytest.mark.parametrize(
    ("change", "shown"), [("site", "reopens, winter"), ("article", "Held for a look.")]
)
def test_a_copy_rendered_before_a_change_is_not_left_behind(files_app, change, shown):
    """A change committed while the page renders: the page is answered, but its copy is
    not kept, for it may show the state before the change."""
    done = []

    def change_during_render(sender, template, context, **extra):
        if not done:
            done.append(template.name)
            if change == "site":
                change_title(files_app, "harbour", "The harbour reopens, winter")
            else:
                approve_held(files_app)

    before_render_template.connect(change_during_render, files_app)
    try:
        assert shown not in fetch(files_app.test_client(), "/articles/harbour").text
    finally:
        before_render_template.disconnect(change_during_render, files_app)
    assert done
    assert written(files_app) == set()
    assert shown in fetch(files_app.test_client(), "/articles/harbour").text
    assert written(files_app) == {"/articles/harbour.html"}


def test_the_sweep_removes_old_copies_and_retired_folders(files_app):
    client = files_app.test_client()
    fetch(client, "/articles/harbour")
    files = copies(files_app)
    now = time.time()
    assert files.sweep(now) == 0
    old_folder = files.current.resolve()
    assert files.sweep(now + files.ttl + 1) == 1  # share counts may lag the TTL, no more
    assert written(files_app) == set()
    files.retire_all()
    files.sweep(now + 1)
    assert old_folder.is_dir()  # retired a moment ago: it may still be written to
    files.sweep(now + 120)
    assert not old_folder.exists()


def test_the_processes_of_a_server_sweep_in_turn_not_each(tmp_path):
    files = PageFiles(tmp_path, ttl=60)
    folder = files.current_folder()
    now = time.time()
    files.write(
        "http/h/a.html", b"a", folder=folder, article=None, ends=None, unchanged=lambda: True
    )
    files.sweep(now)
    other = PageFiles(tmp_path, ttl=60)  # another worker, a moment later
    assert other.sweep(now + files.ttl + 1) == 1
    files.write(
        "http/h/b.html", b"b", folder=folder, article=None, ends=None, unchanged=lambda: True
    )
    assert files.sweep(now + files.ttl + 2) == 0  # swept a second ago
    assert other.sweep(now + files.ttl + 3 + SWEEP_EVERY) == 1


def test_a_copy_that_ends_before_the_ttl_is_swept_at_its_end(tmp_path):
    files = PageFiles(tmp_path, ttl=60)
    folder = files.current_folder()
    now = time.time()
    for name, ends in [("http/h/a.html", now + 5), ("http/h/b.html", None)]:
        written = files.write(
            name, b"page", folder=folder, article=None, ends=ends, unchanged=lambda: True
        )
        assert written
    assert files.sweep(now + 1) == 0
    assert files.sweep(now + 6) == 1
    assert not (tmp_path / folder / "http/h/a.html").exists()
    assert not (tmp_path / folder / "http/h/a.html.gz").exists()
    assert (tmp_path / folder / "http/h/b.html").exists()


def test_a_copy_is_not_written_into_a_retired_folder(tmp_path):
    files = PageFiles(tmp_path, ttl=60)
    folder = files.current_folder()
    files.retire_all()
    assert not files.write(
        "http/h/a.html", b"page", folder=folder, article=None, ends=None, unchanged=lambda: True
    )
    assert not (tmp_path / folder / "http/h/a.html").exists()


@pytest.mark.parametrize(
    ("path", "mimetype", "name"),
    [
        ("/", "text/html", "https/h.example/.html"),
        ("/a", "text/html", "https/h.example/a.html"),
        ("/a/", "text/html", "https/h.example/a/.html"),
        ("/a.html", "text/html", "https/h.example/a.html.html"),
        ("/feed.xml", "application/atom+xml", "https/h.example/feed.xml.atom"),
        ("/sitemap.xml", "application/xml", "https/h.example/sitemap.xml.xml"),
        ("/.env", "text/html", None),
        ("/a/../b", "text/html", None),
        ("/a//b", "text/html", None),
        ("/caf\u00e9", "text/html", None),
        ("/a b", "text/html", None),
        ("/" + "a" * 201, "text/html", None),
        ("/a", "application/json", None),
    ],
)
def test_which_addresses_get_a_copy_and_where(path, mimetype, name):
    assert copy_name("https", "h.example", path, mimetype) == name


@pytest.mark.parametrize("host", ["H.example", "h.example/..", "", "h example"])
def test_an_unusual_host_gets_no_copy(host):
    assert copy_name("https", host, "/a", "text/html") is None


def test_page_files_need_the_sites_address(app, tmp_path):
    with pytest.raises(ConfigError, match="PAGE_FILES_DIR needs SITE_URL"):
        create_app({**app.config, "SITE_URL": None, "PAGE_FILES_DIR": str(tmp_path)})


def test_a_folder_that_cannot_be_written_costs_only_the_copies(
    app,
    story,
    second_worker,
    tmp_path,
):
    dangling = tmp_path / "unmounted"
    dangling.symlink_to(tmp_path / "no-such-disk")  # a mount that went away
    broken = second_worker(app, SITE_URL=SITE, PAGE_FILES_DIR=str(dangling / "pages"))
    client = broken.test_client()
    for _ in range(2):
        assert "The harbour reopens" in fetch(client, "/articles/harbour").text
    change_title(broken, "harbour", "The harbour reopens at noon")
    assert "at noon" in fetch(client, "/articles/harbour").text


def test_the_front_page_copy_goes_by_the_ttl_like_the_others(files_app):
    client = files_app.test_client()
    fetch(client, "/")
    fetch(client, "/articles/ferry")
    files = copies(files_app)
    files.sweep(time.time() + files.ttl + 1)
    assert written(files_app) == set()


def test_a_copy_goes_within_a_second_of_its_end(tmp_path):
    """A front-page pick or the breaking banner ends: the copy goes as Byline's own
    cached page does, not a whole walk of the folder later."""
    files = PageFiles(tmp_path, ttl=60)
    folder = files.current_folder()
    now = time.time()
    files.sweep(now)  # a routine sweep, just before
    for name, ends in [("https/h/.html", now + 0.5), ("https/h/late.html", now + 90)]:
        files.write(name, b"pick", folder=folder, article=None, ends=ends, unchanged=lambda: True)
    files.sweep(now + 1.5)
    assert not (tmp_path / folder / "https/h/.html").exists()
    files.sweep(now + 100)  # an end after the TTL: the TTL comes first
    assert not (tmp_path / folder / "https/h/late.html").exists()


def test_a_site_change_retires_the_copies_even_when_no_folder_can_be_made(files_app, monkeypatch):
    fetch(files_app.test_client(), "/articles/harbour")

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(PageFiles, "_new_folder", full)
    change_title(files_app, "harbour", "The harbour closes again")
    assert not os.path.lexists(copies(files_app).current)  # the proxy asks Byline
    assert "closes again" in fetch(files_app.test_client(), "/articles/harbour").text
    monkeypatch.undo()  # space again: the next change makes a folder, and copies return
    change_title(files_app, "harbour", "The harbour closes for winter")
    fetch(files_app.test_client(), "/articles/harbour")
    assert b"for winter" in copy_path(files_app, "/articles/harbour").read_bytes()


def test_a_copy_that_could_not_be_noted_is_not_left(files_app, monkeypatch):
    def full(cls, listing, name, prefix=""):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(PageFiles, "_note", classmethod(full))
    fetch(files_app.test_client(), "/articles/harbour")
    monkeypatch.undo()
    assert written(files_app) == set()


def test_a_copy_whose_check_fails_is_not_left(files_app, monkeypatch):
    cache = files_app.extensions["byline_page_cache"]

    def blinking(names):
        raise ConnectionError("Redis restarting")

    def during_render(sender, template, context, **extra):
        monkeypatch.setattr(cache, "generations", blinking)

    before_render_template.connect(during_render, files_app)
    try:
        fetch(files_app.test_client(), "/articles/harbour")
    finally:
        before_render_template.disconnect(during_render, files_app)
    assert written(files_app) == set()


def test_an_articles_copies_are_noted_once_however_often_rewritten(tmp_path):
    files = PageFiles(tmp_path, ttl=60)
    folder = files.current_folder()
    for _ in range(50):
        files.write(
            "https/h/articles/a.html",
            b"a",
            folder=folder,
            article="generation:article:abc",
            ends=None,
            unchanged=lambda: True,
        )
    assert len(list((tmp_path / folder / ".articles" / "abc").iterdir())) == 1
    files.retire_articles(["generation:article:abc"])
    assert not (tmp_path / folder / "https/h/articles/a.html").exists()
    assert not list((tmp_path / folder / ".articles" / "abc").iterdir())


def test_a_page_that_writes_to_the_session_is_neither_cached_nor_copied(
    app, story, second_worker, tmp_path
):
    site = second_worker(app, SITE_URL=SITE, PAGE_FILES_DIR=str(tmp_path / "pages"))

    @site.get("/hello")
    @cached_page
    def hello():
        session["seen"] = True  # a flash message, say
        return "<p>hello</p>"

    for _ in range(2):
        response = site.test_client().get("/hello")
        assert "session=" in response.headers["Set-Cookie"]
        assert "X-Cache" not in response.headers
    assert written(site) == set()


def test_a_copy_is_put_in_place_only_after_its_check(tmp_path):
    files = PageFiles(tmp_path, ttl=60)
    folder = files.current_folder()
    copy = tmp_path / folder / "https/h/articles/a.html"
    seen = []

    def unchanged() -> bool:
        seen.append(copy.exists())
        return False  # the article changed while the page rendered

    article = "generation:article:abc"
    written = files.write(
        "https/h/articles/a.html",
        b"a",
        folder=folder,
        article=article,
        ends=None,
        unchanged=unchanged,
    )
    assert not written
    assert seen == [False]  # never visible to the proxy, not even for a moment
    assert not copy.exists()


def test_retiring_an_articles_copies_waits_for_a_writer_between_check_and_place(tmp_path):
    files = PageFiles(tmp_path, ttl=60)
    folder = files.current_folder()
    copy = tmp_path / folder / "https/h/articles/a.html"
    article = "generation:article:abc"
    checked, go_on = threading.Event(), threading.Event()

    def unchanged() -> bool:  # checked before the article's change was committed
        checked.set()
        go_on.wait()
        return True

    def write() -> None:
        files.write(
            "https/h/articles/a.html",
            b"a",
            folder=folder,
            article=article,
            ends=None,
            unchanged=unchanged,
        )

    writer = threading.Thread(target=write)
    writer.start()
    try:
        checked.wait()
        retire = threading.Thread(target=files.retire_articles, args=([article],))
        retire.start()
        retire.join(timeout=0.5)
        assert retire.is_alive()  # it waits for the writer to put its copy in place ...
    finally:
        go_on.set()
        writer.join()
    retire.join()
    assert not copy.exists()  # ... and then retires it
