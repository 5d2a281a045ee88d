"""The worker's sending of mailings to followers (what is sent: blog/services/mailings.py).

One sender at a time for the whole site: on SQLite a lock on a file beside the database,
on PostgreSQL an advisory lock held on a connection of its own; a worker that dies
releases either at once, and a run that finds it held returns at once.

A run takes the unfinished mailings in the order they were added. For each it reads the
recipients in batches after the mailing's cursor (the last address dealt with); before
each batch it reads the article afresh, and before each message it checks that the
article is still public (one taken down mid-batch goes to nobody more). Each address is
checked again just before its message is made (leaving is immediate); the message is
handed to the SMTP server, and as soon as the server accepts it the cursor moves past its
address and the count goes up, in one commit. So a worker killed at any moment repeats
at most the message in flight, with the same Message-ID, and misses nobody.

- A recipient the server refuses for good (a 5xx answer) is skipped, with a line in the
  log; the mailing goes on.
- A recipient the server will not take now (a 4xx answer to RCPT TO) goes to the outbox
  under the same Message-ID, to be tried again with its back-off; the mailing goes on.
- Any other failure (the server down or slow to answer, a 4xx to the message itself)
  stops the run with the cursor where it was; the next run, within a minute, tries that
  address again.
- A run hands at most FOLLOW_MAIL_PER_MINUTE messages to the server, and records when
  the next may start: after its share of the minute (all of it for a run that sent that
  many, half of it for half as many); a run that starts earlier sends nothing. One that
  reached the rate says so, and the worker queues the next run for then.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from blog import database, jobs, mail
from blog.extensions import db
from blog.models import Article, ArticleStatus, Mailing, OutboxMessage, Subscriber
from blog.models.base import utcnow
from blog.services import mailings

logger = logging.getLogger("blog.mail")

# PostgreSQL's advisory lock for the one sender: "bylineml" read as a number.
LOCK_KEY = int.from_bytes(b"bylineml", "big")
PACED = "follow_mail_paced"  # JobMark: when the run after one that met the rate may begin
RATE_WINDOW = timedelta(minutes=1)


@dataclass
class Outcome:
    """What a run did: messages handed to the server (refused ones included), and, when it
    stopped at the rate, when the next run may go on."""

    sent: int = 0
    resume_at: datetime | None = None


@contextmanager
def one_sender() -> Iterator[bool]:
    """Whether this process is now the site's only mailing sender (held until the end of
    the block), without waiting: False when another one is sending."""
    path = database.sqlite_lock_path("mailings-lock")
    if path is not None:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)
        return
    with db.engine.connect() as connection:
        # In autocommit: the lock belongs to the connection, not to a transaction, and no
        # transaction stays open while it is held.
        connection.execution_options(isolation_level="AUTOCOMMIT")
        is_held = bool(connection.scalar(select(func.pg_try_advisory_lock(LOCK_KEY))))
        try:
            yield is_held
        finally:
            if is_held:
                try:
                    connection.scalar(select(func.pg_advisory_unlock(LOCK_KEY)))
                except Exception:  # a broken connection: closing it releases the lock
                    connection.invalidate()


def run(now: datetime | None = None, limit: int | None = None) -> Outcome:
    """Send what the unfinished mailings owe, at most `limit` messages (default
    FOLLOW_MAIL_PER_MINUTE). `now` fixes the clock (for tests); otherwise each batch
    reads it afresh."""
    limit = limit or current_app.config["FOLLOW_MAIL_PER_MINUTE"]
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    started = clock()
    with one_sender() as is_sender:
        if not is_sender:
            return Outcome()
        db.session.rollback()  # a fresh snapshot
        paced_until = jobs.last_seen(PACED)
        if paced_until is not None and started < paced_until:
            return Outcome()  # the run that met the rate queued the next one for then
        waiting = db.session.scalars(
            select(Mailing.id).where(Mailing.finished_at.is_(None)).order_by(Mailing.id)
        ).all()
        if not waiting:
            return Outcome()
        if not mail.can_link():
            logger.warning("mailings: nothing sent, SITE_URL is not set")
            return Outcome()
        sending = Sending(mail.transport(), limit, clock)
        try:
            for mailing_id in waiting:
                # A copy outside the session: the run is its only writer (record()), and
                # the commit after each message has nothing of it to expire and read again.
                row = db.session.execute(
                    select(Mailing.__table__).where(Mailing.id == mailing_id)
                ).first()
                if row is None:  # its article was deleted, and the mailing with it
                    continue
                if not sending.send(Mailing(**row._asdict())):
                    break
        finally:
            sending.transport.close()
            db.session.rollback()
        if not sending.answered:
            return Outcome(sending.sent)
        # The rate holds across runs: the next may begin once this one's share of the
        # minute has passed (a run woken by a new article soon after does not add to it).
        resume_at = started + RATE_WINDOW * sending.answered / limit
        jobs.mark(PACED, resume_at)
        db.session.commit()
        return Outcome(sending.sent, resume_at if sending.sent >= limit else None)


class Sending:
    """One run's sending: its transport, what is left of its allowance, its clock."""

    def __init__(self, transport, limit: int, clock: Callable[[], datetime]):
        self.transport = transport
        self.limit = limit
        self.clock = clock
        self.sent = 0
        self.answered = 0  # of those, the ones the server took or refused for good

    @property
    def left(self) -> int:
        return self.limit - self.sent

    def send(self, mailing: Mailing) -> bool:
        """Work through one mailing; False when the run must stop (its allowance spent,
        or the server failing), True to go on to the next mailing."""
        while self.left > 0:
            if mailing.kind == "article":
                story = mailings.article_story(mailing.article_id, self.clock())
                if story is None:
                    return True  # not public (not yet, or no longer): it waits
                batch = mailings.recipients(
                    "each",
                    mailing.last_subscriber_id,
                    min(mailings.BATCH, self.left),
                    story.list_keys,
                )
            else:
                stories = mailings.digest_stories(mailing, self.clock())
                batch = (
                    []
                    if not stories
                    else mailings.recipients(
                        "daily", mailing.last_subscriber_id, min(mailings.BATCH, self.left)
                    )
                )
            if not batch:
                mailing.finished_at = utcnow()
                record(mailing)
                db.session.commit()
                return True
            names = mailings.list_names(
                subscription.list_key for _, through in batch for subscription in through
            )
            cadence = "each" if mailing.kind == "article" else "daily"
            for subscriber, through in batch:
                if mailing.kind == "article" and not still_public(mailing.article_id, self.clock()):
                    return True  # taken down mid-batch: it waits, and goes to nobody more
                if not mailings.still_follows(through, cadence):  # left since the batch began
                    message = None
                elif mail.checked_address(subscriber.email) is None:  # brought in malformed
                    logger.warning("mailing %s: subscriber %s skipped, its address cannot be "
                                   "written in a header", mailing.id, subscriber.id)  # fmt: skip
                    message = None
                elif mailing.kind == "article":
                    message = mailings.article_message(mailing, story, subscriber, through, names)
                else:
                    message = mailings.digest_message(mailing, stories, subscriber, through, names)
                if not self.deliver(mailing, subscriber, message):
                    return False
        return False

    def deliver(
        self, mailing: Mailing, subscriber: Subscriber, message: OutboxMessage | None
    ) -> bool:
        """Hand one message to the server and move the cursor past its address, in one
        commit; with no message (nothing for this address), only the cursor. False when
        the server failed: the cursor stays, for the next run to try this address again."""
        if message is not None:
            self.sent += 1
            try:
                self.transport.send(message, mail.compose(message))
            except mail.Refused as exc:
                logger.warning(
                    "mailing %s: subscriber %s refused by the server, skipped: %s",
                    mailing.id,
                    subscriber.id,
                    exc,
                )
            except mail.Deferred as exc:
                defer(message, exc)
            except Exception as exc:  # noqa: BLE001  (the next run tries again)
                logger.warning("mailing %s stopped, the next run goes on: %s", mailing.id, exc)
                db.session.rollback()
                return False
            else:
                mailing.sent_count += 1
            self.answered += 1
            if mailing.started_at is None:
                mailing.started_at = utcnow()
        mailing.last_subscriber_id = subscriber.id
        record(mailing)
        db.session.commit()
        return True


def defer(message: OutboxMessage, exc: Exception) -> None:
    """A recipient the server will not take now goes to the outbox (in the commit that
    moves the cursor past it), which tries again later with its back-off, and keeps it
    for an admin if it never goes; the mailing goes on without waiting for it."""
    now = utcnow()
    message.attempts = 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.next_attempt_at = now + timedelta(seconds=mail.BACKOFF[0])
    db.session.add(message)
    logger.warning("mailing: %s not taken now, in the outbox for later: %s", message.kind, exc)


def still_public(article_id: int, now: datetime) -> bool:
    """Whether the article is public at this moment (one lookup by its key): checked
    before each message, so that one taken down mid-batch goes to nobody more."""
    row = db.session.execute(
        select(Article.status, Article.published_at).where(Article.id == article_id)
    ).first()
    return (
        row is not None
        and row.status == ArticleStatus.PUBLISHED
        and (row.published_at is not None and row.published_at <= now)
    )


def record(mailing: Mailing) -> None:
    """Write a (detached) mailing's progress."""
    db.session.execute(
        update(Mailing)
        .where(Mailing.id == mailing.id)
        .values(
            last_subscriber_id=mailing.last_subscriber_id,
            sent_count=mailing.sent_count,
            started_at=mailing.started_at,
            finished_at=mailing.finished_at,
        )
    )
