"""The outbox of mail to send, and the worker's own bookkeeping: marks and failed jobs.

A message is written in the same transaction as the change that causes it; the worker
sends what is due (blog/mail.py). None of these rows is on a public page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, utcnow
from blog.models.reach import PublicReach, Reach


class OutboxMessage(Base):
    """One message to one recipient, sent once the SMTP server accepts it (sent_at), or
    given up after its last attempt (failed_at: kept for an admin to retry)."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # A JSON object of further headers (List-Unsubscribe and List-Unsubscribe-Post).
    headers: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    failed_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        Index("ix_outbox_messages_due", "sent_at", "next_attempt_at"),
        # A reader's mail: forgotten with the address, and what the hourly clean-up
        # asks of an unconfirmed one (blog.services.subscription_changes, subscriptions).
        Index("ix_outbox_messages_recipient_created_at", "recipient", "created_at"),
    )
    __public__ = PublicReach(Reach.NONE)

    @property
    def state(self) -> str:
        """ "sent", "failed" or "waiting"."""
        if self.sent_at is not None:
            return "sent"
        return "failed" if self.failed_at is not None else "waiting"


class JobMark(Base):
    """When something last happened: the worker last seen ("worker"), the last moderation
    digest ("moderation_digest"), the last publication check ("publish_due")."""

    __tablename__ = "job_marks"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __public__ = PublicReach(Reach.NONE)


class JobFailure(Base):
    """A job that failed after its last retry, with its error, until an admin dismisses it."""

    __tablename__ = "job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80))
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    dismissed_at: Mapped[datetime | None] = mapped_column(default=None)

    __public__ = PublicReach(Reach.NONE)
