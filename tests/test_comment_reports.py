"""Readers' reports of comments, the reader's side: the report page, one report per
reader (their network, not their address), hiding a comment after enough reports, and
the limits on report POSTs. The moderators' side is tests/test_comment_report_moderation.py.
"""

import re
import time

import pytest
from sqlalchemy import select

from blog import formguard
from blog.comments.reports import REPORT_TOKEN_MAX_AGE
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
from blog.ratelimit import keyed_hash, network_of
from blog.services import comment_reports, comments, settings
from blog.services.comment_reports import ReportRejected
from blog.services.settings import SettingsRejected
from tests.harness import at_once
from tests.test_comments import ORIGIN, stored_count
from tests.test_pagecache import cached_twice, fetch

TOKEN_FIELD = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')
ALREADY = "A report from your network about this comment is already with the editors"


def report_url(comment: Comment) -> str:
    return f"/comments/{comment.id}/report"


def reader(n: int, host: int = 1) -> dict:
    """The request environment of reader number n: an address of their own network (a
    /24), `host` picking one address in it."""
    return {"REMOTE_ADDR": f"10.{n}.0.{host}"}


def send_report(
    client, comment, *, n=1, reason="spam", detail="", token=None, headers=ORIGIN, address=None
):
    data = {"reason": reason, "detail": detail}
    data["form_token"] = (
        formguard.issue_token("comment-report", comment.id) if token is None else token
    )
    environ = reader(n) if address is None else {"REMOTE_ADDR": address}
    return client.post(report_url(comment), data=data, headers=headers, environ_base=environ)


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


def make_story(make_article, make_comment) -> tuple[Article, Comment]:
    """An article with two approved comments; the first one is reported."""
    article = make_article("The ferry timetable", slug="ferry")
    comment = make_comment(article, "Buy cheap watches at my shop.", author_name="Spammy")
    make_comment(article, "The 7:40 is always late.", author_name="Commuter")
    return article, comment


@pytest.fixture
def story(make_article, make_comment):
    return make_story(make_article, make_comment)


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


def test_a_report_is_stored_once_per_reader_under_a_hashed_network(client, story):
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
    assert stored.reporter_key == keyed_hash("10.1.0.0/24", "network")
    assert "10.1.0" not in stored.reporter_key
    assert fresh(comment).report_count == 1

    # The same reader again: told kindly, nothing stored twice; the page says it too.
    again = send_report(client, comment, reason="spam")
    assert again.status_code == 200
    assert ALREADY in again.get_data(as_text=True)
    revisit = client.get(report_url(comment), environ_base=reader(1)).get_data(as_text=True)
    assert ALREADY in revisit
    assert 'name="reason"' not in revisit
    assert len(reports_of(comment)) == 1

    assert send_report(client, comment, n=2).status_code == 303  # another reader
    assert len(reports_of(comment)) == 2
    assert fresh(comment).report_count == 2
    assert fresh(comment).status == CommentStatus.APPROVED  # below the threshold of 3


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("192.0.2.77", "192.0.2.0/24"),
        ("2001:db8:7:8:9:a:b:c", "2001:db8:7:8::/64"),
        ("::ffff:192.0.2.77", "192.0.2.0/24"),  # IPv4 mapped into IPv6 is IPv4
        ("fe80::1%eth0", "fe80::/64"),
        ("unknown", "unknown"),
    ],
)
def test_a_reader_is_the_network_of_their_address(address, network):
    assert network_of(address) == network


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.9.0.1", "10.9.0.2", "10.9.0.254"],  # a new address on the same IPv4 network
        ["2001:db8:9:1::1", "2001:db8:9:1:ffff::2", "2001:db8:9:1:1234:5678:9abc:def0"],
    ],
)
def test_changing_address_within_a_network_is_still_one_reader(client, story, addresses):
    """One person moving through their /24 or /64 (a new IPv6 address, airplane mode)
    reports once: the later reports store nothing and cannot hide the comment."""
    _, comment = story
    answers = [send_report(client, comment, address=address) for address in addresses]
    assert [answer.status_code for answer in answers] == [303, 200, 200]
    for answer in answers[1:]:
        html = answer.get_data(as_text=True)
        assert ALREADY in html
        assert "You have already" not in html  # perhaps someone else's report: said neutrally
    assert len(reports_of(comment)) == 1
    assert (fresh(comment).status, fresh(comment).report_count) == (CommentStatus.APPROVED, 1)
    # Another network is another reader.
    other = "10.8.0.1" if "." in addresses[0] else "2001:db8:9:2::1"
    assert send_report(client, comment, address=other).status_code == 303
    assert fresh(comment).report_count == 2


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

    # The third reader's thank-you page says the comment is hidden, without its text (nor
    # does a neighbour's page on that network show it); others find nothing.
    thanks = client.get(f"{report_url(comment)}?sent=1", environ_base=reader(3))
    assert thanks.status_code == 200
    assert "hidden until then" in thanks.get_data(as_text=True)
    neighbour = client.get(report_url(comment), environ_base=reader(3, host=99))
    assert neighbour.status_code == 200
    assert ALREADY in neighbour.get_data(as_text=True)
    for page in (thanks, neighbour):
        assert "Buy cheap watches" not in page.get_data(as_text=True)
        assert 'class="comment-body"' not in page.get_data(as_text=True)
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
        ({"token": "too old"}, formguard.EXPIRED),
        ({"headers": {"Origin": "https://elsewhere.example"}}, "not sent from a page of this site"),
    ],
)
def test_bad_input_shows_the_form_again_with_a_message(client, story, fields, message):
    _, comment = story
    fields = dict(fields)  # the parameters are shared by both engines' runs: never change them
    detail = fields.pop("detail", "Keep this text, <b>please</b>.")
    if fields.get("token") == "another form":  # signed by us, for the poster's edit form
        fields["token"] = formguard.issue_token("comment-edit", comment.id)
    if fields.get("token") == "too old":  # a page left open for over two hours
        fields["token"] = formguard.issue_token(
            "comment-report", comment.id, issued_at=time.time() - REPORT_TOKEN_MAX_AGE - 5
        )
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


def test_a_report_page_open_for_almost_two_hours_is_still_sent(client, story):
    _, comment = story
    token = formguard.issue_token(
        "comment-report", comment.id, issued_at=time.time() - REPORT_TOKEN_MAX_AGE + 60
    )
    assert send_report(client, comment, token=token).status_code == 303
    assert len(reports_of(comment)) == 1


def test_report_posts_are_rate_limited_per_network_with_the_text_kept(client, story):
    """The limit holds for the network: a new address in it starts no new count."""
    _, comment = story
    for host in range(1, 6):
        answer = send_report(client, comment, address=f"10.5.0.{host}")
        assert answer.status_code in (200, 303)
    limited = send_report(client, comment, detail="Still rude.", address="10.5.0.77")
    assert limited.status_code == 429
    html = limited.get_data(as_text=True)
    assert "several reports in a short time" in html
    assert "Still rude." in html
    assert len(reports_of(comment)) == 1
    assert send_report(client, comment, address="10.6.0.1").status_code == 303


def test_posts_from_other_sites_do_not_use_up_a_readers_reports(client, story):
    """A page elsewhere can make a visitor's browser post here: refused by the origin
    check, and not counted against the visitor's limit."""
    _, comment = story
    foreign = {"Origin": "https://elsewhere.example"}
    for _ in range(8):
        assert send_report(client, comment, headers=foreign).status_code == 400
    assert send_report(client, comment).status_code == 303
    assert len(reports_of(comment)) == 1
