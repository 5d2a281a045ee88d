"""Byline's mail: composed from templates into the outbox, sent later by the worker.

`queue()` renders a message for each recipient and adds it to the session, uncommitted:
it is written in the same transaction as the change that causes it, and once that
commits the worker is woken to send it (a failure to wake it fails nothing: the worker
drains the outbox every minute anyway). `send_due()` is the worker's sender: it takes
the messages that are due, one at a time, and marks each sent as soon as the SMTP server
accepts it, so a crash repeats at most the message in flight, with the same Message-ID.
A message that keeps failing is given up after its last attempt and kept for an admin.

Without MAIL_SERVER, messages are written as .eml files in instance/outbox/ instead.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import smtplib
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import datetime, timedelta
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_app_context, has_request_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from blog import database
from blog.extensions import db
from blog.models import OutboxMessage, User
from blog.models.base import utcnow
from blog.services import settings
from blog.text import CONTROL_CHARACTERS

logger = logging.getLogger("blog.mail")

# Seconds to wait before each further attempt; after the last, the message is given up.
BACKOFF = (60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Whitespace and controls, as a header would see them: one plain space instead.
LINE_BREAKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]+")


def plain_header(value: str, limit: int) -> str:
    """A subject or display name on one line: no line breaks, no controls."""
    text = LINE_BREAKS.sub(" ", CONTROL_CHARACTERS.sub("", str(value)))
    return text.strip()[:limit]


def checked_address(value: str) -> str | None:
    """The address as one plain addr-spec, or None for anything else (an empty one, a line
    break, a second address, a display name)."""
    text = str(value or "").strip()
    if not text or LINE_BREAKS.search(text) or text.count("@") != 1:
        return None
    try:
        address = Address(addr_spec=text)
    except (ValueError, IndexError, HeaderParseError):
        return None
    return text if address.addr_spec == text and address.username and address.domain else None


# ----- composing -----


def site_host() -> str:
    """The host the site's mail speaks for: SITE_URL's (or SERVER_NAME's), else the
    sender's domain."""
    config = current_app.config
    if config.get("SITE_URL"):
        return urlsplit(config["SITE_URL"]).hostname or "localhost"
    if config.get("SERVER_NAME"):
        return urlsplit(f"//{config['SERVER_NAME']}").hostname or "localhost"
    sender = checked_address(config.get("MAIL_DEFAULT_SENDER") or "")
    return sender.rsplit("@", 1)[1] if sender else "localhost"


def sender_address() -> Address:
    """MAIL_DEFAULT_SENDER (an address, or "Name <address>"), named after the site."""
    configured = str(current_app.config.get("MAIL_DEFAULT_SENDER") or "").strip()
    name, _, address = configured.rpartition("<")
    address = checked_address(address.rstrip(">")) if address else None
    if address is None:
        address, name = f"noreply@{site_host()}", ""
    name = plain_header(name.strip().strip('"') or settings.load().site_title, 120)
    username, domain = address.rsplit("@", 1)
    return Address(display_name=name, username=username, domain=domain)


def render(name: str, context: dict) -> str:
    """A mail template with the app's filters and globals, without the page's context
    processors: mail is written outside any request."""
    return current_app.jinja_env.get_template(name).render(**context)


def can_link() -> bool:
    """Whether mail made here can carry absolute links: inside a request, or with SITE_URL
    (or SERVER_NAME) set. A notice that cannot is not queued (the log says so), rather than
    failing the change that caused it (a publish from the command line, say)."""
    config = current_app.config
    return has_request_context() or bool(config.get("SITE_URL") or config.get("SERVER_NAME"))


def queue(
    recipients: str | Iterable[str],
    template: str,
    *,
    subject: str,
    kind: str,
    unsubscribe_url: str | None = None,
    **context,
) -> list[OutboxMessage]:
    """A message from templates/mail/<template>.txt and .html for each recipient, added to
    the session for the caller's commit. Duplicates, empty and malformed addresses are
    left out (a malformed one is noted in the log)."""
    if isinstance(recipients, str):
        recipients = [recipients]
    site = settings.load()
    context = {**context, "site": site, "subject": plain_header(subject, 300)}
    body_text = render(f"mail/{template}.txt", context)
    body_html = render(f"mail/{template}.html", context)
    headers = unsubscribe_headers(unsubscribe_url) if unsubscribe_url else {}
    messages, seen = [], set()
    for recipient in recipients:
        address = checked_address(recipient)
        if address is None:
            if str(recipient or "").strip():
                logger.warning("mail (%s) not queued for a malformed address", kind)
            continue
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        message = OutboxMessage(
            message_id=make_msgid(idstring=uuid.uuid4().hex[:12], domain=site_host()),
            kind=kind,
            recipient=address,
            subject=context["subject"],
            body_text=body_text,
            body_html=body_html,
            headers=json.dumps(headers),
            attempts=0,
            last_error="",
            next_attempt_at=utcnow(),
        )
        db.session.add(message)
        messages.append(message)
    return messages


# Headers set with set_raw() go out as they are; every other header is folded as usual.
AS_SET = policy.SMTP.clone(refold_source="none")


def unsubscribe_headers(url: str) -> dict[str, str]:
    """List-Unsubscribe with RFC 8058's one-click List-Unsubscribe-Post, for a message's
    headers column."""
    return {
        "List-Unsubscribe": f"<{plain_header(url, 900)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def compose(message: OutboxMessage) -> EmailMessage:
    """The message as sent: both parts, and headers that no name or title can add to."""
    email = EmailMessage(policy=AS_SET)
    email["Message-ID"] = message.message_id
    email["Date"] = format_datetime(message.created_at)
    email["From"] = sender_address()
    username, domain = message.recipient.rsplit("@", 1)
    email["To"] = Address(username=username, domain=domain)
    email["Subject"] = plain_header(message.subject, 300)
    email["List-Id"] = f"<byline.{site_host()}>"
    email["Auto-Submitted"] = "auto-generated"
    for name, value in json.loads(message.headers or "{}").items():
        if name in ("List-Unsubscribe", "List-Unsubscribe-Post"):
            value = plain_header(value, 900)
            if value.isascii():
                # On one line, as set: folding a long link would turn it into encoded
                # words, which mail programs do not read as the <URL> RFC 2369 asks for.
                email.set_raw(name, value)
            else:
                email[name] = value
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    return email


def staff_addresses(predicate: Callable[[User], bool]) -> list[str]:
    """The addresses of active staff who have set a password and for whom predicate holds."""
    staff = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
    return [user.email for user in staff if user.password_hash and predicate(user)]


# ----- transports -----


class Refused(Exception):
    """The server refused the message for good (a 5xx answer): no later attempt."""


class Deferred(smtplib.SMTPException):
    """The server, up and answering, would not take this recipient now (a 4xx answer to
    RCPT TO: a full mailbox, greylisting): the message is for a later attempt."""


class SMTPTransport:
    """One SMTP connection for a run of messages, opened on the first."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        config = self.config
        host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
        timeout = float(config["MAIL_TIMEOUT"])
        if config["MAIL_USE_SSL"]:
            connection = smtplib.SMTP_SSL(host, port, timeout=timeout)
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
            if config["MAIL_USE_TLS"]:
                connection.starttls()
        if config.get("MAIL_USERNAME"):
            connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        return connection

    def send(self, message: OutboxMessage, email: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self.open()
        sender = email["From"].addresses[0].addr_spec
        try:
            # The envelope names the one recipient, whatever the headers say.
            self.connection.send_message(email, from_addr=sender, to_addrs=[message.recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            code, reason = next(iter(exc.recipients.values()))
            raise (Refused if code >= 500 else Deferred)(
                f"{code} {reason.decode(errors='replace')}"
            ) from None
        except smtplib.SMTPResponseException as exc:
            self.close()
            text = f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}"
            raise (Refused if exc.smtp_code >= 500 else smtplib.SMTPException)(text) from None
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()


class FileTransport:
    """Without MAIL_SERVER: each message becomes a file to read, nothing is sent."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, message: OutboxMessage, email: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # A follower's message is never stored (blog/services/mailings.py): no row id.
        name = message.id or re.sub(r"[^\w.-]", "", message.message_id.split("@")[0])
        path = self.folder / f"{utcnow():%Y%m%dT%H%M%S}-{name}.eml"
        path.write_bytes(email.as_bytes())
        logger.info("mail (%s) written to %s: MAIL_SERVER is not set", message.kind, path)

    def close(self) -> None:
        pass


def transport():
    config = current_app.config
    if config.get("MAIL_SERVER"):
        return SMTPTransport(config)
    folder = config.get("MAIL_OUTBOX_DIR") or Path(current_app.instance_path) / "outbox"
    return FileTransport(Path(folder))


# ----- sending -----


def is_due(now: datetime):
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.next_attempt_at <= now,
    )


@contextmanager
def one_sender():
    """On SQLite (one server), one sender at a time, held with a lock on a file beside the
    database that a crash releases. PostgreSQL locks each message row instead."""
    path = database.sqlite_lock_path("mail-lock")
    if path is None:
        yield
        return
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def claim(now: datetime) -> OutboxMessage | None:
    """The next due message, locked on PostgreSQL until this transaction ends."""
    query = (
        select(OutboxMessage)
        .where(*is_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return db.session.scalars(query).first()


def send_due(limit: int = 100) -> int:
    """Send up to limit due messages; the number sent."""
    sent = tried = 0
    sender = transport()
    try:
        with one_sender():
            while tried < limit:
                db.session.rollback()  # a fresh snapshot for each message
                message = claim(utcnow())
                if message is None:
                    break
                tried += 1
                try:
                    sender.send(message, compose(message))
                except Exception as exc:  # noqa: BLE001  (recorded on the message, retried)
                    record_failure(message, exc)
                    continue
                message.sent_at = utcnow()
                message.attempts += 1
                db.session.commit()
                sent += 1
    finally:
        sender.close()
        db.session.rollback()
    return sent


def record_failure(message: OutboxMessage, exc: Exception) -> None:
    now = utcnow()
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if isinstance(exc, Refused) or message.attempts >= MAX_ATTEMPTS:
        message.failed_at = now
        logger.error("mail %s to be seen by an admin: %s", message.id, message.last_error)
    else:
        message.next_attempt_at = now + timedelta(seconds=BACKOFF[message.attempts - 1])
        logger.warning("mail %s not sent, tried again later: %s", message.id, message.last_error)
    db.session.commit()


def retry(message_id: int) -> OutboxMessage | None:
    """Send a given-up message again, as if new; None if there is no such message."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.sent_at is not None:
        return None
    message.failed_at = None
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.commit()
    wake()
    return message


# ----- waking the worker -----


def wake() -> None:
    """Ask the worker to send now; a queue that cannot be reached only delays the mail."""
    from blog.jobs import jobs

    try:
        jobs().send_outbox()
    except Exception:  # the queue is down: the minute task drains the outbox
        logger.exception("mail: could not wake the worker; it sends within a minute")


def _note_flush(session: Session, flush_context) -> None:
    if any(isinstance(instance, OutboxMessage) for instance in session.new):
        session.info["outbox_wake"] = True


def _after_commit(session: Session) -> None:
    if session.info.pop("outbox_wake", False) and has_app_context():
        wake()


def _after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop("outbox_wake", None)


def listen_for_mail() -> None:
    """Wake the worker after each commit of db.session that wrote messages."""
    if event.contains(db.session, "after_commit", _after_commit):
        return
    event.listen(db.session, "after_flush", _note_flush)
    event.listen(db.session, "after_commit", _after_commit)
    event.listen(db.session, "after_soft_rollback", _after_rollback)
