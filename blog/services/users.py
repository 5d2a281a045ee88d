"""Creating newsroom accounts and checking their passwords."""

import secrets

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from blog.extensions import db
from blog.models import Role, User
from blog.services.slugs import unique_slug


class UserRejected(ValueError):
    """The account cannot be created as asked; the message is for the user."""


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def set_password(user: User, password: str) -> None:
    user.password_hash = generate_password_hash(password)


def create_user(email: str, display_name: str, role: Role, password: str) -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise UserRejected("Please give a valid e-mail address.")
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise UserRejected(f"A user with the e-mail {email} already exists.")
    display_name = display_name.strip() or email.split("@")[0]
    user = User(
        email=email,
        display_name=display_name[:120],
        slug=unique_slug(User, display_name, fallback="author"),
        role=role,
    )
    set_password(user, password)
    db.session.add(user)
    db.session.commit()
    return user


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def reset_password(email: str, password: str) -> User:
    """Set a new password and end the account's existing sessions."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise UserRejected(f"No user with the e-mail {email}.")
    set_password(user, password)
    user.session_version += 1
    db.session.commit()
    return user


def first_admin() -> User | None:
    return db.session.scalar(
        select(User).where(User.role == Role.ADMIN, User.active).order_by(User.id).limit(1)
    )
