"""Newsroom accounts: authors, editors and admins."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from blog.models.base import Base, utcnow
from blog.models.enums import Role, enum_column_type
from blog.models.reach import PublicReach, Reach
from blog.text import email_identity

if TYPE_CHECKING:
    from blog.models.uploads import Upload


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    bio: Mapped[str] = mapped_column(Text, default="")
    avatar_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL", use_alter=True), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "role"), default=Role.AUTHOR)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change or deactivation; sessions carrying an older
    # value are no longer valid.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()
    # False until the person has chosen the name shown on their byline (a first admin
    # made by `init` is asked for it on first sign-in).
    name_confirmed: Mapped[bool] = mapped_column(default=True)
    # True for a password someone else saw (printed by `init`, `create-user`,
    # `set-password` or an admin's reset): the next sign-in must choose a new one.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Two-factor sign-in (RFC 6238 TOTP): the secret, encrypted with a key derived from
    # SECRET_KEY (blog.services.two_factor.store_secret), set once a code confirms it
    # (totp_enabled_at); the last time step accepted, so a code signs in once.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column()
    totp_last_step: Mapped[int | None] = mapped_column()

    # Authors' names and profiles are on public pages; sign-in bookkeeping is not.
    __public__ = PublicReach(
        Reach.SITE,
        quiet=(
            password_hash,
            session_version,
            last_login_at,
            name_confirmed,
            must_change_password,
            totp_secret,
            totp_enabled_at,
            totp_last_step,
        ),
    )

    avatar: Mapped[Upload | None] = relationship(foreign_keys=[avatar_id])

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @validates("email")
    def _store_identity(self, key: str, email: str) -> str:
        """However an account is written (a service, the shell, an import through the
        ORM), its address is stored as its identity, so the unique index is unique per
        identity: two spellings of one address cannot both exist."""
        return email_identity(email)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
