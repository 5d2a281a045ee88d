"""Corrections and updates: dated, signed notes published on an article."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.enums import enum_column_type
from blog.models.reach import PublicReach, Reach
from blog.rendering import render_article

if TYPE_CHECKING:
    from blog.models.articles import Article
    from blog.models.users import User


class CorrectionKind(StrEnum):
    CORRECTION = "correction"  # the story was wrong, and says how
    UPDATE = "update"  # the story moved on, and says what is new


class Correction(Base):
    """A public note on a published article. It is never deleted: retracting one keeps
    it, marked retracted with who, when and why, so the record stays visible."""

    __tablename__ = "corrections"
    __table_args__ = (
        Index("ix_corrections_article_id_created_at", "article_id", "created_at"),
        # The site-wide /corrections page, newest first.
        Index("ix_corrections_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    kind: Mapped[CorrectionKind] = mapped_column(
        enum_column_type(CorrectionKind, "correction_kind")
    )
    body_md: Mapped[str] = mapped_column(Text)
    # Sanitized HTML made from body_md by blog.rendering; never written any other way.
    body_html: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retracted_at: Mapped[datetime | None]
    retracted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    retraction_reason: Mapped[str] = mapped_column(Text, default="")

    __public__ = PublicReach(Reach.SITE)

    article: Mapped[Article] = relationship()
    editor: Mapped[User] = relationship(foreign_keys=[editor_id])
    retracted_by: Mapped[User | None] = relationship(foreign_keys=[retracted_by_id])

    def set_body(self, markdown: str) -> None:
        self.body_md = markdown
        self.body_html = render_article(markdown)

    @property
    def is_retracted(self) -> bool:
        return self.retracted_at is not None

    @property
    def changed_at(self) -> datetime:
        """When the note last changed what readers see: its retraction, else its writing."""
        return self.retracted_at or self.created_at
