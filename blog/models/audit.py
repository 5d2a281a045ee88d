"""The audit log: what the staff did, who, when and from where (hashed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, utcnow
from blog.models.reach import PublicReach, Reach


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # None for the system (the worker, a command) or an account since deleted.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The actor's name when it acted, kept after the account goes.
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    # A dotted verb: "article.publish", "user.role", "front.lead", "auth.sign_in".
    action: Mapped[str] = mapped_column(String(40))
    # What it acted on, as shown to admins: "article 12: Title".
    target: Mapped[str] = mapped_column(String(300), default="")
    # A few facts the action adds ({"from": "author", "to": "editor"}); never secrets.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # A keyed hash of the client address: the same address matches, the address is not kept.
    source: Mapped[str] = mapped_column(String(64), default="")

    __public__ = PublicReach(Reach.NONE)
