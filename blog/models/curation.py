"""The editors' hand on the public site: front-page picks and the header and footer menus.

The breaking-news banner is three site settings (breaking_text, breaking_url,
breaking_until), so it needs no table.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.enums import MenuLinkKind, MenuName, enum_column_type
from blog.models.reach import PublicReach, Reach

if TYPE_CHECKING:
    from blog.models.articles import Article
    from blog.models.pages import Page
    from blog.models.taxonomy import Section, Topic


class FrontPagePick(Base):
    """A story an editor put on the front page: the lead, or a pinned top story."""

    __tablename__ = "front_page_picks"
    __table_args__ = (Index("ix_front_page_picks_is_lead_position", "is_lead", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A story is picked once: as the lead or as one of the top stories.
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), unique=True
    )
    is_lead: Mapped[bool] = mapped_column(default=False)
    # Order among the top stories, from 1 (the lead's is 0).
    position: Mapped[int] = mapped_column(default=0)
    # None: until taken off by hand.
    expires_at: Mapped[datetime | None]
    picked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    picked_at: Mapped[datetime] = mapped_column(default=utcnow)

    __public__ = PublicReach(Reach.SITE)

    article: Mapped[Article] = relationship()


class MenuLink(Base):
    """One link of the header or the footer menu, in order."""

    __tablename__ = "menu_links"
    __table_args__ = (Index("ix_menu_links_menu_position", "menu", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    menu: Mapped[MenuName] = mapped_column(enum_column_type(MenuName, "menu_name"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[MenuLinkKind] = mapped_column(enum_column_type(MenuLinkKind, "menu_link_kind"))
    # Empty: the linked section's, topic's or page's own name or title.
    label: Mapped[str] = mapped_column(String(80), default="")
    # Exactly one target, by kind; a link goes with the section, topic or page it names.
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    page_id: Mapped[int | None] = mapped_column(
        ForeignKey("pages.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __public__ = PublicReach(Reach.SITE)

    section: Mapped[Section | None] = relationship()
    topic: Mapped[Topic | None] = relationship()
    page: Mapped[Page | None] = relationship()
