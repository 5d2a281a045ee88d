"""Readers' reports of comments, the moderators' side: the queue's Reported tab, dismissing
reports (kept, so a decision sticks), the site setting, and the queue's and dashboard's
fixes of the same issue (the "edited" label, previews). The reader's side is
tests/test_comment_reports.py."""

import re

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import CommentReport, CommentStatus
from blog.services import comment_reports, comments, settings
from tests.test_comment_reports import (
    ALREADY,
    audit_actions,
    fresh,
    make_story,
    reports_of,
    send_report,
)
from tests.test_comments import stored_count


@pytest.fixture
def story(make_article, make_comment):
    return make_story(make_article, make_comment)


def row_of(html: str, comment) -> str:
    """The queue's table row of the comment."""
    start = html.index(f'<tr id="comment-{comment.id}"')
    return html[start : html.index("</tr>", start)]


# ---------- The moderators' side ----------


def test_the_queue_has_a_reported_tab_with_reasons_and_details(client, login, editor, story):
    article, comment = story
    send_report(client, comment, n=1, reason="spam", detail="<script>alert(1)</script> ads")
    send_report(client, comment, n=2, reason="spam")
    send_report(client, comment, n=3, reason="abuse", detail="Insults me.")
    login(editor)
    html = client.get("/editor/comments/?status=reported").get_data(as_text=True)
    assert 'Reported <span class="tab-count">1</span>' in html
    assert re.findall(r'name="ids" value="(\d+)"', html) == [str(comment.id)]
    assert "Reported by 3 readers" in html
    assert "Spam or advertising" in html and "×2" in html
    assert "Abuse or harassment" in html and "Insults me." in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ads" in html
    assert "<script>alert(1)" not in html
    assert "Hidden after readers&#39; reports" in html  # why it is held
    pending = client.get("/editor/comments/").get_data(as_text=True)
    assert f'name="ids" value="{comment.id}"' in pending  # and in the pending queue


def test_approving_a_hidden_comment_deals_with_its_reports(client, login, editor, story):
    article, comment = story
    for n in (1, 2, 3):
        send_report(client, comment, n=n)
    assert fresh(comment).status == CommentStatus.PENDING
    login(editor)
    answer = client.post(f"/editor/comments/{comment.id}/moderate", data={"action": "approve"})
    assert answer.status_code == 303
    approved = fresh(comment)
    assert (approved.status, approved.report_count, approved.held_reason) == (
        CommentStatus.APPROVED,
        0,
        "",
    )
    assert stored_count(article) == 2
    actions = audit_actions()
    assert ("comment.reports_dismiss", {"reports": 3}) in actions
    assert any(action == "comment.approve" for action, _ in actions)
    listed = client.get("/editor/comments/?status=reported").get_data(as_text=True)
    assert 'Reported <span class="tab-count">0</span>' in listed

    # The reports are kept, dismissed: the same readers cannot report it again.
    kept = reports_of(comment)
    assert len(kept) == 3 and all(report.dismissed_at is not None for report in kept)
    for n in (1, 2, 3):
        again = send_report(client, comment, n=n)
        assert again.status_code == 200
        assert ALREADY in again.get_data(as_text=True)
    assert (fresh(comment).status, fresh(comment).report_count) == (CommentStatus.APPROVED, 0)


def test_after_a_decision_new_reports_reach_the_queue_without_hiding(client, login, editor, story):
    """Readers who disagree with the moderator are heard, but cannot overrule them."""
    article, comment = story
    for n in (1, 2, 3):
        send_report(client, comment, n=n, reason="abuse")
    login(editor)
    client.post(f"/editor/comments/{comment.id}/moderate", data={"action": "approve"})
    assert fresh(comment).status == CommentStatus.APPROVED

    for n in (4, 5, 6, 7):
        assert send_report(client, comment, n=n, reason="off_topic").status_code == 303
    kept = fresh(comment)
    assert (kept.status, kept.held_reason, kept.report_count) == (CommentStatus.APPROVED, "", 4)
    assert stored_count(article) == 2
    html = client.get("/editor/comments/?status=reported").get_data(as_text=True)
    assert 'Reported <span class="tab-count">1</span>' in html
    row = row_of(html, comment)
    assert "Reported by 4 readers since an editor dealt with earlier reports" in row
    assert "Off-topic" in row and "Abuse or harassment" not in row  # the waiting ones only
    assert "Keep, dismiss reports" in row

    # Dismissed again, the count starts over; the rows stay.
    client.post(f"/editor/comments/{comment.id}/moderate", data={"action": "approve"})
    assert fresh(comment).report_count == 0
    assert ("comment.reports_dismiss", {"reports": 4}) in audit_actions()
    assert len(reports_of(comment)) == 7


def test_a_comment_never_dealt_with_shows_no_earlier_decision(client, login, editor, story):
    _, comment = story
    send_report(client, comment, n=1)
    login(editor)
    row = row_of(client.get("/editor/comments/?status=reported").get_data(as_text=True), comment)
    assert "Reported by 1 reader:" in row
    assert "since an editor" not in row


def test_a_comment_its_poster_deleted_leaves_the_reported_tab(client, login, editor, story):
    """Gone from the page, it needs no decision: not listed or counted under Reported."""
    _, comment = story
    send_report(client, comment, n=1)
    comments.delete_own(fresh(comment))
    assert (fresh(comment).status, fresh(comment).report_count) == (CommentStatus.DELETED, 1)
    login(editor)
    html = client.get("/editor/comments/?status=reported").get_data(as_text=True)
    assert 'Reported <span class="tab-count">0</span>' in html
    assert f'name="ids" value="{comment.id}"' not in html
    assert "No reader has reported a comment that still waits for an editor." in html


def test_keeping_a_reported_comment_dismisses_its_reports(client, login, editor, story):
    _, comment = story
    send_report(client, comment, n=1, reason="off_topic")
    login(editor)
    html = client.get("/editor/comments/?status=reported").get_data(as_text=True)
    assert "Keep, dismiss reports" in html
    client.post(f"/editor/comments/{comment.id}/moderate", data={"action": "approve"})
    assert (fresh(comment).status, fresh(comment).report_count) == (CommentStatus.APPROVED, 0)
    assert [report.dismissed_at is not None for report in reports_of(comment)] == [True]
    assert ("comment.reports_dismiss", {"reports": 1}) in audit_actions()


def test_marking_a_reported_comment_as_spam_in_bulk_deals_with_its_reports(
    client, login, editor, story
):
    article, comment = story
    send_report(client, comment, n=1)
    login(editor)
    client.post("/editor/comments/bulk", data={"bulk_action": "spam", "ids": [comment.id]})
    assert (fresh(comment).status, fresh(comment).report_count) == (CommentStatus.SPAM, 0)
    assert [report.dismissed_at is not None for report in reports_of(comment)] == [True]
    assert stored_count(article) == 1


def test_the_edited_label_follows_the_posters_own_edit_only(
    client, login, editor, story, make_comment
):
    article, comment = story
    fresh_one = make_comment(article, "Just posted.", status=CommentStatus.PENDING)
    login(editor)
    client.post(f"/editor/comments/{comment.id}/moderate", data={"action": "spam"})
    client.post(f"/editor/comments/{comment.id}/moderate", data={"action": "restore"})
    # A moderator's actions and a comment's first save are no edit by its author: their
    # rows say nothing of an edit (neither "edited by its author" nor a bare "edited").
    html = client.get("/editor/comments/?status=all").get_data(as_text=True)
    assert fresh(comment).updated_at > fresh(comment).created_at
    for untouched in (comment, fresh_one):
        assert "edited" not in row_of(html, untouched).lower()
    comments.edit_own(fresh(fresh_one), "Just posted, and corrected.")
    assert fresh(fresh_one).edited_at is not None
    html = client.get("/editor/comments/?status=all").get_data(as_text=True)
    assert html.count("edited by its author") == 1
    assert "edited by its author" in row_of(html, fresh_one)


def test_the_dashboard_previews_comments_as_readers_see_them(client, login, editor, story):
    article, _ = story
    comments.submit(
        article,
        comments.CommentData(
            name="Marky",
            body="**Bold claim** and a [source](https://example.org) with `code`\n\n> quoted",
        ),
        client_key="k",
    )
    login(editor)
    html = client.get("/editor/").get_data(as_text=True)
    excerpt = re.search(r'<p class="comment-excerpt"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "Bold claim and a source with code" in excerpt
    assert "quoted" in excerpt
    for mark in ("**", "](", "`", "&gt;", "<"):
        assert mark not in excerpt, mark


def test_the_admin_sets_the_threshold_in_site_settings(client, login, admin):
    login(admin)
    form = client.get("/editor/settings").get_data(as_text=True)
    assert 'name="report_hide_threshold"' in form
    values = {
        key: str(value)
        for key, value in settings.as_dict().items()
        if key in settings.SETTING_NAMES and key != "require_two_factor"
    }
    values["report_hide_threshold"] = "5"
    saved = client.post("/editor/settings", data=values)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    db.session.info.pop(settings.CACHE_KEY, None)
    assert settings.load().report_hide_threshold == 5
    refused = client.post("/editor/settings", data={**values, "report_hide_threshold": "1000"})
    assert "From 0 (never hide) to 100 reports." in refused.get_data(as_text=True)
    db.session.info.pop(settings.CACHE_KEY, None)
    assert settings.load().report_hide_threshold == 5


def test_report_rows_stay_with_their_comment(story):
    """A comment deleted for good takes its reports with it (the foreign key cascades)."""
    article, comment = story
    comment_reports.report(comment, "spam", reporter_key="k")
    db.session.delete(fresh(comment))
    db.session.commit()
    assert db.session.scalar(select(func.count(CommentReport.id))) == 0
