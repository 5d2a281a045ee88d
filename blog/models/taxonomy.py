"""Sections (the ordered front-page departments), topics, and kept old slugs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, utcnow
from blog.models.enums import SlugKind, enum_column_type
from blog.models.reach import PUBLIC, PublicReach, Reach

article_topics = Table(
    "article_topics",
    Base.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_article_topics_topic_id_article_id", "topic_id", "article_id"),
    info={PUBLIC: PublicReach(Reach.SITE)},
)


class Term:
    """What a section and a topic both have: a name, an address and a description."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Last in the table, after the columns of each kind of term.
    created_at: Mapped[datetime] = mapped_column(default=utcnow, sort_order=1)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.slug}>"


class Section(Term, Base):
    __tablename__ = "sections"

    position: Mapped[int] = mapped_column(default=0, index=True, sort_order=1)

    __public__ = PublicReach(Reach.SITE)


class Topic(Term, Base):
    __tablename__ = "topics"

    __public__ = PublicReach(Reach.SITE)


class OldSlug(Base):
    """A slug an article, section, topic or author used to have: it 301-redirects."""

    __tablename__ = "old_slugs"
    __table_args__ = (UniqueConstraint("kind", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SlugKind] = mapped_column(enum_column_type(SlugKind, "slug_kind"))
    slug: Mapped[str] = mapped_column(String(200))
    target_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __public__ = PublicReach(Reach.SITE)
