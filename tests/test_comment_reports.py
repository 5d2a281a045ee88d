"""Readers' reports of comments: the report page, one report per reader, hiding a comment
after enough reports, the moderation queue's Reported tab and the dismissal of reports,
and the queue's and dashboard's fixes of the same issue (the "edited" label, previews)."""

import re

import pytest
from sqlalchemy import func, select

from blog import formguard
from blog.domain import NotFound
from blog.extensions import db
from blog.models import (
    Article,
    ArticleStatus,
    AuditEntry,
    Comment,
    CommentReport,
    CommentStatus,
)
from blog.ratelimit import keyed_hash
from blog.services import comment_reports, comments, settings
from blog.services.comment_reports import ReportRejected
from blog.services.settings import SettingsRejected
from tests.harness import at_once
from tests.test_comments import ORIGIN, stored_count
from tests.test_pagecache import cached_twice, fetch

TOKEN_FIELD = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')


def report_url(comment: Comment) -> str:
    return f"/comments/{comment.id}/report"


def reader(n: int) -> dict:
    """The request environment of reader number n (their own address)."""
    return {"REMOTE_ADDR": f"10.0.0.{n}"}


def send_report(client, comment, *, n=1, reason="spam", detail="", token=None, headers=ORIGIN):
    data = {"reason": reason, "detail": detail}
    data["form_token"] = (
        formguard.issue_token("comment-report", comment.id) if token is None else token
    )
    return client.post(report_url(comment), data=data, headers=headers, environ_base=reader(n))


def reports_of(comment: Comment) -> list[CommentReport]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(CommentReport).where(CommentReport.comment_id == comment.id))
    )


def fresh(comment: Comment) -> Comment:
    db.session.expire_all()
    return db.session.get(Comment, comment.id)


def audit_actions() -> list[tuple[str, dict]]:
    return [
        (entry.action, entry.details)
        for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]


@pytest.fixture
def story(make_article, make_comment):
    article = make_article("The ferry timetable", slug="ferry")
    comment = make_comment(article, "Buy cheap watches at my shop.", author_name="Spammy")
    make_comment(article, "The 7:40 is always late.", author_name="Commuter")
    return article, comment


# ---------- The reader's side ----------


def test_each_approved_comment_links_to_its_report_page(client, story, make_comment):
    article, comment = story
    held = make_comment(article, "Waiting.", status=CommentStatus.PENDING)
    html = fetch(client, f"/articles/{article.slug}").get_data(as_text=True)
    assert f'href="{report_url(comment)}"' in html
    assert f'href="{report_url(held)}"' not in html

    page = client.get(report_url(comment), environ_base=reader(1))
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    body = page.get_data(as_text=True)
    assert "Buy cheap watches at my shop." in body  # the comment is quoted
    for value in comment_reports.REPORT_REASONS:
        assert f'value="{value}"' in body
    assert TOKEN_FIELD.search(body)


def test_a_report_is_stored_once_per_reader_under_a_hashed_key(client, story):
    article, comment = story
    sent = send_report(client, comment, reason="abuse", detail="Rude to everyone.")
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith(f"{report_url(comment)}?sent=1")
    thanks = client.get(sent.headers["Location"], environ_base=reader(1))
    assert thanks.status_code == 200
    assert thanks.headers["Cache-Control"] == "no-store"
    text = thanks.get_data(as_text=True)
    assert "Thank you for your report" in text
    assert "An editor will read the comment" in text  # what happens next
    assert f'href="/articles/{article.slug}#comments"' in text  # the way back

    (stored,) = reports_of(comment)
    assert (stored.reason, stored.detail) == ("abuse", "Rude to everyone.")
    assert stored.reporter_key == keyed_hash("10.0.0.1", "client")
    assert "10.0.0.1" not in stored.reporter_key
    assert fresh(comment).report_count == 1

    # The same reader again: told kindly, nothing stored twice; the page says it too.
    again = send_report(client, comment, reason="spam")
    assert again.status_code == 200
    assert "You have already reported this comment" in again.get_data(as_text=True)
    revisit = client.get(report_url(comment), environ_base=reader(1)).get_data(as_text=True)
    assert "You have already reported this comment" in revisit
    assert 'name="reason"' not in revisit
    assert len(reports_of(comment)) == 1

    assert send_report(client, comment, n=2).status_code == 303  # another reader
    assert len(reports_of(comment)) == 2
    assert fresh(comment).report_count == 2
    assert fresh(comment).status == CommentStatus.APPROVED  # below the threshold of 3


def test_a_report_sent_twice_at_once_is_stored_once(app, story):
    _, comment = story
    comment_id = comment.id
    db.session.remove()

    def send(n: int, wait) -> bool:
        target = db.session.get(Comment, comment_id)
        wait()  # both have read the comment before either writes
        return comment_reports.report(target, "spam", reporter_key="same-reader").is_new

    results = at_once(app, send, [1, 2], refused=ReportRejected)
    assert sorted(results.values()) == [False, True], results
    assert len(reports_of(db.session.get(Comment, comment_id))) == 1
    assert fresh(db.session.get(Comment, comment_id)).report_count == 1


def test_readers_reporting_at_once_hide_the_comment_once(app, story):
    article, comment = story
    comment_id, article_id = comment.id, article.id
    db.session.remove()

    def send(n: int, wait) -> str:
        target = db.session.get(Comment, comment_id)
        wait()
        outcome = comment_reports.report(target, "spam", reporter_key=f"reader-{n}")
        return "hid it" if outcome.hides else "counted"

    # The default threshold is 3: the third report hides the comment, and the reports
    # after it find a comment no longer shown.
    results = at_once(app, send, list(range(5)), refused=NotFound)
    assert sorted(results.values()) == ["counted", "counted", "hid it", "refused", "refused"]
    hidden = fresh(db.session.get(Comment, comment_id))
    assert (hidden.status, hidden.report_count) == (CommentStatus.PENDING, 3)
    assert len(reports_of(hidden)) == 3
    assert stored_count(db.session.get(Article, article_id)) == 1


def test_enough_readers_hide_the_comment_and_the_pages_follow(client, story):
    article, comment = story
    assert stored_count(article) == 2
    anonymous = client.application.test_client()
    assert "Buy cheap watches" in cached_twice(anonymous, f"/articles/{article.slug}").get_data(
        as_text=True
    )
    for n in (1, 2):
        assert send_report(client, comment, n=n).status_code == 303
    assert cached_twice(anonymous, f"/articles/{article.slug}")  # still cached: not hidden

    assert send_report(client, comment, n=3, reason="off_topic").status_code == 303
    hidden = fresh(comment)
    assert (hidden.status, hidden.held_reason) == (CommentStatus.PENDING, "reported")
    assert hidden.report_count == 3
    assert stored_count(article) == 1
    page = fetch(anonymous, f"/articles/{article.slug}")
    assert page.headers["X-Cache"] == "miss"
    assert "Buy cheap watches" not in page.get_data(as_text=True)

    # The third reader's thank-you page says the comment is hidden; others find nothing.
    thanks = client.get(f"{report_url(comment)}?sent=1", environ_base=reader(3))
    assert thanks.status_code == 200
    assert "hidden until then" in thanks.get_data(as_text=True)
    assert client.get(report_url(comment), environ_base=reader(9)).status_code == 404
    assert send_report(client, comment, n=9).status_code == 404


def test_the_posters_edit_does_not_bring_back_a_reported_comment(story):
    """Hidden by readers' reports, a comment stays hidden through its poster's edit, even
    under a policy that publishes every comment at once: only a moderator lifts it."""
    article, comment = story
    settings.save(moderation_policy="none")
    for n in (1, 2, 3):
        comment_reports.report(fresh(comment), "abuse", reporter_key=f"reader-{n}")
    assert fresh(comment).status == CommentStatus.PENDING
    comments.edit_own(fresh(comment), "I take it back: the watches are fine.")
    edited = fresh(comment)
    assert (edited.status, edited.held_reason) == (CommentStatus.PENDING, "reported")
    assert stored_count(article) == 1


def test_the_threshold_is_a_setting_and_zero_never_hides(client, story, make_comment):
    article, comment = story
    settings.save(report_hide_threshold=0)
    for n in range(1, 6):
        assert send_report(client, comment, n=n).status_code == 303
    assert (fresh(comment).status, fresh(comment).report_count) == (CommentStatus.APPROVED, 5)

    settings.save(report_hide_threshold=1)
    other = make_comment(article, "Another one.")
    assert send_report(client, other, n=1).status_code == 303
    assert fresh(other).status == CommentStatus.PENDING

    for bad in (-1, 101, "3", True, None):
        with pytest.raises(SettingsRejected):
            settings.validate({"report_hide_threshold": bad})
    assert settings.validate({"report_hide_threshold": 100}) == {"report_hide_threshold": 100}


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


def test_staff_comments_are_reported_but_never_hidden_by_readers(client, story, make_comment):
    article, _ = story
    staff = make_comment(article, "From the newsroom.", is_staff=True)
    for n in range(1, 5):
        assert send_report(client, staff, n=n, reason="abuse").status_code == 303
    assert (fresh(staff).status, fresh(staff).report_count) == (CommentStatus.APPROVED, 4)


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.DELETED]
)
def test_hidden_comments_cannot_be_reported(client, story, make_comment, status):
    article, _ = story
    hidden = make_comment(article, "Not shown.", status=status)
    assert client.get(report_url(hidden), environ_base=reader(1)).status_code == 404
    assert send_report(client, hidden).status_code == 404
    assert reports_of(hidden) == []
    assert client.get("/comments/999999/report").status_code == 404


def test_comments_of_an_unpublished_article_cannot_be_reported(client, make_article, make_comment):
    draft = make_article("Not yet", status=ArticleStatus.DRAFT)
    comment = make_comment(draft, "Early.")
    assert client.get(report_url(comment)).status_code == 404
    assert send_report(client, comment).status_code == 404
    assert reports_of(comment) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": ""}, "Choose why you are reporting this comment."),
        ({"reason": "boring"}, "Choose why you are reporting this comment."),
        ({"detail": "x" * 501}, "At most 500 characters, please."),
        ({"token": "forged"}, formguard.EXPIRED),
        ({"token": "another form"}, formguard.EXPIRED),
        ({"headers": {"Origin": "https://elsewhere.example"}}, "not sent from a page of this site"),
    ],
)
def test_bad_input_shows_the_form_again_with_a_message(client, story, fields, message):
    _, comment = story
    detail = fields.pop("detail", "Keep this text, <b>please</b>.")
    if fields.get("token") == "another form":  # signed by us, for the poster's edit form
        fields["token"] = formguard.issue_token("comment-edit", comment.id)
    answer = send_report(client, comment, detail=detail, **fields)
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert message in html
    assert 'name="reason"' in html
    assert detail.replace("<", "&lt;").replace(">", "&gt;") in html  # as typed, escaped
    assert TOKEN_FIELD.search(html)  # a good token to send it again with
    assert reports_of(comment) == []


def test_the_service_checks_what_it_is_given(story):
    _, comment = story
    with pytest.raises(ReportRejected) as refused:
        comment_reports.report(comment, "nonsense", reporter_key="k")
    assert refused.value.field == "reason"
    with pytest.raises(ReportRejected) as refused:
        comment_reports.report(comment, "other", "y" * 501, reporter_key="k")
    assert refused.value.field == "detail"
    # Control characters go; a detail of 500 characters after cleaning is fine.
    outcome = comment_reports.report(comment, "other", "\x00" + "z" * 500, reporter_key="k")
    assert outcome.is_new
    assert reports_of(comment)[0].detail == "z" * 500


def test_report_posts_are_rate_limited_with_the_text_kept(client, story):
    _, comment = story
    for _ in range(5):
        assert send_report(client, comment).status_code in (200, 303)
    limited = send_report(client, comment, detail="Still rude.")
    assert limited.status_code == 429
    html = limited.get_data(as_text=True)
    assert "several reports in a short time" in html
    assert "Still rude." in html
    assert len(reports_of(comment)) == 1


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
    assert reports_of(comment) == []
    assert stored_count(article) == 2
    actions = audit_actions()
    assert ("comment.reports_dismiss", {"reports": 3}) in actions
    assert any(action == "comment.approve" for action, _ in actions)
    listed = client.get("/editor/comments/?status=reported").get_data(as_text=True)
    assert 'Reported <span class="tab-count">0</span>' in listed
    # Readers may report it afresh: the earlier reports were dealt with.
    assert send_report(client, comment, n=1).status_code == 303


def test_keeping_a_reported_comment_dismisses_its_reports(client, login, editor, story):
    _, comment = story
    send_report(client, comment, n=1, reason="off_topic")
    login(editor)
    html = client.get("/editor/comments/?status=reported").get_data(as_text=True)
    assert "Keep, dismiss reports" in html
    client.post(f"/editor/comments/{comment.id}/moderate", data={"action": "approve"})
    assert (fresh(comment).status, fresh(comment).report_count) == (CommentStatus.APPROVED, 0)
    assert reports_of(comment) == []
    assert ("comment.reports_dismiss", {"reports": 1}) in audit_actions()


def test_marking_a_reported_comment_as_spam_in_bulk_deals_with_its_reports(
    client, login, editor, story
):
    article, comment = story
    send_report(client, comment, n=1)
    login(editor)
    client.post("/editor/comments/bulk", data={"bulk_action": "spam", "ids": [comment.id]})
    assert (fresh(comment).status, fresh(comment).report_count) == (CommentStatus.SPAM, 0)
    assert reports_of(comment) == []
    assert stored_count(article) == 1


def test_the_edited_label_follows_the_posters_own_edit_only(
    client, login, editor, story, make_comment
):
    article, comment = story
    fresh_one = make_comment(article, "Just posted.", status=CommentStatus.PENDING)
    login(editor)
    client.post(f"/editor/comments/{comment.id}/moderate", data={"action": "spam"})
    client.post(f"/editor/comments/{comment.id}/moderate", data={"action": "restore"})
    # A moderator's actions and a comment's first save are no edit by its author.
    html = client.get("/editor/comments/?status=all").get_data(as_text=True)
    assert fresh(comment).updated_at > fresh(comment).created_at
    assert "edited by its author" not in html
    comments.edit_own(fresh(fresh_one), "Just posted, and corrected.")
    assert fresh(fresh_one).edited_at is not None
    html = client.get("/editor/comments/?status=all").get_data(as_text=True)
    assert html.count("edited by its author") == 1
    row = html[html.index(f'id="comment-{fresh_one.id}"') :]
    assert row.index("edited by its author") < row.index("</tr>")


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


def test_report_rows_stay_with_their_comment(story):
    """A comment deleted for good takes its reports with it (the foreign key cascades)."""
    article, comment = story
    comment_reports.report(comment, "spam", reporter_key="k")
    db.session.delete(fresh(comment))
    db.session.commit()
    assert db.session.scalar(select(func.count(CommentReport.id))) == 0
