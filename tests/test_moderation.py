"""The moderation queue in the editor area, and exact comment counts through it."""

import re

import pytest

from blog.extensions import db
from blog.models import Comment, CommentStatus
from blog.services import moderation
from blog.services.comments import CommentRejected
from blog.services.moderation import ModerationAction
from tests.test_comments import approved_count, stored_count


def status_of(comment: Comment) -> CommentStatus:
    db.session.expire_all()
    return db.session.get(Comment, comment.id).status


def listed_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'name="ids" value="(\d+)"', html)]


@pytest.fixture
def queue(make_article, make_comment):
    """Two articles with comments in every state."""
    first, second = make_article("First story"), make_article("Second story")
    made = {
        "held": make_comment(first, "Held one", status=CommentStatus.PENDING),
        "held_too": make_comment(
            second, "Held two", status=CommentStatus.PENDING, author_email="sam@example.org"
        ),
        "shown": make_comment(first, "Shown one", author_email="sam@example.org"),
        "junk": make_comment(first, "Junk one", status=CommentStatus.SPAM),
        "gone": make_comment(second, "Gone one", status=CommentStatus.DELETED),
    }
    return first, second, made


def test_the_queue_lists_pending_comments_first(client, login, editor, queue):
    first, second, made = queue
    login(editor)
    html = client.get("/editor/comments/").get_data(as_text=True)
    assert sorted(listed_ids(html)) == sorted([made["held"].id, made["held_too"].id])
    assert 'Pending <span class="tab-count">2</span>' in html
    assert 'Any status <span class="tab-count">5</span>' in html
    assert 'href="/editor/comments/?email=sam@example.org&amp;status=all"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=approved", ["shown"]),
        ("?status=spam", ["junk"]),
        ("?status=deleted", ["gone"]),
        ("?status=all", ["held", "held_too", "shown", "junk", "gone"]),
        ("?status=nonsense", ["held", "held_too"]),  # unknown: the default, never a 500
    ],
)
def test_the_queue_filters_by_status(client, login, editor, queue, query, expected):
    login(editor)
    made = queue[2]
    html = client.get(f"/editor/comments/{query}").get_data(as_text=True)
    assert sorted(listed_ids(html)) == sorted(made[name].id for name in expected)


def test_the_queue_filters_by_article_and_by_email(client, login, editor, queue):
    first, second, made = queue
    login(editor)
    on_first = client.get(f"/editor/comments/?status=all&article={first.id}")
    assert sorted(listed_ids(on_first.get_data(as_text=True))) == sorted(
        [made["held"].id, made["shown"].id, made["junk"].id]
    )
    by_sam = client.get("/editor/comments/?status=all&email=SAM@example.org")
    html = by_sam.get_data(as_text=True)
    assert sorted(listed_ids(html)) == sorted([made["held_too"].id, made["shown"].id])
    assert "sam@example.org" in html
    assert client.get("/editor/comments/?article=abc&page=-3").status_code == 200


def test_authors_cannot_moderate(client, login, author, queue):
    login(author)
    held = queue[2]["held"]
    assert client.get("/editor/comments/").status_code == 403
    response = client.post(f"/editor/comments/{held.id}/moderate", data={"action": "approve"})
    assert response.status_code == 403
    assert status_of(held) == CommentStatus.PENDING


def test_the_menu_offers_comments_to_editors_only(client, login, editor, author):
    login(author)
    assert 'href="/editor/comments/"' not in client.get("/editor/").get_data(as_text=True)
    client.post("/editor/logout")
    login(editor)
    assert 'href="/editor/comments/"' in client.get("/editor/").get_data(as_text=True)


def test_each_action_keeps_the_count_exact(client, login, editor, queue):
    first, second, made = queue
    login(editor)
    held = made["held"]
    steps = [
        ("approve", CommentStatus.APPROVED, 2),
        ("spam", CommentStatus.SPAM, 1),
        ("restore", CommentStatus.PENDING, 1),
        ("approve", CommentStatus.APPROVED, 2),
        ("delete", CommentStatus.DELETED, 1),
        ("restore", CommentStatus.PENDING, 1),
    ]
    back = "/editor/comments/?status=pending"
    for action, status, count in steps:
        response = client.post(
            f"/editor/comments/{held.id}/moderate", data={"action": action, "next": back}
        )
        assert response.status_code == 303
        assert response.headers["Location"] == back
        assert status_of(held) == status
        assert stored_count(first) == count == approved_count(first)
        article_page = client.get(f"/articles/{first.slug}").get_data(as_text=True)
        assert f"{count} Comment" in article_page
    assert stored_count(second) == 0


def test_moderate_refuses_an_unknown_action_and_an_outside_next(client, login, editor, queue):
    login(editor)
    held = queue[2]["held"]
    response = client.post(
        f"/editor/comments/{held.id}/moderate",
        data={"action": "explode", "next": "https://evil.example/"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/editor/comments/"
    assert status_of(held) == CommentStatus.PENDING
    assert client.post("/editor/comments/999999/moderate").status_code == 404


def test_bulk_actions_over_two_articles(client, login, editor, queue):
    first, second, made = queue
    login(editor)
    chosen = [made["held"].id, made["held_too"].id, made["junk"].id]
    response = client.post("/editor/comments/bulk", data={"bulk_action": "approve", "ids": chosen})
    assert response.status_code == 303
    assert stored_count(first) == 3 == approved_count(first)
    assert stored_count(second) == 1 == approved_count(second)
    flashed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Approved 3 comments." in flashed

    client.post("/editor/comments/bulk", data={"bulk_action": "spam", "ids": chosen})
    assert stored_count(first) == 1 and stored_count(second) == 0
    nothing = client.post("/editor/comments/bulk", data={"bulk_action": "delete"})
    assert nothing.status_code == 303
    assert "Select the comments first" in client.get("/editor/comments/").get_data(as_text=True)
    junk = client.post("/editor/comments/bulk", data={"bulk_action": "delete", "ids": ["x"]})
    assert junk.status_code == 303
    assert stored_count(first) == 1


def test_the_moderator_edits_a_comment(client, login, editor, queue):
    login(editor)
    held = queue[2]["held"]
    form = client.get(f"/editor/comments/{held.id}/edit?next=/editor/comments/%3Fstatus%3Dall")
    assert form.status_code == 200 and "Held one</textarea>" in form.get_data(as_text=True)
    response = client.post(
        f"/editor/comments/{held.id}/edit",
        data={"body": "Held, *tidied*\x00 up.", "next": "/editor/comments/?status=all"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/editor/comments/?status=all"
    db.session.expire_all()
    comment = db.session.get(Comment, held.id)
    assert comment.body_md == "Held, *tidied* up."
    assert comment.body_html == "<p>Held, <em>tidied</em> up.</p>\n"
    assert comment.status == CommentStatus.PENDING
    empty = client.post(f"/editor/comments/{held.id}/edit", data={"body": "  "})
    assert empty.status_code == 400
    assert "The comment needs some text." in empty.get_data(as_text=True)


def test_the_moderate_service_is_exact_and_idempotent(queue):
    first, second, made = queue
    for _ in range(2):
        moderation.moderate([made["held"].id, made["held"].id], ModerationAction.APPROVE)
        assert stored_count(first) == 2
    assert moderation.moderate([], ModerationAction.SPAM) == []
    assert moderation.moderate([123456], ModerationAction.SPAM) == []
    with pytest.raises(CommentRejected):
        moderation.edit_by_moderator(made["held"], "\x00")


def test_moderation_needs_the_session_csrf_token(app, client, login, editor, queue):
    login(editor)
    app.config["WTF_CSRF_ENABLED"] = True
    held = queue[2]["held"]
    html = client.get("/editor/comments/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    refused = client.post(f"/editor/comments/{held.id}/moderate", data={"action": "approve"})
    assert refused.status_code == 400
    assert status_of(held) == CommentStatus.PENDING
    response = client.post(
        f"/editor/comments/{held.id}/moderate", data={"action": "approve", "csrf_token": token}
    )
    assert response.status_code == 303
    assert status_of(held) == CommentStatus.APPROVED
    bulk = client.post(
        "/editor/comments/bulk",
        data={"bulk_action": "spam", "ids": [held.id], "csrf_token": token},
    )
    assert bulk.status_code == 303
    assert status_of(held) == CommentStatus.SPAM


def test_the_queue_survives_a_huge_page_number(client, login, editor, queue):
    login(editor)
    response = client.get("/editor/comments/?page=9223372036854775807")
    assert response.status_code == 200
