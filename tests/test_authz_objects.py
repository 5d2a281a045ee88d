"""Object-level authorisation: right role, wrong object.

tests/test_permissions.py checks who may open each editor URL. These tests check what
happens when the URL or the form names an object the user may not touch: another
author's article, their own published article, a comment or note of another article,
ids that do not exist, and hidden fields rewritten in the browser. Every refusal must
leave every row of every table as it was.
"""

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    Comment,
    CommentStatus,
    EditorComment,
    Role,
    Subscription,
    ThreadFollow,
    Upload,
)
from blog.services import subscribers
from tests.follow_helpers import SITE, follower, form_token
from tests.security_helpers import ORIGIN, assert_unchanged, signed_in, snapshot
from tests.test_comments import aged_token

ARTICLE_ACTIONS = ("save", "submit", "preview", "upload", "publish", "schedule", "unpublish")
MISSING_IDS = (999_999, 2**31 - 1)
# Past the range of the id columns: refused by the URL converter, never sent to the driver.
OVERSIZED_IDS = (2**31, 2**63, 10**30)


@pytest.fixture
def newsroom(app, make_user, make_article, make_comment):
    """Two authors, an editor and an admin; drafts, a published piece, notes and comments."""
    people = {
        "ada": make_user(Role.AUTHOR, name="Ada Author"),
        "bob": make_user(Role.AUTHOR, name="Bob Author"),
        "eve": make_user(Role.EDITOR, name="Eve Editor"),
        "root": make_user(Role.ADMIN, name="Ro Admin"),
    }
    items = {
        "bob_draft": make_article(author=people["bob"], status=ArticleStatus.DRAFT),
        "bob_review": make_article(author=people["bob"], status=ArticleStatus.REVIEW),
        "ada_draft": make_article(author=people["ada"], status=ArticleStatus.DRAFT),
        "ada_live": make_article(author=people["ada"]),
        "other_live": make_article(author=people["bob"]),
    }
    note = EditorComment(article=items["bob_draft"], editor=people["eve"])
    note.set_body("Check the figures.")
    db.session.add(note)
    db.session.commit()
    items["note"] = note
    items["comment_live"] = make_comment(items["ada_live"])
    items["comment_other"] = make_comment(items["other_live"], status=CommentStatus.PENDING)
    return people, items


def article_form(article: Article, **fields) -> dict:
    data = {
        "title": "Taken over",
        "brief": "A brief.",
        "body": "Rewritten by someone else.",
        "version": str(article.version),
        "action": "save",
    }
    data.update(fields)
    return data


def test_author_cannot_touch_another_authors_article_by_id(app, newsroom):
    people, items = newsroom
    ada = signed_in(app, people["ada"])
    before = snapshot()
    for key in ("bob_draft", "bob_review", "other_live"):
        article = items[key]
        url = f"/editor/articles/{article.id}"
        assert ada.get(url).status_code == 403, url
        for action in ARTICLE_ACTIONS:
            response = ada.post(url, data=article_form(article, action=action))
            assert response.status_code == 403, (url, action, response.status_code)
            assert "Taken over" not in response.get_data(as_text=True)
        # Notes belong to editors: an author gets 403 whichever article the id names.
        response = ada.post(f"{url}/notes", data={"note_body": "Mine now"})
        assert response.status_code == 403
    note = items["note"]
    assert ada.get(f"/editor/notes/{note.id}").status_code == 403
    assert ada.post(f"/editor/notes/{note.id}", data={"note_body": "x"}).status_code == 403
    assert ada.post(f"/editor/notes/{note.id}/delete").status_code == 403
    assert_unchanged(before, "author acting on another author's article")


def test_author_cannot_edit_their_own_published_article(app, newsroom):
    people, items = newsroom
    ada = signed_in(app, people["ada"])
    live = items["ada_live"]
    before = snapshot()
    assert ada.get(f"/editor/articles/{live.id}").status_code == 403
    for action in ARTICLE_ACTIONS:
        response = ada.post(f"/editor/articles/{live.id}", data=article_form(live, action=action))
        assert response.status_code == 403, action
    assert_unchanged(before, "author editing their published article")


def test_author_cannot_use_editor_actions_on_their_own_draft(app, newsroom):
    people, items = newsroom
    ada = signed_in(app, people["ada"])
    draft = items["ada_draft"]
    before = snapshot()
    for action in ("publish", "schedule", "unpublish"):
        response = ada.post(
            f"/editor/articles/{draft.id}",
            data=article_form(
                draft, action=action, publish_date="2030-01-01", publish_time="09:00"
            ),
        )
        assert response.status_code == 403, action
    response = ada.post(f"/editor/articles/{draft.id}", data=article_form(draft, action="delete"))
    assert response.status_code == 400  # not an action of the form at all
    assert_unchanged(before, "author using editor actions")


def test_tampered_hidden_fields_are_ignored_or_refused(app, newsroom, make_user):
    people, items = newsroom
    ada = signed_in(app, people["ada"])
    draft = items["ada_draft"]
    foreign_upload = Upload(
        path="2020/01/foreign.png",
        original_name="foreign.png",
        content_type="image/png",
        size_bytes=10,
        width=1,
        height=1,
        sha256="0" * 64,
        variants={},
        uploaded_by_id=people["bob"].id,
    )
    db.session.add(foreign_upload)
    db.session.commit()

    before = snapshot()
    # A stale, a future and a malformed version: a conflict or a form error, no write.
    for version in (str(draft.version - 1), str(draft.version + 5), "1 OR 1=1", "-1", "9" * 40):
        response = ada.post(
            f"/editor/articles/{draft.id}", data=article_form(draft, version=version)
        )
        assert response.status_code in (200, 409), (version, response.status_code)
    assert_unchanged(before, "tampered version")

    # Fields an author's form does not have (author, status, publication time, counters)
    # are ignored; another person's staged upload is not attached as the cover.
    response = ada.post(
        f"/editor/articles/{draft.id}",
        data=article_form(
            draft,
            title="Ada's own title",
            author_id=str(people["bob"].id),
            status="published",
            published_at="2020-01-01T00:00:00",
            publish_date="2020-01-01",
            publish_time="09:00",
            share_count="1000",
            comment_count="1000",
            is_featured="y",
            pending_cover_id=str(foreign_upload.id),
            cover_alt="Someone else's picture",
            new_topics="Invented Topic",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.rollback()
    saved = db.session.get(Article, draft.id)
    assert saved.title == "Ada's own title"
    assert saved.author_id == people["ada"].id
    assert saved.status == ArticleStatus.DRAFT and saved.published_at is None
    assert (saved.share_count, saved.comment_count, saved.is_featured) == (0, 0, False)
    assert saved.cover_id is None
    assert saved.topics == []  # authors may not create topics


def test_editor_cannot_choose_a_missing_author_section_or_topic(app, newsroom):
    people, items = newsroom
    eve = signed_in(app, people["eve"])
    draft = items["bob_draft"]
    before = snapshot()
    for field, value in (
        ("author_id", "999999"),
        ("author_id", "not a number"),
        ("section_id", "999999"),
        ("topic_ids", "999999"),
        ("topic_ids", "x"),
    ):
        response = eve.post(
            f"/editor/articles/{draft.id}", data=article_form(draft, **{field: value})
        )
        assert response.status_code == 200, (field, value, response.status_code)
    assert_unchanged(before, "editor choosing missing objects")


def test_moderation_acts_only_on_the_comment_named(app, newsroom):
    """The queue filtered to one article, an action on a comment of another article:
    that comment (and nothing else) changes; a missing id is a 404."""
    people, items = newsroom
    eve = signed_in(app, people["eve"])
    other = items["comment_other"]
    queue = f"/editor/comments/?article={items['ada_live'].id}"
    response = eve.post(
        f"/editor/comments/{other.id}/moderate", data={"action": "approve", "next": queue}
    )
    assert response.status_code == 303 and response.headers["Location"] == queue
    db.session.rollback()
    assert db.session.get(Comment, other.id).status == CommentStatus.APPROVED
    assert db.session.get(Comment, items["comment_live"].id).status == CommentStatus.APPROVED

    before = snapshot()
    for missing in MISSING_IDS:
        response = eve.post(f"/editor/comments/{missing}/moderate", data={"action": "spam"})
        assert response.status_code == 404, missing
    for ids in (["999999"], ["-1"], ["1 OR 1=1"], [str(2**31)], [str(2**63)], []):
        response = eve.post("/editor/comments/bulk", data={"bulk_action": "spam", "ids": ids})
        assert response.status_code == 303, (ids, response.status_code)
    assert_unchanged(before, "moderating missing comments")


def test_a_reply_cannot_attach_to_a_comment_of_another_article(app, client, newsroom):
    _, items = newsroom
    live, foreign = items["ada_live"], items["comment_other"]
    foreign.status = CommentStatus.APPROVED
    db.session.commit()
    page = client.get(f"/articles/{live.slug}?reply={foreign.id}").get_data(as_text=True)
    assert f'name="parent_id" type="hidden" value="{foreign.id}"' not in page
    before = snapshot()
    response = client.post(
        f"/articles/{live.slug}/comments",
        data={
            "name": "Mallory",
            "body": "Grafted reply.",
            "parent_id": str(foreign.id),
            "form_token": aged_token(live),
        },
        headers=ORIGIN,
    )
    assert response.status_code == 400
    assert "does not belong to this article" in response.get_data(as_text=True)
    assert_unchanged(before, "reply to another article's comment")


def test_reader_cannot_edit_or_delete_someone_elses_comment(app, client, newsroom):
    _, items = newsroom
    theirs = items["comment_live"]
    before = snapshot()
    assert client.get(f"/comments/{theirs.id}/edit").status_code == 403
    response = client.post(
        f"/comments/{theirs.id}/edit", data={"body": "Hijacked."}, headers=ORIGIN
    )
    assert response.status_code == 403
    assert client.post(f"/comments/{theirs.id}/delete", headers=ORIGIN).status_code == 403
    for missing in MISSING_IDS:
        assert client.get(f"/comments/{missing}/edit").status_code == 404
        assert client.post(f"/comments/{missing}/delete", headers=ORIGIN).status_code == 404
    assert_unchanged(before, "reader acting on another reader's comment")


def test_a_followers_link_acts_on_its_own_address_only(app, client, newsroom):
    """A signed link names one address: ids of another's subscriptions or followed
    threads, in its form or its payload, change nothing of theirs."""
    _, items = newsroom
    mine, theirs = follower("mine@example.org", ("site", None)), follower("theirs@example.org")
    other = Subscription(subscriber_id=theirs.id, scope="site", list_key="site")
    comment = items["comment_live"]
    thread = ThreadFollow(
        subscriber_id=theirs.id, root_comment_id=comment.id, article_id=comment.article_id
    )
    db.session.add_all([other, thread])
    db.session.commit()
    before = snapshot()
    manage = subscribers.manage_url(mine).removeprefix(SITE)
    token = form_token(client.get(manage).get_data(as_text=True))
    for action, cadence in (("cadence", "daily"), ("end", None)):
        data = {"action": action, "subscription": other.id, "form_token": token}
        response = client.post(manage, data={**data, "cadence": cadence or ""}, headers=ORIGIN)
        assert response.status_code == 303, action
    confirm = subscribers.confirm_subscription_url(mine, other.id).removeprefix(SITE)
    assert client.get(confirm).status_code == 400
    for what, target in (("list", [other.id]), ("thread", thread.id)):
        leave = subscribers.unsubscribe_url(mine, what, target).removeprefix(SITE)
        response = client.get(leave)
        assert response.status_code == 200 and "you had left already" in response.text, what
    assert_unchanged(before, "a follower's link naming another address's rows")


def int_rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        converters = {
            name: "id" if isinstance(conv, IntegerConverter) else "other"
            for name, conv in rule._converters.items()
        }
        if "id" in converters.values():
            yield rule, converters


def check_every_int_url(app, client, ids) -> int:
    """Each URL with an id, built with each of `ids`, for each method: all 404."""
    checked = 0
    for rule, converters in int_rules(app):
        for missing in ids:
            values = {name: missing if kind == "id" else "up" for name, kind in converters.items()}
            url = rule.build(values)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method, headers=ORIGIN)
                assert response.status_code == 404, (method, url, response.status_code)
                checked += 1
    return checked


def test_ids_that_do_not_exist_are_404_everywhere(app, newsroom):
    people, _ = newsroom
    root = signed_in(app, people["root"])
    before = snapshot()
    assert check_every_int_url(app, root, MISSING_IDS) >= 40
    assert_unchanged(before, "missing ids")


def test_ids_past_the_column_range_are_404_everywhere(app, newsroom):
    people, _ = newsroom
    root = signed_in(app, people["root"])
    before = snapshot()
    assert check_every_int_url(app, root, OVERSIZED_IDS) >= 60
    assert check_every_int_url(app, app.test_client(), OVERSIZED_IDS[:1]) >= 20
    assert_unchanged(before, "oversized ids")
    assert db.session.scalar(select(Article.id).where(Article.title == "Taken over")) is None
