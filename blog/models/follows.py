"""Readers who follow by e-mail: their addresses, the lists they follow (the whole site, a
section, a topic), the comment threads whose replies they hear of, and the mailings the
worker sends to them.

An address is a reader's own and private: no public page, feed or public export shows
it (a backup holds it, and says so). A subscription or a followed thread exists only once
its address confirmed it (double opt-in), except a subscription, which waits unconfirmed
for a few days and is then dropped (blog.services.subscriptions).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.reach import PublicReach, Reach

# What a subscription follows, and how often it hears of it.
SCOPES = ("site", "section", "topic")
CADENCES = ("each", "daily")  # each new article as it is published, or a daily digest
# What a mailing sends.
MAILING_KINDS = ("article", "digest")


class Subscriber(Base):
    """One reader's e-mail address, as typed, keyed by its lower-cased form."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    # The address lower-cased: one row per address, whatever its case.
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __public__ = PublicReach(Reach.NONE)

    subscriptions: Mapped[list[Subscription]] = relationship(
        back_populates="subscriber", cascade="all, delete-orphan", passive_deletes=True
    )
    thread_follows: Mapped[list[ThreadFollow]] = relationship(
        back_populates="subscriber", cascade="all, delete-orphan", passive_deletes=True
    )


class Subscription(Base):
    """An address following a list: the whole site, one section or one topic."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("subscriber_id", "list_key"),
        # A mailing's recipients: the confirmed subscriptions of one list and cadence.
        Index("ix_subscriptions_list_key_cadence", "list_key", "cadence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(10))  # SCOPES
    # "site", "section:<id>" or "topic:<id>": one subscription per address and list.
    list_key: Mapped[str] = mapped_column(String(40))
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    cadence: Mapped[str] = mapped_column(String(10), default="each")  # CADENCES
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None until the address's owner follows the mailed link; nothing is sent before.
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)

    __public__ = PublicReach(Reach.NONE)

    subscriber: Mapped[Subscriber] = relationship(back_populates="subscriptions")

    @staticmethod
    def key_of(scope: str, target_id: int | None = None) -> str:
        return "site" if scope == "site" else f"{scope}:{int(target_id or 0)}"


class ThreadFollow(Base):
    """A confirmed address hearing of the replies in one comment thread (a top-level
    comment and everything under it)."""

    __tablename__ = "thread_follows"
    __table_args__ = (UniqueConstraint("subscriber_id", "root_comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True
    )
    root_comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __public__ = PublicReach(Reach.NONE)

    subscriber: Mapped[Subscriber] = relationship(back_populates="thread_follows")


class Mailing(Base):
    """One sending to the followers: a new article to its lists' "each" subscribers, or
    one day's digest to the "daily" ones. The worker walks the recipients in id order and
    records the last one done after each message the SMTP server accepts, so a crash
    repeats at most the message in flight (with the same Message-ID)."""

    __tablename__ = "mailings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # MAILING_KINDS
    # "article:<id>" or "digest:<YYYY-MM-DD>": one mailing each.
    key: Mapped[str] = mapped_column(String(40), unique=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    # A digest's articles: those published in (period_start, period_end].
    period_start: Mapped[datetime | None] = mapped_column(default=None)
    period_end: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # The last subscriber id dealt with (sent, or skipped for good); 0 before the first.
    last_subscriber_id: Mapped[int] = mapped_column(default=0)
    sent_count: Mapped[int] = mapped_column(default=0)

    __public__ = PublicReach(Reach.NONE)
