"""The article page's comments section built by its view, the one place each comment rule
lives (the edit window and its wording, who may be replied to), and the services the
moderation queue and the poster's own comment pages read through."""

import re
from datetime import timedelta

import pytest

from blog.domain import NotFound
from blog.extensions import db
from blog.models import Comment, CommentStatus
from blog.models.base import utcnow
from blog.services import comment_threads, comments, moderation
from blog.services.comments import CommentRejected
from blog.templating import iso_datetime, local_clock, time_left
from tests.test_comments import comment_id_from, page, post_comment, set_policy


@pytest.fixture
def article(make_article):
    return make_article("A story worth discussing")


def aged(comment_id: int, minutes: float) -> Comment:
    comment = db.session.get(Comment, comment_id)
    comment.created_at = utcnow() - timedelta(minutes=minutes)
    db.session.commit()
    return comment


# ---------- The edit window ----------


@pytest.mark.parametrize(
    ("window", "text"),
    [
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=90), "90 minutes"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(days=1), "1 day"),
        (timedelta(seconds=45), "45 seconds"),
    ],
)
def test_a_duration_reads_as_words(window, text):
    assert comments.duration_text(window) == text


def test_the_form_names_the_usual_edit_window(client, article):
    assert "You can edit or delete your comment for 15 minutes." in page(client, article)


def test_every_text_about_the_edit_window_says_its_length(app, client, article, monkeypatch):
    monkeypatch.setattr(comments, "EDIT_WINDOW", timedelta(minutes=30))
    assert "You can edit or delete your comment for 30 minutes." in page(client, article)

    comment_id = comment_id_from(post_comment(client, article))
    aged(comment_id, 20)  # past the usual 15 minutes, inside these 30
    assert client.get(f"/comments/{comment_id}/edit").status_code == 200
    stranger = app.test_client().get(f"/comments/{comment_id}/edit")
    assert stranger.status_code == 403
    assert "in the first 30 minutes." in stranger.get_data(as_text=True)

    comment = aged(comment_id, 31)
    assert client.get(f"/comments/{comment_id}/edit").status_code == 403
    with pytest.raises(CommentRejected, match="only in the first 30 minutes after posting"):
        comments.edit_own(comment, "Too late.")


def test_the_edit_page_says_when_the_window_closes(client, article, monkeypatch):
    monkeypatch.setattr(comments, "EDIT_WINDOW", timedelta(hours=5))
    comment_id = comment_id_from(post_comment(client, article))
    closes = db.session.get(Comment, comment_id).created_at + timedelta(hours=5)
    assert comments.edit_closes_at(db.session.get(Comment, comment_id)) == closes
    html = client.get(f"/comments/{comment_id}/edit").get_data(as_text=True)
    # The site's time without JavaScript; comments.js rewrites it into the reader's own.
    deadline = f'<time datetime="{iso_datetime(closes)}" data-local-clock>'
    assert f"until {deadline}{local_clock(closes)}</time> (" in html
    assert re.search(r'data-time-left="[^"]+">(299|300) minutes left</span>\)', html)


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(minutes=14, seconds=59), "14 minutes left"),
        (timedelta(minutes=1, seconds=30), "1 minute left"),
        (timedelta(seconds=59), "less than a minute left"),
        (timedelta(0), "the time is up"),
        (timedelta(minutes=-3), "the time is up"),
    ],
)
def test_the_time_left_reads_as_words(left, text):
    now = utcnow()
    assert time_left(now + left, now=now) == text


# ---------- Replies ----------


def test_only_an_approved_comment_of_the_article_can_be_replied_to(
    client, article, make_article, make_comment
):
    shown = make_comment(article, "Shown", author_name="Olga")
    held = make_comment(article, "Held", author_name="Hana", status=CommentStatus.PENDING)
    elsewhere = make_comment(make_article(), "Elsewhere", author_name="Ezra")
    assert comments.replied_comment(article, shown.id) == shown
    for other in (held, elsewhere):
        with pytest.raises(CommentRejected) as refused:
            comments.replied_comment(article, other.id)
        assert refused.value.reason == "parent"
    # The page's reply form follows the same rule as the POST.
    assert "Reply to <bdi>Olga</bdi>" in page(client, article, f"?reply={shown.id}")
    for other in (held, elsewhere):
        html = page(client, article, f"?reply={other.id}")
        assert 'name="parent_id" type="hidden" value=""' in html
        assert "Leave a comment" in html


def test_the_posters_own_held_comment_is_no_reply_target(client, article):
    held_id = comment_id_from(post_comment(client, article, body="Still held."))
    html = page(client, article, f"?reply={held_id}")
    assert "Still held." in html  # the poster sees it
    assert 'name="parent_id" type="hidden" value=""' in html and "Leave a comment" in html


# ---------- The section's effect on the response ----------


def test_a_refused_post_from_a_poster_is_private_and_learns_approvals(client, article):
    set_policy("first_time")
    first = comment_id_from(post_comment(client, article, email="ana@example.org"))
    moderation.moderate([first], moderation.ModerationAction.APPROVE)
    refused = post_comment(client, article, body=" ")
    assert refused.status_code == 400
    assert refused.headers["Cache-Control"] == "no-store"  # the comment views' own rule
    assert "Cookie" in refused.headers["Vary"]
    assert any("byline_trusted=" in c for c in refused.headers.getlist("Set-Cookie"))


# ---------- The services behind the views ----------


def test_own_comment_is_found_only_for_its_poster_in_the_window(article, make_comment):
    comment = make_comment(article, "Mine")
    assert comment_threads.own_comment(comment.id, [comment.id]) == comment
    with pytest.raises(CommentRejected) as refused:
        comment_threads.own_comment(comment.id, [])
    assert refused.value.reason == "not_yours"
    assert refused.value.message == comments.not_yours_message()
    with pytest.raises(CommentRejected):
        comment_threads.own_comment(aged(comment.id, 16).id, [comment.id])
    for missing in (comment.id + 1000, make_comment(article, status=CommentStatus.DELETED).id):
        with pytest.raises(NotFound):
            comment_threads.own_comment(missing, [missing])


def test_the_moderation_list_counts_and_pages(article, make_article, make_comment):
    other = make_article("Another story")
    held = [make_comment(article, f"Held {n}", status=CommentStatus.PENDING) for n in range(3)]
    make_comment(article, "Shown", author_email="sam@example.org")
    make_comment(other, "Shown too", author_email="sam@example.org")
    listed = comment_threads.moderation_list(
        CommentStatus.PENDING, article.id, "", page=1, per_page=2
    )
    assert listed.article == article
    assert [c.id for c in listed.page.items] == [held[2].id, held[1].id]
    assert (listed.page.total, listed.page.pages, listed.page.has_next) == (3, 2, True)
    assert listed.counts == {
        "pending": 3,
        "approved": 1,
        "spam": 0,
        "deleted": 0,
        "all": 4,
        "reported": 0,
    }
    past_end = comment_threads.moderation_list(None, None, "", page=9, per_page=2)
    assert past_end.page.items == [] and past_end.article is None
    by_email = comment_threads.status_counts(email=" SAM@example.org ")
    assert by_email["approved"] == 2 and by_email["all"] == 2
    assert comment_threads.get_comment(held[0].id) == held[0]
    with pytest.raises(NotFound):
        comment_threads.get_comment(held[0].id + 1000)
