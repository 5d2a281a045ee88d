"""Mail: composed into the outbox with the change, sent through real SMTP by the sender,
retried with backoff, kept when it keeps failing, and never open to header injection."""

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import func, select

from blog import mail
from blog.extensions import db
from blog.jobs import jobs
from blog.models import OutboxMessage
from blog.models.base import utcnow
from blog.services import settings

TEMPLATES = {
    "mail/notice.txt": "Hello {{ name }},\n\n{{ note }}\n\nRead it: {{ link }}\n",
    "mail/notice.html": (
        '{% extends "mail/_layout.html" %}{% block body %}<p>Hello {{ name }},</p>'
        '<p>{{ note }}</p><p><a href="{{ link }}">Read it</a></p>{% endblock %}'
    ),
}
HOSTILE = "Weekly\r\nBcc: victim@evil.test\nX-Injected: yes"


@pytest.fixture(autouse=True)
def notice_template(app):
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])


def notice(recipients, **options):
    options.setdefault("subject", "A note from the newsroom")
    options.setdefault("kind", "editor_note")
    return mail.queue(
        recipients,
        "notice",
        name="Ada",
        note="Your article is live.",
        link="https://x.test/a",
        **options,
    )


def outbox() -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_queue_renders_both_parts_and_commits_with_the_caller(app):
    messages = notice(["ada@byline.test", "ADA@byline.test", "", "bob@byline.test"])
    assert [m.recipient for m in messages] == ["ada@byline.test", "bob@byline.test"]
    db.session.rollback()
    assert outbox() == []  # nothing is written unless the caller commits

    notice(["ada@byline.test", "bob@byline.test"])
    db.session.commit()
    first, second = outbox()
    assert first.message_id != second.message_id
    assert first.message_id.startswith("<") and first.message_id.endswith("@byline.test>")
    assert "Hello Ada," in first.body_text and "<p>Hello Ada,</p>" in first.body_html
    assert settings.load().site_title in first.body_html  # the layout around it
    assert (first.attempts, first.sent_at, first.failed_at) == (0, None, None)


def test_send_due_delivers_through_smtp_with_every_header(mail_app, smtp_server):
    notice("ada@byline.test", unsubscribe_url="https://byline.test/unsubscribe/abc")
    notice("bob@byline.test")
    db.session.commit()

    assert mail.send_due() == 2
    assert mail.send_due() == 0  # sent once only
    rows = outbox()
    assert all(row.sent_at is not None and row.attempts == 1 for row in rows)
    assert smtp_server.message_ids() == [row.message_id for row in rows]
    received = smtp_server.messages[0]
    assert received["To"] == "ada@byline.test"
    assert received["From"].addresses[0].display_name == settings.load().site_title
    assert received["Subject"] == "A note from the newsroom"
    assert received["Date"].datetime is not None
    assert received["List-Id"] == "<byline.byline.test>"
    assert received["List-Unsubscribe"] == "<https://byline.test/unsubscribe/abc>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe" not in smtp_server.messages[1]  # staff notices may omit it
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "Read it: https://x.test/a" in text and 'href="https://x.test/a"' in html
    assert [rcpts for _, rcpts in smtp_server.envelopes] == [
        ["ada@byline.test"],
        ["bob@byline.test"],
    ]


def test_names_titles_and_addresses_cannot_add_headers_or_recipients(mail_app, smtp_server):
    settings.update(site_title="Byline\r\nBcc: victim@evil.test")
    mail_app.config["MAIL_DEFAULT_SENDER"] = '"News\nBcc: x@evil.test" <news@byline.test>'
    queued = notice(
        [
            "reader@byline.test\nBcc: victim@evil.test",
            "a@b.test, victim@evil.test",
            "ok@byline.test",
        ],
        subject=HOSTILE,
    )
    assert [m.recipient for m in queued] == ["ok@byline.test"]
    db.session.commit()
    assert mail.send_due() == 1

    (received,) = smtp_server.messages
    assert smtp_server.envelopes == [("news@byline.test", ["ok@byline.test"])]
    assert "Bcc" not in received and "X-Injected" not in received
    assert received["Subject"] == "Weekly Bcc: victim@evil.test X-Injected: yes"
    assert (
        "\n" not in str(received["From"]) and "Bcc" not in received["From"].addresses[0].addr_spec
    )
    names = [name.lower() for name in received]
    assert len(names) == len(set(names))  # no header appears twice


def test_without_mail_server_each_message_is_an_eml_file(app, tmp_path):
    app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "outbox")
    (message,) = notice("ada@byline.test")
    db.session.commit()
    assert mail.send_due() == 1

    (path,) = (tmp_path / "outbox").iterdir()
    assert path.name.endswith(f"-{message.id}.eml")
    written = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert written["Message-ID"] == message.message_id
    assert "Hello Ada," in written.get_body(("plain",)).get_content()
    assert db.session.get(OutboxMessage, message.id).sent_at is not None


def test_a_refused_message_waits_longer_after_each_try_then_is_kept(mail_app, smtp_server):
    (message,) = notice("ada@byline.test")
    db.session.commit()
    smtp_server.refuse = True  # 451: try later
    waits = []
    for attempt in range(1, mail.MAX_ATTEMPTS + 1):
        before = utcnow()
        assert mail.send_due() == 0
        row = db.session.get(OutboxMessage, message.id)
        assert row.attempts == attempt and row.sent_at is None and "451" in row.last_error
        if attempt < mail.MAX_ATTEMPTS:
            waits.append(row.next_attempt_at - before)
            assert row.failed_at is None
            assert mail.send_due() == 0  # not due yet
            row.next_attempt_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
    assert [round(wait.total_seconds() / 60) for wait in waits] == [1, 5, 30, 120, 720]
    assert row.failed_at is not None  # kept, for an admin to see and retry
    assert mail.send_due() == 0

    smtp_server.refuse = False
    assert mail.retry(message.id) is not None
    assert mail.send_due() == 1
    assert smtp_server.message_ids() == [message.message_id]


def test_a_permanent_refusal_is_kept_at_once(mail_app, smtp_server):
    (message,) = notice("ada@byline.test")
    db.session.commit()
    smtp_server.refuse = 550
    assert mail.send_due() == 0
    row = db.session.get(OutboxMessage, message.id)
    assert row.failed_at is not None and row.attempts == 1 and "550" in row.last_error


def test_a_commit_with_mail_wakes_the_worker_and_a_rollback_does_not(app):
    queue = jobs(app).huey
    queue.flush()
    notice("ada@byline.test")
    db.session.rollback()
    assert queue.pending_count() == 0
    notice("ada@byline.test")
    db.session.commit()
    assert [task.name for task in queue.pending()] == ["send_outbox"]
    settings.update(tagline="No mail in this change")
    assert queue.pending_count() == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
