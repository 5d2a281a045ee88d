"""Every kind of message Byline sends, made by the change that causes it and delivered by
the worker's sender to a real SMTP server: each has both parts and its headers, and every
link in it opens a page of the site."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from blog import mail
from blog.extensions import db
from blog.models import ArticleStatus, OutboxMessage, Role
from blog.models.base import utcnow
from blog.services import notes, notifications, passwords, settings, users
from tests.harness import publish
from tests.test_notifications import draft_of, hold, save

LINK = re.compile(r"https?://[^\s<>\"]+")
EVERY_KIND = {
    "comment_held",
    "moderation_digest",
    "review_requested",
    "article_published",
    "article_returned",
    "editor_note",
    "invitation",
    "password_reset",
}


def cause_every_message(author, editor, make_article) -> None:
    """One change for each kind of message (each commits its own mail)."""
    article = make_article(title="Harbour walls", author=author, status=ArticleStatus.DRAFT)
    hold(article)  # held comment, to the moderators at once
    save(article, author, "submit")  # to the editors
    publish(article, draft_of(article), editor)  # to the author
    notes.add_note(article, editor, "Check the second quote.")  # to the author
    returned = make_article(title="Old pier", author=author, status=ArticleStatus.REVIEW)
    save(returned, editor, "unpublish")  # back to draft, to the author
    users.invite_user("newcomer@example.org", "New Comer", Role.AUTHOR)
    passwords.request_reset(author.email)
    settings.save(moderation_digest_minutes=5)
    hold(make_article(title="Ferry times", author=author), name="Second Reader")
    assert notifications.send_moderation_digest(utcnow() + timedelta(minutes=10))


def test_every_kind_of_message_arrives_whole_and_its_links_open(
    mail_app, smtp_server, client, login, author, editor, admin, make_article
):
    cause_every_message(author, editor, make_article)
    sent = mail.send_due()
    assert sent == len(smtp_server.messages) >= len(EVERY_KIND)
    delivered = db.session.scalars(
        select(OutboxMessage.kind).where(OutboxMessage.sent_at.is_not(None))
    )
    assert set(delivered) == EVERY_KIND
    login(admin)  # staff links open for an admin; the others for anyone
    for message in smtp_server.messages:
        assert message["Message-ID"] and message["Date"] and message["List-Id"]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert text.strip() and "<html" in html.lower()
        links = LINK.findall(text)
        assert links, message["Subject"]
        for link in links:
            parts = urlsplit(link)
            assert parts.netloc == "byline.test", link
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            assert client.get(path).status_code == 200, link
    assert len(smtp_server.messages) == len(set(smtp_server.message_ids()))
