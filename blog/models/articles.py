"""Articles and the editor's comments signed on them."""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.enums import ArticleStatus, enum_column_type
from blog.models.reach import PublicReach, Reach
from blog.models.taxonomy import article_topics
from blog.rendering import count_words, render_article

if TYPE_CHECKING:
    from blog.models.corrections import Correction
    from blog.models.taxonomy import Section, Topic
    from blog.models.uploads import Upload
    from blog.models.users import User

WORDS_PER_MINUTE = 230


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        # Front page, feeds and sitemap: published, newest first.
        Index("ix_articles_status_published_at", "status", "published_at"),
        # Section and author listings.
        Index("ix_articles_section_id_status_published_at", "section_id", "status", "published_at"),
        Index("ix_articles_author_id_status_published_at", "author_id", "status", "published_at"),
        # Front page "most discussed".
        Index("ix_articles_status_comment_count", "status", "comment_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    brief: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    # Sanitized HTML made from body_md by blog.rendering; never written any other way.
    body_html: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(default=0)
    cover_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL"), index=True
    )
    cover_alt: Mapped[str] = mapped_column(String(300), default="")
    cover_caption: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="RESTRICT"))
    status: Mapped[ArticleStatus] = mapped_column(
        enum_column_type(ArticleStatus, "article_status"), default=ArticleStatus.DRAFT
    )
    is_featured: Mapped[bool] = mapped_column(default=False)
    # Public once status is published and published_at <= now (scheduling needs no cron).
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by the services when the text changes, not on every row write.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    comments_open: Mapped[bool] = mapped_column(default=True)
    # Edit-conflict guard: a save names the version it started from.
    version: Mapped[int] = mapped_column(default=1)
    # Denormalized counters kept by the comment and share services.
    comment_count: Mapped[int] = mapped_column(default=0)
    share_count: Mapped[int] = mapped_column(default=0)

    # Shares show up within the cache's TTL; drafts and articles in review on no page.
    __public__ = PublicReach(
        Reach.SITE, quiet=(share_count,), public_while=(status, ArticleStatus.PUBLISHED)
    )

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    # The authors credited after the lead author, in byline order; `coauthors` reads and
    # sets them as people, numbering their positions.
    coauthor_links: Mapped[list[ArticleCoauthor]] = relationship(
        order_by="ArticleCoauthor.position",
        collection_class=ordering_list("position", count_from=1),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    coauthors: AssociationProxy[list[User]] = association_proxy(
        "coauthor_links", "user", creator=lambda user: ArticleCoauthor(user=user)
    )
    section: Mapped[Section | None] = relationship()
    cover: Mapped[Upload | None] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=article_topics, order_by="Topic.name")
    editor_comments: Mapped[list[EditorComment]] = relationship(
        back_populates="article",
        order_by="EditorComment.created_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    # Corrections and updates, oldest first; written only by blog.services.corrections,
    # never deleted (the database removes them with their article).
    corrections: Mapped[list[Correction]] = relationship(
        order_by="[Correction.created_at, Correction.id]", viewonly=True
    )

    def set_body(self, markdown: str, html: str | None = None) -> None:
        """Store the Markdown with its sanitized HTML and word count, always together;
        `html` is render_article(markdown) when the caller already made it (an import
        renders in worker processes)."""
        self.body_md = markdown
        self.body_html = render_article(markdown) if html is None else html
        self.word_count = count_words(markdown)

    @property
    def authors(self) -> list[User]:
        """Everyone credited, in byline order: the lead author, then the co-authors."""
        return [self.author, *self.coauthors]

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def was_updated(self) -> bool:
        """True when the text changed after publication (shown as "Updated ...")."""
        if self.published_at is None:
            return False
        return (self.updated_at - self.published_at).total_seconds() > 60

    @property
    def modified_at(self) -> datetime:
        """The newest of the text's last change and its corrections and updates (added or
        retracted): the page's dateModified and its feed entry's updated."""
        return max([self.updated_at, *(note.changed_at for note in self.corrections)])

    def __repr__(self) -> str:
        return f"<Article {self.slug} {self.status}>"


class ArticleCoauthor(Base):
    """An author credited after the lead author (articles.author_id, never listed here),
    at a position in the byline counted from 1."""

    __tablename__ = "article_coauthors"
    __table_args__ = (
        # An author's page and the newsroom list find a co-author's articles from here.
        Index("ix_article_coauthors_user_id_article_id", "user_id", "article_id"),
    )

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int]

    __public__ = PublicReach(Reach.SITE)

    user: Mapped[User] = relationship()


class EditorComment(Base):
    """A signed editorial note shown in the article's "Editor's Comments" box."""

    __tablename__ = "editor_comments"
    __table_args__ = (
        Index("ix_editor_comments_article_id_created_at", "article_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __public__ = PublicReach(Reach.SITE)

    article: Mapped[Article] = relationship(back_populates="editor_comments")
    editor: Mapped[User] = relationship()

    def set_body(self, markdown: str) -> None:
        self.body_md = markdown
        self.body_html = render_article(markdown)
