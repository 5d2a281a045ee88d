"""The newsroom's notices: held comments to moderators (at once or as a digest), articles
submitted for review to editors, and an author's article published, scheduled, sent back
or given a note. Each is an outbox row written in the transaction of the change."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from blog import mail
from blog.extensions import db
from blog.models import ArticleStatus, Comment, CommentStatus, JobMark, OutboxMessage, Role
from blog.models.base import utcnow
from blog.services import comments, moderation, notes, notifications, publishing, settings
from blog.services.comments import CommentData, CommentRejected
from tests.harness import publish

READER_EMAIL = "rosa.private@example.org"
HOSTILE_TITLE = '<script>alert("t")</script>\r\nBcc: victim@example.org'
HOSTILE_NAME = "<img src=x onerror=alert(1)>\nBcc: victim@example.org"


def soon():
    """The worker's clock at which the comments held so far are settled into a digest,
    and those held from now on are not."""
    return utcnow() + notifications.DIGEST_SETTLE


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def recipients(kind: str | None = None) -> list[str]:
    return sorted(message.recipient for message in outbox(kind))


def hold(article, name: str = "Rosa Reader", body: str = "I disagree, politely."):
    """A reader's comment held for moderation (the site holds first-time commenters)."""
    comment = comments.submit(
        article, CommentData(name=name, body=body, email=READER_EMAIL), client_key="reader"
    )
    assert comment.status == CommentStatus.PENDING
    return comment


@pytest.fixture
def newsroom(make_user, author, editor, admin):
    """The author, two moderators (an editor and an admin) and staff who must not hear:
    a deactivated editor and another author."""
    make_user(Role.EDITOR, name="Gone Editor", active=False)
    make_user(Role.AUTHOR, name="Other Author")
    return author, editor, admin


def test_a_held_comment_is_mailed_to_each_active_moderator(newsroom, make_article):
    author, editor, admin = newsroom
    article = make_article(title="Harbour plans", author=author)
    comment = hold(article, body="Line one.\nLine two.")
    assert recipients() == sorted([editor.email, admin.email])
    message = outbox()[0]
    assert message.kind == "comment_held"
    assert message.subject == "Comment held: Rosa Reader on “Harbour plans”"
    for body in (message.body_text, message.body_html):
        assert "Rosa Reader" in body and "Harbour plans" in body and "Line two." in body
        assert "/editor/comments/" in body
        assert body.count("/editor/mail-action/") == 2  # approve and spam
    assert db.session.get(Comment, comment.id).status == CommentStatus.PENDING


def test_staff_mail_never_carries_the_readers_address(newsroom, make_article):
    hold(make_article())
    settings.save(moderation_digest_minutes=5)
    hold(make_article())
    notifications.periodic(soon())
    assert {m.kind for m in outbox()} == {"comment_held", "moderation_digest"}
    for message in outbox():
        assert READER_EMAIL not in message.body_text + message.body_html + message.subject


def test_comments_that_are_not_held_send_nothing(newsroom, make_article):
    author, editor, _ = newsroom
    article = make_article()
    settings.save(moderation_policy="none")
    published = comments.submit(article, CommentData(name="Open", body="Fine."), client_key="a")
    trapped = comments.submit(
        article, CommentData(name="Bot", body="Buy.", honeypot="x"), client_key="b"
    )
    by_staff = CommentData(name="", body="Staff.")
    staff = comments.submit(article, by_staff, client_key="c", user=editor)
    assert [published.status, trapped.status, staff.status] == [
        CommentStatus.APPROVED,
        CommentStatus.SPAM,
        CommentStatus.APPROVED,
    ]
    assert outbox() == []


def test_a_refused_comment_queues_nothing(newsroom, make_article):
    article = make_article(comments_open=False)
    with pytest.raises(CommentRejected):
        hold(article)
    assert outbox() == []


def test_the_notice_commits_with_the_comment_or_not_at_all(newsroom, make_article):
    """A failure late in storing the comment (its article's recount, after the notice is
    queued) takes the notice with it: no mail about a comment that was never stored."""
    article = make_article()

    def failing_recount(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE ARTICLES SET COMMENT_COUNT"):
            raise RuntimeError("the database went away during the recount")

    event.listen(db.engine, "before_cursor_execute", failing_recount)
    try:
        with pytest.raises(RuntimeError):
            hold(article)
    finally:
        event.remove(db.engine, "before_cursor_execute", failing_recount)
    assert outbox() == []
    assert db.session.scalars(select(Comment)).all() == []


def test_an_edit_that_sends_a_comment_to_the_queue_tells_the_moderators(newsroom, make_article):
    article = make_article()
    settings.save(moderation_policy="none")
    comment = comments.submit(article, CommentData(name="Rosa", body="Fine."), client_key="r")
    assert outbox() == []
    links = " ".join(f"<https://x{n}.example.org>" for n in range(3))
    comments.edit_own(comment, f"Now with links: {links}")
    assert comment.status == CommentStatus.PENDING
    assert len(outbox("comment_held")) == 2
    comments.edit_own(comment, f"Still held: {links}")  # already waiting: no second notice
    assert len(outbox("comment_held")) == 2


# ---------- The digest ----------


def test_under_a_digest_interval_held_comments_wait_for_the_digest(newsroom, make_article):
    _, editor, admin = newsroom
    settings.save(moderation_digest_minutes=30)
    article = make_article(title="Budget")
    hold(article, name="First Reader", body="First.")
    hold(article, name="Second Reader", body="Second.")
    assert outbox() == []

    start = soon()
    assert notifications.send_moderation_digest(start) == 2
    digests = outbox("moderation_digest")
    assert sorted(m.recipient for m in digests) == sorted([editor.email, admin.email])
    assert digests[0].subject == "2 comments held for moderation"
    text = digests[0].body_text
    assert text.index("First.") < text.index("Second.")
    assert text.count("/editor/mail-action/") == 4

    # Idempotent: a second run, or one before the interval has passed, sends nothing.
    notifications.periodic(start)
    hold(article, name="Third Reader", body="Third.")
    notifications.periodic(start + timedelta(minutes=29))
    assert len(outbox("moderation_digest")) == 2

    assert notifications.send_moderation_digest(start + timedelta(minutes=30)) == 1
    latest = outbox("moderation_digest")[-1]
    assert latest.subject == "1 comment held for moderation"
    assert "Third." in latest.body_text and "First." not in latest.body_text


def test_a_quiet_spell_does_not_delay_the_next_digest(newsroom, make_article):
    settings.save(moderation_digest_minutes=60)
    start = utcnow()
    db.session.add(JobMark(name=notifications.DIGEST_MARK, at=start - timedelta(hours=5)))
    db.session.commit()
    notifications.periodic(start)  # nothing held: the mark stays where it was
    assert db.session.get(JobMark, notifications.DIGEST_MARK).at == start - timedelta(hours=5)
    hold(make_article(), body="After the quiet.")
    notifications.periodic(soon())
    assert len(outbox("moderation_digest")) == 2


def test_a_digest_lists_only_comments_still_waiting(newsroom, make_article):
    settings.save(moderation_digest_minutes=10)
    article = make_article()
    handled = hold(article, body="Already handled.")
    hold(article, body="Still waiting.")
    moderation.moderate([handled.id], moderation.ModerationAction.APPROVE)
    notifications.periodic(soon())
    text = outbox("moderation_digest")[0].body_text
    assert "Still waiting." in text and "Already handled." not in text


def test_the_digest_interval_is_a_checked_setting(app):
    with pytest.raises(settings.SettingsRejected):
        settings.update(moderation_digest_minutes=1441)
    with pytest.raises(settings.SettingsRejected):
        settings.update(moderation_digest_minutes="ten")
    assert settings.update(moderation_digest_minutes=15).moderation_digest_minutes == 15


# ---------- Articles ----------


def draft_of(article):
    return publishing.ArticleChanges(
        title=article.title, body=article.body_md, brief=article.brief or "A brief."
    )


def save(article, actor, action: str, **options):
    """The article saved unchanged by `actor` with one of the editor page's buttons."""
    return publishing.update_article(
        article,
        draft_of(article),
        actor=actor,
        expected_version=article.version,
        action=publishing.Action(action),
        **options,
    )


def test_a_submission_for_review_is_mailed_to_the_editors(newsroom, make_article):
    author, editor, admin = newsroom
    article = make_article(title="Draft on tides", author=author, status=ArticleStatus.DRAFT)
    save(article, author, "submit")
    assert recipients("review_requested") == sorted([editor.email, admin.email])
    message = outbox("review_requested")[0]
    assert message.subject == "For review: “Draft on tides” by Ada Author"
    assert f"/editor/articles/{article.id}" in message.body_text
    # Saving it again while in review asks nobody twice.
    save(article, author, "submit")
    assert len(outbox("review_requested")) == 2


def test_an_editor_submitting_is_not_told_of_it(newsroom, make_article):
    _, editor, admin = newsroom
    article = make_article(author=editor, status=ArticleStatus.DRAFT)
    save(article, editor, "submit")
    assert recipients() == [admin.email]


def test_the_author_hears_when_an_editor_publishes_or_sends_back(newsroom, make_article):
    author, editor, _ = newsroom
    article = make_article(title="Quay walls", author=author, status=ArticleStatus.REVIEW)
    publish(article, draft_of(article), editor)
    assert recipients() == [author.email]
    published = outbox("article_published")[0]
    assert published.subject == "Published: “Quay walls”"
    assert "Eddie Editor published your article" in published.body_text
    assert "/articles/" in published.body_text

    save(article, editor, "unpublish")
    returned = outbox("article_returned")
    assert [m.recipient for m in returned] == [author.email]
    assert returned[0].subject == "Back to draft: “Quay walls”"


def test_every_credited_author_hears_except_whoever_acted(newsroom, make_article, make_user):
    author, editor, admin = newsroom
    coauthor = make_user(Role.AUTHOR, name="Cora Coauthor")
    gone = make_user(Role.AUTHOR, name="Gone Coauthor")
    article = make_article(
        title="Quay walls",
        author=author,
        coauthors=[coauthor, editor, gone],
        status=ArticleStatus.REVIEW,
    )
    gone.active = False
    db.session.commit()
    publish(article, draft_of(article), editor)
    assert recipients("article_published") == sorted([author.email, coauthor.email])
    notes.add_note(article, admin, "Check the dates.")
    assert recipients("editor_note") == sorted([author.email, coauthor.email, editor.email])
    message = [m for m in outbox("editor_note") if m.recipient == coauthor.email][0]
    assert "A note from" in message.subject and "Check the dates." in message.body_text


def test_without_a_site_address_a_change_goes_ahead_and_queues_no_notice(
    app, newsroom, make_article
):
    """From the command line, with neither SITE_URL nor SERVER_NAME, no link can be made:
    the publish and the note still happen; the notices are left out."""
    author, editor, _ = newsroom
    article = make_article(title="Quay walls", author=author, status=ArticleStatus.REVIEW)
    app.config["SERVER_NAME"] = None
    publish(article, draft_of(article), editor)
    notes.add_note(article, editor, "Good work.")
    assert article.status == ArticleStatus.PUBLISHED and article.editor_comments
    assert recipients() == []


def test_the_author_hears_when_an_editor_schedules(newsroom, make_article):
    author, editor, _ = newsroom
    article = make_article(author=author, status=ArticleStatus.REVIEW)
    save(article, editor, "schedule", publish_at=utcnow() + timedelta(days=2))
    message = outbox("article_published")[0]
    assert message.subject.startswith("Scheduled: ")
    assert "scheduled your article" in message.body_text


def test_nobody_is_told_of_their_own_doing(newsroom, make_article):
    _, editor, _ = newsroom
    own = make_article(author=editor, status=ArticleStatus.DRAFT)
    publish(own, draft_of(own), editor)
    notes.add_note(own, editor, "A note to myself.")
    assert outbox() == []


def test_a_refused_save_queues_nothing(newsroom, make_article):
    author, editor, _ = newsroom
    article = make_article(author=author, status=ArticleStatus.REVIEW)
    changes = draft_of(article)
    changes.brief = ""  # a brief is required to publish
    with pytest.raises(publishing.ArticleRejected):
        publish(article, changes, editor)
    assert outbox() == []


def test_an_editors_note_is_mailed_to_the_author(newsroom, make_article):
    author, editor, _ = newsroom
    article = make_article(title="Ferry times", author=author)
    notes.add_note(article, editor, "Check the **timetable** <please>.")
    assert recipients() == [author.email]
    message = outbox("editor_note")[0]
    assert message.subject == "A note from Eddie Editor on “Ferry times”"
    assert "Check the **timetable** <please>." in message.body_text
    assert "Check the **timetable** &lt;please&gt;." in message.body_html


# ---------- Hostile names and titles ----------


def test_hostile_titles_and_names_stay_text(newsroom, make_article):
    author, editor, _ = newsroom
    article = make_article(title=HOSTILE_TITLE, author=author)
    hold(article, name=" ".join(HOSTILE_NAME.split()))
    notes.add_note(article, editor, "<b>bold</b>")
    editor.display_name = HOSTILE_NAME
    db.session.commit()
    notes.add_note(article, editor, "Again.")
    assert {m.kind for m in outbox()} == {"comment_held", "editor_note"}
    for message in outbox():
        assert "<script>" not in message.body_html and "<img" not in message.body_html
        assert "<b>bold" not in message.body_html
        assert "\r" not in message.subject and "\n" not in message.subject
        sent = mail.compose(message)
        assert sent["Bcc"] is None and sent.get_all("Bcc") is None
        assert "victim@example.org" not in str(sent["To"])
        assert json.loads(message.headers or "{}") == {}  # staff notices: no unsubscribe
    held = outbox("comment_held")[0]
    assert "&lt;script&gt;" in held.body_html and "&lt;img" in held.body_html
