"""The second factor of a staff sign-in: one-time recovery codes and passkeys (the TOTP
secret lives on the user's row)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
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


class Passkey(Base):
    """A WebAuthn credential (a passkey) registered by a staff account: it signs in in
    place of the password and the authenticator code, or as the second step after the
    password. Only its public key is stored."""

    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The credential's id, base64url without padding, as the browser names it.
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(default=0)
    transports: Mapped[list] = mapped_column(JSON, default=list)
    # The owner's name for it ("Laptop", "Phone").
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    __public__ = PublicReach(Reach.NONE)
