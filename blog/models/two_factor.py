"""The second factor of a staff sign-in: one-time recovery codes (the TOTP secret lives
on the user's row)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base, utcnow
from blog.models.reach import PublicReach, Reach


class RecoveryCode(Base):
    """One of the ten codes shown once when two-factor sign-in is turned on; each signs
    in once in place of an authenticator code. Only a keyed hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(128))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __public__ = PublicReach(Reach.NONE)
