"""Revisions: the text of an article or a static page as one explicit save left it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.reach import PublicReach, Reach

if TYPE_CHECKING:
    from blog.models.users import User


class Revision(Base):
    """One save of an article or of a static page (exactly one of the two): what the
    editor page holds of its text, who saved it and when. A revision's text is never
    changed; restoring one saves a new revision. `is_published` marks the text readers
    saw (a publish, a save of a public story, or a scheduled text once it went live):
    thinning never removes those."""

    __tablename__ = "revisions"
    __table_args__ = (
        CheckConstraint("(article_id IS NULL) <> (page_id IS NULL)", name="one_target"),
        Index("ix_revisions_article_id_id", "article_id", "id"),
        Index("ix_revisions_page_id_id", "page_id", "id"),
        # Thinning walks the old revisions in time order.
        Index("ix_revisions_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    # The article's brief, or the page's summary.
    brief: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    cover_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL"), index=True
    )
    cover_alt: Mapped[str] = mapped_column(String(300), default="")
    cover_caption: Mapped[str] = mapped_column(String(500), default="")
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="SET NULL"), index=True
    )
    # The ids of the article's topics at the time (a deleted topic is left out on restore).
    topic_ids: Mapped[list] = mapped_column(JSON, default=list)
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # "save", "publish" or "restore": why the revision exists.
    kind: Mapped[str] = mapped_column(String(20), default="save")
    # For a restore: the id of the revision brought back (it may have been thinned since).
    restored_from: Mapped[int | None]
    is_published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Revisions are the newsroom's own record: on no public page.
    __public__ = PublicReach(Reach.NONE)

    editor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        target = f"article {self.article_id}" if self.article_id else f"page {self.page_id}"
        return f"<Revision {self.id} of {target}>"
