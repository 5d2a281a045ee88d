"""Reader comments, threaded through their parent."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
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
    # Any change, a moderator's included; `edited_at` is only the poster's own edit.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    # Why a comment waits for a moderator (HELD_REASONS in blog.services.comment_holds);
    # "" when it was not held.
    held_reason: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # Readers' reports not yet dealt with by a moderator (rows in comment_reports).
    report_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The poster ticked "e-mail me replies": their thread is followed once the address
    # confirms it (blog.services.reply_notices).
    wants_replies: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A confirmation link was mailed for this comment, and when it was followed.
    confirm_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    # When the thread's followers were told of this comment (once, on its first approval).
    notified_at: Mapped[datetime | None] = mapped_column(default=None)

    # Its article's discussion only: the comment counts on listings may lag by the cache's
    # TTL. A held comment shows nowhere; once shown, any change may alter the thread (a
    # hidden comment with shown replies stays as a placeholder).
    __public__ = PublicReach(
        Reach.ARTICLE,
        article=article_id,
        new_rows=(status, CommentStatus.APPROVED),
        # Moderators' bookkeeping: no page shows either.
        quiet=(
            report_count,
            held_reason,
            wants_replies,
            confirm_sent_at,
            confirmed_at,
            notified_at,
        ),
    )

    article: Mapped[Article] = relationship()
    user: Mapped[User | None] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    def set_body(self, markdown: str) -> None:
        self.body_md = markdown
        self.body_html = render_comment(markdown)


class CommentReport(Base):
    """A reader's report of a comment: one per reader (keyed hash of the client's network)
    per comment. A moderator's decision dismisses it (dismissed_at) but keeps the row, so
    the same network cannot report that comment again."""

    __tablename__ = "comment_reports"
    __table_args__ = (UniqueConstraint("comment_id", "reporter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    reporter_key: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(20))  # REPORT_REASONS in the service
    detail: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dismissed_at: Mapped[datetime | None] = mapped_column(default=None)  # by a moderator

    __public__ = PublicReach(Reach.NONE)

    comment: Mapped[Comment] = relationship()
