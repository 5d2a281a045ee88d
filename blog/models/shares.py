"""Share tallies per article, network and day, and the receipts that dedupe them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, utcnow
from blog.models.reach import PublicReach, Reach

# The network names a share is counted under ("copy" and "native" are made in the page
# by JavaScript: copying the link, the browser's own share sheet).
NETWORKS = (
    "x",
    "facebook",
    "linkedin",
    "reddit",
    "whatsapp",
    "telegram",
    "email",
    "copy",
    "native",
)


class ShareTally(Base):
    __tablename__ = "share_tallies"
    __table_args__ = (
        UniqueConstraint("article_id", "network", "day"),
        # "Most shared this week": recent days across all articles.
        Index("ix_share_tallies_day_article_id", "day", "article_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    network: Mapped[str] = mapped_column(String(20))
    day: Mapped[date]
    count: Mapped[int] = mapped_column(default=0)

    # "Most shared" may lag by the cache's TTL, as the articles' share counts do.
    __public__ = PublicReach(Reach.NONE)


class ShareReceipt(Base):
    """One counted share per reader, article, network and day (reader = hashed client key)."""

    __tablename__ = "share_receipts"
    __table_args__ = (UniqueConstraint("article_id", "network", "day", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    network: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(index=True)
    client_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __public__ = PublicReach(Reach.NONE)
