"""One-click moderation links from a moderator's e-mail: opening one asks for
confirmation, the button acts, once, within a week, and only on a link this site signed."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from blog import links, mail
from blog.extensions import db
from blog.models import Comment, CommentStatus, OutboxMessage, Role
from blog.models.base import utcnow
from blog.services import comments, invitations, moderation, notifications, users
from blog.services.comments import CommentData
from blog.services.moderation import ModerationAction
from tests.test_comments import post_comment

READER_EMAIL = "rosa.private@example.org"
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def held(make_user, make_article):
    """A reader's comment waiting in the queue, and a moderator who heard of it."""
    make_user(Role.EDITOR, name="Mo Derator")
    article = make_article(title="Tidal power")
    comment = comments.submit(
        article,
        CommentData(name="Rosa Reader", body="Worth a *second* look.", email=READER_EMAIL),
        client_key="reader",
    )
    assert comment.status == CommentStatus.PENDING
    return comment


def link(comment, action=ModerationAction.APPROVE, moderator=None, **token_options) -> str:
    """The link the (first) moderator's mail carries."""
    moderator = moderator or notifications.moderators()[0]
    return notifications.moderation_url(comment, action, moderator, **token_options)


def status_of(comment) -> CommentStatus:
    db.session.expire_all()
    return db.session.get(Comment, comment.id).status


def test_opening_a_link_asks_for_confirmation_and_changes_nothing(client, held):
    response = client.get(link(held))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Approve this comment?" in html
    assert "Rosa Reader" in html and "Tidal power" in html and "<em>second</em>" in html
    assert READER_EMAIL not in html  # a link can be forwarded: the address stays in the queue
    assert response.headers["Cache-Control"] == "no-store"
    assert status_of(held) == CommentStatus.PENDING


def test_the_button_approves_once(client, held):
    url = link(held)
    response = client.post(url)
    assert response.status_code == 200
    assert "Approved: the comment is on the article now." in response.get_data(as_text=True)
    assert status_of(held) == CommentStatus.APPROVED
    assert db.session.get(Comment, held.id).article.comment_count == 1

    again = client.post(url)
    assert again.status_code == 410
    assert "already been moderated" in again.get_data(as_text=True)
    assert client.get(url).status_code == 410
    # The other link from the same mail is spent too: the comment no longer waits.
    assert client.post(link(held, ModerationAction.SPAM)).status_code == 410
    assert status_of(held) == CommentStatus.APPROVED


def test_the_spam_link_marks_as_spam(client, held):
    url = link(held, ModerationAction.SPAM)
    assert "Mark as spam this comment?" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 200
    assert status_of(held) == CommentStatus.SPAM


def test_a_link_for_a_comment_handled_in_the_queue_is_refused(client, held):
    url = link(held)
    moderation.moderate([held.id], ModerationAction.SPAM)
    assert client.post(url).status_code == 410
    assert status_of(held) == CommentStatus.SPAM


def test_a_link_expires_after_a_week(client, held):
    six_days = link(held, issued_at=utcnow() - timedelta(days=6, hours=23))
    eight_days = link(held, issued_at=utcnow() - timedelta(days=7, minutes=1))
    expired = client.post(eight_days)
    assert expired.status_code == 410
    assert "This link has expired." in expired.get_data(as_text=True)
    assert status_of(held) == CommentStatus.PENDING
    assert client.get(six_days).status_code == 200


def test_forged_and_foreign_links_are_refused(client, held, make_user):
    genuine = link(held).rsplit("/", 1)[1]
    payload, stamp, signature = genuine.split(".")
    mo = notifications.moderators()[0].id
    other_payload = links.make_token(notifications.MODERATION_LINK, [held.id, "spam", mo])
    invited = users.invite_user("ivy@byline.test", "Ivy Invited", Role.AUTHOR)
    writer = make_user(Role.AUTHOR)
    forged = [
        f"{payload}.{stamp}.{signature[:-2]}xx",  # a changed signature
        f"{other_payload.split('.')[0]}.{stamp}.{signature}",  # another action, same signature
        links.make_token("password-reset", [held.id, "approve", mo]),  # another purpose
        invitations.invitation_token(invited),
        links.make_token(notifications.MODERATION_LINK, [held.id, "delete", mo]),  # not a link's
        links.make_token(notifications.MODERATION_LINK, [str(held.id), "approve", mo]),
        links.make_token(notifications.MODERATION_LINK, [held.id, "approve", str(mo)]),
        links.make_token(notifications.MODERATION_LINK, [held.id, "approve"]),  # for nobody
        links.make_token(notifications.MODERATION_LINK, [held.id, "approve", 10**9]),
        link(held, moderator=writer).rsplit("/", 1)[1],  # for someone who may not moderate
        links.make_token(notifications.MODERATION_LINK, [held.id]),
        "not-a-token",
    ]
    for token in forged:
        response = client.post(f"/editor/mail-action/{token}")
        assert response.status_code == 400, token
        assert "This link is not valid." in response.get_data(as_text=True)
        assert client.get(f"/editor/mail-action/{token}").status_code == 400
    assert status_of(held) == CommentStatus.PENDING


def test_a_post_without_the_forms_token_is_refused_when_csrf_is_on(app, held):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    url = link(held)
    assert client.post(url).status_code == 400
    assert status_of(held) == CommentStatus.PENDING
    token = CSRF_FIELD.search(client.get(url).get_data(as_text=True)).group(1)
    assert client.post(url, data={"csrf_token": token}).status_code == 200
    assert status_of(held) == CommentStatus.APPROVED


def test_the_mailed_link_works_from_the_received_message(
    mail_app, smtp_server, make_user, make_article
):
    """A reader's comment is held; the moderator's message arrives through SMTP, and its
    approve link, followed, asks and then approves."""
    moderator = make_user(Role.EDITOR, name="Mo Derator")
    article = make_article(title="Sea walls")
    reader = mail_app.test_client()
    response = post_comment(reader, article, name="Rosa Reader", body="Held, please.")
    assert response.status_code == 303
    assert db.session.scalar(select(OutboxMessage.recipient)) == moderator.email
    assert mail.send_due() == 1

    (received,) = smtp_server.messages
    assert received["To"] == moderator.email
    assert received["Subject"] == "Comment held: Rosa Reader on “Sea walls”"
    assert received["Message-ID"] and received["Date"] and received["List-Id"]
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "Held, please." in text and "Held, please." in html
    approve = re.search(r"Approve: (\S+)", text).group(1)
    assert approve in html

    moderator_client = mail_app.test_client()
    assert "Approve this comment?" in moderator_client.get(approve).get_data(as_text=True)
    assert moderator_client.post(approve).status_code == 200
    comment = db.session.scalar(select(Comment))
    assert comment.status == CommentStatus.APPROVED
    assert "Held, please." in reader.get(f"/articles/{article.slug}").get_data(as_text=True)
