"""Static pages (About, Contact, Corrections policy, Privacy), served at /<slug>."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.enums import PageStatus, enum_column_type
from blog.models.reach import PublicReach, Reach
from blog.rendering import render_article

if TYPE_CHECKING:
    from blog.models.uploads import Upload
    from blog.models.users import User


class Page(Base):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    # The meta description and the summary shown in lists of pages.
    summary: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    # Sanitized HTML made from body_md by blog.rendering; never written any other way.
    body_html: Mapped[str] = mapped_column(Text, default="")
    cover_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL"), index=True
    )
    cover_alt: Mapped[str] = mapped_column(String(300), default="")
    cover_caption: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[PageStatus] = mapped_column(
        enum_column_type(PageStatus, "page_status"), default=PageStatus.DRAFT
    )
    # Pages show no byline or date unless the editor switches them on.
    show_byline: Mapped[bool] = mapped_column(default=False)
    show_updated: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by the services when the text changes, not on every row write.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Edit-conflict guard: a save names the version it started from.
    version: Mapped[int] = mapped_column(default=1)

    # A draft is on no page; a published page is linked from menus and the sitemap.
    __public__ = PublicReach(Reach.SITE, public_while=(status, PageStatus.PUBLISHED))

    author: Mapped[User] = relationship()
    cover: Mapped[Upload | None] = relationship()

    def set_body(self, markdown: str, html: str | None = None) -> None:
        """Store the Markdown with its sanitized HTML, always together (`html`: as for
        Article.set_body)."""
        self.body_md = markdown
        self.body_html = render_article(markdown) if html is None else html

    def __repr__(self) -> str:
        return f"<Page {self.slug} {self.status}>"
