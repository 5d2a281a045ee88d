"""Parts of pages kept between renders (blog/fragments.py): the same page as a full
render, fewer queries, and every change shown at once, with the page cache off."""

import re

import pytest
from flask import Flask, before_render_template
from sqlalchemy import select

from blog.extensions import db
from blog.models import Article, Comment, CommentStatus
from blog.services import moderation, notes, profiles, settings, taxonomy
from blog.services.moderation import ModerationAction
from tests.conftest import PASSWORD
from tests.test_comments import post_comment
from tests.test_pagecache import fetch

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


def change_title(app: Flask, title: str) -> None:
    with app.app_context():
        article = db.session.scalars(select(Article).where(Article.slug == "harbour")).one()
        article.title = title
        db.session.commit()


def approve_held(app: Flask) -> None:
    with app.app_context():
        held = db.session.scalars(
            select(Comment.id).where(Comment.status == CommentStatus.PENDING)
        ).all()
        moderation.moderate(list(held), ModerationAction.APPROVE)


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
        lambda: change_title(kept, "The harbour reopens to ferries"),
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
            change_title(kept, "The harbour reopens, winter") if change == "site" else approve_held(
                kept
            )

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
