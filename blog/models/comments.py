"""Reader comments, threaded through their parent."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.models.base import Base, utcnow
from blog.models.enums import CommentStatus, enum_column_type
from blog.models.reach import PublicReach, Reach
from blog.rendering import render_comment

if TYPE_CHECKING:
    from blog.models.articles import Article
    from blog.models.users import User

MAX_DEPTH = 3


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        # Comment counts, and the moderation queue of one article.
        Index("ix_comments_article_id_status_created_at", "article_id", "status", "created_at"),
        # The article page: a thread's top-level comments in order, and their replies.
        Index(
            "ix_comments_article_id_parent_id_created_at_id",
            "article_id",
            "parent_id",
            "created_at",
            "id",
        ),
        # The moderation queue: by status, and all comments newest first.
        Index("ix_comments_status_created_at", "status", "created_at"),
        Index("ix_comments_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    depth: Mapped[int] = mapped_column(default=1)  # 1 for a top-level comment, at most MAX_DEPTH
    status: Mapped[CommentStatus] = mapped_column(
        enum_column_type(CommentStatus, "comment_status"), default=CommentStatus.PENDING
    )
    author_name: Mapped[str] = mapped_column(String(80))
    # Private: shown to moderators only, never rendered publicly.
    author_email: Mapped[str] = mapped_column(String(254), default="", index=True)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    is_staff: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Keyed hash of the client address: enough to rate limit, never the address itself.
    client_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Its article's discussion only: the comment counts on listings may lag by the cache's
    # TTL. A held comment shows nowhere; once shown, any change may alter the thread (a
    # hidden comment with shown replies stays as a placeholder).
    __public__ = PublicReach(
        Reach.ARTICLE, article=article_id, new_rows=(status, CommentStatus.APPROVED)
    )

    article: Mapped[Article] = relationship()
    user: Mapped[User | None] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    def set_body(self, markdown: str) -> None:
        self.body_md = markdown
        self.body_html = render_comment(markdown)
