"""Parts of pages kept between renders (blog/fragments.py): the same page as a full
render, fewer queries, and every change shown at once, with the page cache off."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import redis
from flask import Flask, before_render_template

from blog import fragments, pagecache
from blog.extensions import db
from blog.models import Article, CommentStatus
from blog.services import notes, profiles, settings, taxonomy
from tests.conftest import PASSWORD
from tests.test_comments import post_comment
from tests.test_pagecache import fetch
from tests.test_pagefiles import approve_held, change_title

STORES = ["files", "redis"]
# Form and share tokens are signed with the time: the only bytes two renders may differ by.
TOKENS = re.compile(r'(name="(?:token|form_token)"(?: type="hidden")?) value="[^"]*"')


def without_tokens(page: str) -> str:
    return TOKENS.sub(r"\1", page)


@pytest.fixture
def story(make_article, make_topic, make_comment, editor):
    """An article with what its page shows around it: topics, an editor's comment, a
    thread with replies, and other stories to relate it to."""
    ports = make_topic("Ports", slug="ports")
    story = make_article("The harbour reopens", slug="harbour", topics=[ports])
    make_article("Ferries return", slug="ferries", topics=[ports])
    notes.add_note(story, editor, "Updated with the port's statement.")
    first = make_comment(story, "Good news for the town.")
    make_comment(story, "Agreed, at last.", parent=first)
    make_comment(story, "Held back for a look.", status=CommentStatus.PENDING)
    return story


@pytest.fixture(params=STORES)
def kept(request, app, story, second_worker) -> Flask:
    """The app with the page cache off and the fragments on, on files or Redis."""
    extra = request.getfixturevalue("redis_config") if request.param == "redis" else {}
    return second_worker(app, PAGE_CACHE=False, **extra)


@pytest.fixture
def rendered(app, second_worker) -> Flask:
    """The same site rendering everything each time."""
    return second_worker(app, PAGE_CACHE=False, FRAGMENT_CACHE=False)


PAGES = [
    "/articles/harbour",
    "/articles/harbour?sort=newest",
    "/articles/harbour?reply=1",
    "/",
    "/topic/ports",
    "/no-such-page",
]


def page(app: Flask, path: str):
    return app.test_client().get(path)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_from_kept_parts_is_the_page_rendered_whole(kept, rendered, path):
    whole = page(rendered, path)
    first, again = page(kept, path), page(kept, path)  # rendered and kept, then from them
    assert first.status_code == again.status_code == whole.status_code
    assert without_tokens(first.text) == without_tokens(whole.text)
    assert without_tokens(again.text) == without_tokens(whole.text)


def test_kept_parts_spare_the_queries_of_what_they_show(kept, rendered, count_queries):
    with rendered.app_context(), count_queries() as counter:
        page(rendered, "/articles/harbour")
    whole = counter.count
    page(kept, "/articles/harbour")
    with kept.app_context(), count_queries() as counter:
        assert page(kept, "/articles/harbour").status_code == 200
    # The article alone and the site's settings: its author, topics, notes, related
    # stories, thread and the menus come from the kept parts.
    assert counter.count == 2
    assert whole > 8


def test_every_change_shows_at_once(kept, story, editor):
    section, author = story.section, story.author
    checks = []

    def change(label, action, path, expected):
        checks.append(label)
        fetch(kept.test_client(), path)
        fetch(kept.test_client(), path)  # from its kept parts
        with kept.app_context():
            action()
        assert expected in fetch(kept.test_client(), path).text, label

    change(
        "title",
        lambda: change_title(kept, "harbour", "The harbour reopens to ferries"),
        "/articles/harbour",
        "reopens to ferries",
    )
    change(
        "editor's comment",
        lambda: notes.add_note(
            db.session.get(Article, story.id), db.session.merge(editor), "A second statement."
        ),
        "/articles/harbour",
        "A second statement.",
    )
    change(
        "comment approval", lambda: approve_held(kept), "/articles/harbour", "Held back for a look."
    )
    change(
        "settings",
        lambda: settings.update(site_title="The Harbour Post"),
        "/articles/harbour",
        "The Harbour Post",
    )
    change(
        "section rename",
        lambda: taxonomy.update_section(db.session.merge(section), "Waterfront", section.slug, ""),
        "/articles/harbour",
        "Waterfront",
    )
    change(
        "author profile",
        lambda: profiles.update_profile(
            db.session.merge(author), display_name="Ada Lovelace", bio="Port reporter."
        ),
        "/articles/harbour",
        "Ada Lovelace",
    )
    assert len(checks) == 6


@pytest.mark.parametrize("change", ["site", "article"])
def test_a_part_rendered_before_a_change_is_not_kept(kept, change):
    """A change committed while the page renders: the page is answered, but its parts
    are kept under a generation that is already old, so the next reader sees the change."""
    shown = "reopens, winter" if change == "site" else "Held back for a look."
    done = []

    def change_during_render(sender, template, context, **extra):
        if not done:
            done.append(template.name)
            if change == "site":
                change_title(kept, "harbour", "The harbour reopens, winter")
            else:
                approve_held(kept)

    before_render_template.connect(change_during_render, kept)
    try:
        assert shown not in fetch(kept.test_client(), "/articles/harbour").text
    finally:
        before_render_template.disconnect(change_during_render, kept)
    assert done
    assert shown in fetch(kept.test_client(), "/articles/harbour").text


def test_a_reader_sees_their_own_held_comment_and_nobody_else_does(kept, story):
    fetch(kept.test_client(), "/articles/harbour")  # the thread is kept
    poster = kept.test_client()
    assert (
        post_comment(poster, story, name="Rosa Reader", body="Mine, awaiting.").status_code == 303
    )
    assert "Mine, awaiting." in fetch(poster, "/articles/harbour").text
    others = fetch(kept.test_client(), "/articles/harbour").text
    assert "Mine, awaiting." not in others
    assert "Good news for the town." in others


def test_a_signed_in_editor_gets_the_kept_parts_and_their_own_form(kept, editor):
    anonymous = fetch(kept.test_client(), "/articles/harbour").text
    staff = kept.test_client()
    signed_in = staff.post("/editor/login", data={"email": editor.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    staff_page = fetch(staff, "/articles/harbour").text
    assert "You are signed in" in staff_page
    assert "Good news for the town." in staff_page
    again = fetch(kept.test_client(), "/articles/harbour").text
    assert "You are signed in" not in again
    assert 'name="csrf_token"' not in again
    assert without_tokens(again) == without_tokens(anonymous)


def test_a_page_renders_when_the_store_is_unreachable(app, story, second_worker):
    broken = second_worker(app, PAGE_CACHE=False, REDIS_URL="redis://127.0.0.1:1/0")
    for _ in range(2):
        response = page(broken, "/articles/harbour")
        assert response.status_code == 200
        assert "Good news for the town." in response.text


def test_fragments_never_push_pages_out_of_the_page_cache(
    app, make_article, second_worker, tmp_path
):
    for n in range(8):
        make_article(f"Story {n}", slug=f"story-{n}")
    server = second_worker(
        app, PAGE_CACHE_SIZE=30, PAGE_CACHE_GENERATION_FILE=str(tmp_path / "store" / "gen")
    )
    client = server.test_client()
    for n in range(8):
        fetch(client, f"/articles/story-{n}")
    # Each article keeps several parts; its page is still there for the next reader.
    assert [fetch(client, f"/articles/story-{n}").headers["X-Cache"] for n in range(8)] == [
        "hit"
    ] * 8
    assert len(list((tmp_path / "store" / "fragment_cache").iterdir())) > 8


def test_a_forged_host_keeps_nothing(app, story, second_worker, tmp_path):
    server = second_worker(
        app,
        SITE_URL="http://byline.test",
        PAGE_CACHE=False,
        PAGE_CACHE_GENERATION_FILE=str(tmp_path / "forged" / "gen"),
    )
    client = server.test_client()
    fetch(client, "/articles/harbour")
    folder = tmp_path / "forged" / "fragment_cache"
    kept = len(list(folder.iterdir()))
    for n in range(3):
        assert client.get("/articles/harbour", headers={"Host": f"x{n}.test"}).status_code == 200
    assert len(list(folder.iterdir())) == kept


def test_a_page_is_cached_no_longer_than_the_parts_it_shows(
    app, make_section, make_article, second_worker, redis_config
):
    section = make_section()
    make_article("Old news", section=section)
    server = second_worker(app, **redis_config)
    path = f"/section/{section.slug}"
    fetch(server.test_client(), path + "?from=elsewhere")  # keeps the list of stories
    with server.test_request_context(path):
        part = fragments.key("listing", "section", section.id, 1)
        page = pagecache.page_key()
    store = redis.Redis.from_url(redis_config["REDIS_URL"])
    prefix = redis_config["PAGE_CACHE_PREFIX"]
    kept = server.extensions["byline_fragments"]
    with server.app_context():
        generation, html, _ = kept.get(part)
        # The part was kept 55 s ago: it ends in 5 s, and so must the page shown from it.
        kept.set(part, (generation, html, datetime.now(UTC) + timedelta(seconds=5)), timeout=5)
    assert fetch(server.test_client(), path).headers["X-Cache"] == "miss"
    assert 0 < store.ttl(prefix + page) <= 5
    assert store.ttl(prefix + part) <= 5


def test_a_page_shown_while_the_database_fails_keeps_no_parts(app, story, second_worker, tmp_path):
    healthy = second_worker(app, PAGE_CACHE=False)
    assert 'class="section-nav"' in fetch(healthy.test_client(), "/articles/harbour").text
    healthy.extensions["byline_page_cache"].bump()  # what was kept is old now
    down = second_worker(
        app, PAGE_CACHE=False, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/no/such/site.db"
    )
    assert down.test_client().get("/articles/harbour").status_code == 503
    # The database answers again: the next reader gets the menus, not the outage's.
    assert 'class="section-nav"' in fetch(healthy.test_client(), "/articles/harbour").text
