"""What came in from another platform: the items an importer brought, and the old
addresses that lead to them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.reach import PublicReach, Reach

if TYPE_CHECKING:
    from blog.models.articles import Article
    from blog.models.pages import Page
    from blog.models.taxonomy import Section, Topic
    from blog.models.users import User


class ImportedItem(Base):
    """One item of an export that an importer brought in, by its id there, so that the
    same export imported again adds nothing twice. An item deleted here afterwards stays
    deleted: the record outlives it."""

    __tablename__ = "imported_items"
    __table_args__ = (UniqueConstraint("source", "kind", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The export's origin: "wordpress https://old.example.com" or "ghost".
    source: Mapped[str] = mapped_column(String(200))
    # author, section, topic, article, page, comment, image
    kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[str] = mapped_column(String(100))
    # The row it became (its table follows from kind).
    target_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __public__ = PublicReach(Reach.NONE)


class OldUrl(Base):
    """An address of the site before it moved here ("/?p=12", "/2024/05/06/a-slug",
    "/category/news"), answered with one 301 to what it became. Stored without a trailing
    slash, percent-decoded; a query address keeps its one key ("/?p=12"). Exactly one
    target, which the address follows when renamed and goes with when deleted."""

    __tablename__ = "old_urls"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    page_id: Mapped[int | None] = mapped_column(
        ForeignKey("pages.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # A redirect that appears changes what an address answers (a 404 until then).
    __public__ = PublicReach(Reach.SITE)

    article: Mapped[Article | None] = relationship()
    page: Mapped[Page | None] = relationship()
    section: Mapped[Section | None] = relationship()
    topic: Mapped[Topic | None] = relationship()
    user: Mapped[User | None] = relationship()
