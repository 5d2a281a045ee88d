"""Newsroom accounts: creating, inviting, roles, deactivation and passwords (the name
and profile an account shows readers are blog.services.profiles)."""

import secrets
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from blog import textfold
from blog.domain import DomainError
from blog.extensions import db
from blog.models import Passkey, Role, User
from blog.models.base import utcnow
from blog.services import audit, get_by_id, passwords
from blog.services.slugs import unique_slug
from blog.text import INVISIBLE_CATEGORIES, email_identity  # noqa: F401 (part of this service)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 120
# The first admin's name until they choose their own on first sign-in (migration 0006
# marks existing accounts still carrying it as unconfirmed).
PLACEHOLDER_NAME = "Site Admin"


class UserRejected(DomainError):
    """The account cannot be created or changed as asked."""


class InvitationInvalid(UserRejected):
    """The invitation link is expired, already used, or not one of ours (raised by
    blog.services.invitations)."""


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email_identity(email)))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Compared against when the e-mail is unknown, so both failures take the same time.

    Made on first use, not at import: scrypt is slow on purpose."""
    return generate_password_hash("byline-dummy-password")


def _check_credentials(email: str, password: str) -> tuple[User | None, str]:
    """The account the e-mail names (None if none) and why the password does not open it
    ("" when it does), at the cost of one scrypt check either way."""
    user = find_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return user, "no password set yet"
    if not check_password_hash(user.password_hash, password):
        return user, "wrong password"
    return user, "" if user.active else "account deactivated"


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same cost either way)."""
    user, problem = _check_credentials(email, password)
    return None if problem else user


def attempt_sign_in(email: str, password: str) -> User | None:
    """authenticate(), and the attempt written to the audit log: a sign-in, or a failure
    (never what was typed). A failure for no account is written too, without the
    address: every failure then costs the same write, and its timing tells nobody
    whether an account exists."""
    user, problem = _check_credentials(email, password)
    if user is None:
        audit.record(None, "auth.sign_in_failed", "no such account", reason="no such account")
        db.session.commit()
        return None
    if problem:
        audit.record(user, "auth.sign_in_failed", audit.describe("user", user), reason=problem)
        db.session.commit()
        return None
    has_passkey = db.session.scalar(select(Passkey.id).where(Passkey.user_id == user.id).limit(1))
    if user.totp_enabled_at is not None or has_passkey is not None:
        return user  # signed in once its code or passkey is given (two_factor, passkeys)
    record_login(user)
    return user


def record_login(user: User, **details: object) -> None:
    user.last_login_at = utcnow()
    audit.record(user, "auth.sign_in", audit.describe("user", user), **details)
    db.session.commit()


def end_sessions(user: User) -> None:
    """Sign the account out everywhere: session and remember-me cookies, including copies
    of them, stop working (sessions are signed cookies, so the version is what ends them)."""
    user.session_version += 1
    audit.record(user, "auth.sign_out", audit.describe("user", user))
    db.session.commit()


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def set_password(user: User, password: str) -> None:
    user.password_hash = generate_password_hash(password)


def _check_visible(display_name: str) -> None:
    """Bylines and signatures show the name: nothing in it may hide or reorder text."""
    problem = textfold.hidden_characters_problem(display_name)
    if problem:
        raise UserRejected(problem, field="display_name")


def checked_name(display_name: str) -> str:
    """The name readers will see, spaces tidied; UserRejected when it cannot be one."""
    display_name = " ".join((display_name or "").split())
    if not display_name:
        raise UserRejected("Please give the name readers will see.", field="display_name")
    if len(display_name) > MAX_NAME_LENGTH:
        raise UserRejected(f"At most {MAX_NAME_LENGTH} characters, please.", field="display_name")
    _check_visible(display_name)
    return display_name


def _new_user(email: str, display_name: str, role: Role, *, slug_hint: str = "") -> User:
    """A checked, unsaved account (no password yet). Its name counts as chosen when one
    was given; without one the account is asked for it on first sign-in. Its address is
    made from `slug_hint` when given (an imported author keeps theirs when it is free)."""
    email = email_identity(email)
    if "@" not in email or len(email) > 254:
        raise UserRejected("Please give a valid e-mail address.", field="email")
    if find_by_email(email) is not None:
        raise UserRejected(f"A user with the e-mail {email} already exists.", field="email")
    given = " ".join(display_name.split())
    display_name = given or email.split("@")[0]
    _check_visible(display_name)
    return User(
        email=email,
        display_name=display_name[:MAX_NAME_LENGTH],
        slug=unique_slug(User, slug_hint or display_name, fallback="author"),
        role=role,
        name_confirmed=bool(given),
    )


def _commit_new(user: User, *, invite: bool = False, actor: User | None = None) -> User:
    db.session.add(user)
    try:
        db.session.flush()  # the invitation link and the audit log name the account's id
        if invite:
            passwords.mail_invitation(user)
        action = "user.invite" if invite else "user.create"
        audit.record(actor, action, audit.describe("user", user), role=user.role.value)
        db.session.commit()
    except IntegrityError as exc:  # the same e-mail or slug saved a moment ago
        db.session.rollback()
        raise UserRejected(
            f"A user with the e-mail {user.email} already exists.", field="email"
        ) from exc
    return user


def create_user(
    email: str,
    display_name: str,
    role: Role,
    password: str,
    *,
    actor: User | None = None,
    must_change_password: bool = True,
) -> User:
    """A new account with this password; the actor (None: a command) is in the audit log.
    The password was seen by whoever made the account, so by default the first sign-in
    must choose a new one."""
    user = _new_user(email, display_name, role)
    set_password(user, password)
    user.must_change_password = must_change_password
    return _commit_new(user, actor=actor)


def create_first_admin(email: str, password: str) -> User:
    """The site's first admin (made by `flask init`), under a placeholder name they are
    asked to replace on first sign-in."""
    user = _new_user(email, PLACEHOLDER_NAME, Role.ADMIN)
    user.name_confirmed = False
    user.must_change_password = True  # printed by `init`
    set_password(user, password)
    return _commit_new(user)


def invite_user(email: str, display_name: str, role: Role, *, actor: User | None = None) -> User:
    """An account without a password, to be completed through the invitation link it is
    e-mailed (queued with the account, in one transaction)."""
    return _commit_new(_new_user(email, display_name, role), invite=True, actor=actor)


def invite_imported(
    email: str, display_name: str, role: Role, *, slug_hint: str = "", active: bool = True
) -> tuple[User, str | None]:
    """An author brought in by an importer: an account without a password, invited like
    any other (its mail queued for the caller's commit, which also saves the account, so
    an import item commits whole), with its invitation's token; an account suspended on
    the old site comes across deactivated, uninvited (token None). UserRejected for an address
    that is malformed or already has an account."""
    user = _new_user(email, display_name, role, slug_hint=slug_hint)
    user.active = active
    db.session.add(user)
    db.session.flush()
    token = passwords.mail_invitation(user) if active else None
    action = "user.invite" if active else "user.create"
    audit.record(None, action, audit.describe("user", user), role=user.role.value)
    return user, token


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def reset_password(email: str, password: str) -> User:
    """Set a new password (to be replaced at the next sign-in: it was printed) and end
    the account's existing sessions."""
    user = find_by_email(email)
    if user is None:
        raise UserRejected(f"No user with the e-mail {email}.")
    set_password(user, password)
    user.must_change_password = True
    user.session_version += 1
    audit.record(None, "user.password_set", audit.describe("user", user))
    db.session.commit()
    return user


def first_admin() -> User | None:
    return db.session.scalar(
        select(User).where(User.role == Role.ADMIN, User.active).order_by(User.id).limit(1)
    )


def check_new_password(password: str, field: str = "new_password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserRejected(
            f"Please use at least {MIN_PASSWORD_LENGTH} characters for the password.", field=field
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserRejected("That password is too long.", field=field)


def needs_new_password(user: User) -> bool:
    """A signed-in account whose password someone else saw (printed by a command or made
    by an admin): it chooses its own before any other editor page."""
    return user.is_authenticated and user.must_change_password


# Administration


def get_user(user_id: int) -> User:
    return get_by_id(User, user_id)


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.display_name)))


NO_ADMIN_LEFT = (
    "The site needs at least one active administrator. Make someone else an administrator first."
)


def _commit_keeping_an_admin() -> None:
    """Commit a pending change to an admin, unless it leaves the site without one.

    The admin rows are locked first, in id order, so on PostgreSQL two admins demoting
    each other run one after the other instead of deadlocking. The count runs after the
    change is written, while this transaction holds the write lock (on SQLite the flush
    takes it), so it always sees the other request's committed change.
    """
    pending = [u for u in db.session.dirty if isinstance(u, User)]
    with db.session.no_autoflush:  # lock before writing, or two requests deadlock
        db.session.scalars(
            select(User.id)
            .where(User.role == Role.ADMIN, User.active)
            .order_by(User.id)
            .with_for_update()
        ).all()
    db.session.flush()
    admins = db.session.scalar(
        select(func.count(User.id)).where(User.role == Role.ADMIN, User.active)
    )
    if not admins:
        db.session.rollback()
        for user in pending:
            db.session.refresh(user)
        raise UserRejected(NO_ADMIN_LEFT)
    db.session.commit()


def change_role(user: User, role: Role, *, actor: User | None = None) -> User:
    if user.role == role:
        return user
    target = audit.describe("user", user)
    audit.record(actor, "user.role", target, role=audit.change(user.role.value, role.value))
    user.role = role
    _commit_keeping_an_admin()
    return user


def deactivate(user: User, *, actor: User | None = None) -> User:
    """Block sign-in and end every session of the account."""
    if not user.active:
        return user
    user.active = False
    user.session_version += 1
    audit.record(actor, "user.deactivate", audit.describe("user", user))
    _commit_keeping_an_admin()
    return user


def reactivate(user: User, *, actor: User | None = None) -> User:
    if user.active:
        return user
    user.active = True
    audit.record(actor, "user.reactivate", audit.describe("user", user))
    db.session.commit()
    return user


def issue_temporary_password(user: User, *, actor: User | None = None) -> str:
    """A new random password (returned once, to pass on); ends the account's sessions."""
    password = generate_password()
    set_password(user, password)
    user.must_change_password = True  # the admin saw it: the next sign-in replaces it
    user.session_version += 1
    audit.record(actor, "user.password_set", audit.describe("user", user))
    db.session.commit()
    return password


def change_password(user: User, current_password: str, new_password: str) -> User:
    """Check the current password, set the new one and end the account's other sessions.

    The caller signs the current session in again with the new session version.
    """
    if not user.password_hash or not check_password_hash(user.password_hash, current_password):
        raise UserRejected("That is not your current password.", field="current_password")
    check_new_password(new_password)
    if user.must_change_password and new_password == current_password:
        raise UserRejected("Please choose a password of your own.", field="new_password")
    set_password(user, new_password)
    user.must_change_password = False
    user.session_version += 1
    audit.record(user, "auth.password_change", audit.describe("user", user))
    db.session.commit()
    return user
