"""Two-factor sign-in for staff accounts: an authenticator app's (RFC 6238 TOTP) codes at
sign-in (setting one up is in two_factor_enrolment), the ten one-time recovery codes,
turning it off, and an admin's reset of someone else's.

A code signs in once: the time step it belongs to is written with a conditional update
(`totp_last_step` must be older), so a code seen over a shoulder, or sent twice at once,
does not open a second session. Recovery codes are kept only as an HMAC of the code with
the app's SECRET_KEY; each is spent by a conditional update too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash

from blog.domain import DomainError, NotAllowed
from blog.extensions import db
from blog.models import Passkey, RecoveryCode, User
from blog.models.base import utcnow
from blog.permissions import STAFF_ROLES, is_admin
from blog.services import account_notices, audit, users
from blog.services.settings import load as site_settings

STEP_SECONDS = 30  # RFC 6238's time step, what every authenticator app uses
VALID_WINDOW = 1  # steps either side of now still accepted: clocks drift
PENDING_MAX_AGE = 300  # seconds between a correct password and its code
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_CODE_LENGTH = 10  # shown as two groups of five
MAX_CODE_INPUT = 64  # characters of a typed code looked at, at most
TOTP_CODE = re.compile(r"[0-9]{6}")

WRONG_CODE = "That code is not right, or was already used. Try the newest code from your app."
EXPIRED = "Your sign-in took too long or was interrupted. Please sign in again."
WRONG_PASSWORD = "That is not your current password."
NOTHING_TO_RESET = "This account has no second factor: nothing to reset."
REQUIRED = "This site requires two-factor sign-in for every staff account; it cannot be turned off."
KEY_CHANGED = (
    "This site's secret key changed since you set up your authenticator app, so its codes "
    "cannot be checked. Ask an admin to run `flask --app blog reset-two-factor <your e-mail>`, "
    "or use a passkey if you have one."
)
MAX_SECRETS_CHECKED = 10_000  # stored secrets `flask check` tries to open, at most


class TwoFactorRejected(DomainError):
    """A code, password or change the two-factor rules refuse."""


class SignInExpired(TwoFactorRejected):
    """The password step is too old, or the account changed since it."""


class SecretKeyChanged(TwoFactorRejected):
    """The account's authenticator secret was sealed under another SECRET_KEY: no code can
    be checked (not the person's mistake, so not a failed attempt)."""


# ----------------------------------------------------------------------- state


def is_enabled(user: User) -> bool:
    return user.totp_enabled_at is not None


def has_passkey(user: User) -> bool:
    found = db.session.scalar(select(Passkey.id).where(Passkey.user_id == user.id).limit(1))
    return found is not None


def has_second_factor(user: User) -> bool:
    """An authenticator app or at least one passkey: what the site's requirement asks."""
    return is_enabled(user) or has_passkey(user)


def needs_setup(user: User) -> bool:
    """A signed-in staff account the site requires two-factor sign-in of, without it."""
    return (
        user.is_authenticated
        and user.role in STAFF_ROLES
        and site_settings().require_two_factor
        and not has_second_factor(user)
    )


@dataclass(frozen=True)
class Status:
    """What the profile shows: on since when, how many recovery codes are left, whether
    the site requires it."""

    enabled_at: datetime | None
    codes_left: int
    required: bool


def status(user: User) -> Status:
    left = 0
    if is_enabled(user):
        left = db.session.scalar(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
    return Status(user.totp_enabled_at, left or 0, site_settings().require_two_factor)


# ----------------------------------------------------------------------- codes


def _now(now: float | None) -> float:
    return time.time() if now is None else now


def derived_fernet(purpose: bytes) -> Fernet:
    """An encryption key for one purpose, derived from SECRET_KEY (HKDF-SHA256)."""
    secret_key = current_app.config["SECRET_KEY"]
    secret_key = secret_key.encode() if isinstance(secret_key, str) else secret_key
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret_key)
    return Fernet(base64.urlsafe_b64encode(derived))


def store_secret(user: User, secret: str) -> None:
    """Keep the account's TOTP secret encrypted: a copy of the database or of a backup
    alone does not give away anyone's second factor."""
    user.totp_secret = derived_fernet(b"byline-totp-secret").encrypt(secret.encode()).decode()


def secret_of(user: User) -> str | None:
    """The account's TOTP secret; None without one, or when it was sealed under another
    SECRET_KEY (then only `flask reset-two-factor` brings the account back)."""
    if not user.totp_secret:
        return None
    try:
        opened = derived_fernet(b"byline-totp-secret").decrypt(user.totp_secret.encode())
    except InvalidToken:
        return None
    return opened.decode()


def unreadable_secrets() -> int:
    """How many stored authenticator secrets the current SECRET_KEY cannot open (a site
    moved without its key): those accounts cannot sign in with a code."""
    sealed = db.session.scalars(
        select(User.totp_secret)
        .where(User.totp_secret.is_not(None))
        .order_by(User.id)
        .limit(MAX_SECRETS_CHECKED)
    )
    fernet = derived_fernet(b"byline-totp-secret")
    unreadable = 0
    for value in sealed:
        try:
            fernet.decrypt(value.encode())
        except InvalidToken:
            unreadable += 1
    return unreadable


def matching_step(secret: str, code: str, now: float | None) -> int | None:
    """The time step whose code this is, within VALID_WINDOW steps of now; else None."""
    typed = "".join((code or "")[:MAX_CODE_INPUT].split())
    if not TOTP_CODE.fullmatch(typed):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    moment = _now(now)
    current = int(moment // STEP_SECONDS)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        if hmac.compare_digest(totp.at(moment, counter_offset=offset), typed):
            return current + offset
    return None


def _claim_step(user: User, step: int) -> bool:
    """Record step as used unless it (or a later one) was: a code works once."""
    claimed = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    user.totp_last_step = step
    return True


def check_code(user: User, code: str, *, now: float | None = None) -> bool:
    """Whether this authenticator code signs the account in now; it is spent if so (the
    caller commits)."""
    secret = secret_of(user)
    if not is_enabled(user) or secret is None:
        return False
    step = matching_step(secret, code, now)
    return step is not None and _claim_step(user, step)


def _recovery_hash(code: str) -> str:
    typed = "".join(ch for ch in code.lower()[:MAX_CODE_INPUT] if ch.isalnum())
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, b"byline-recovery-code:" + typed.encode(), hashlib.sha256).hexdigest()


def use_recovery_code(user: User, code: str) -> bool:
    """Whether this is one of the account's unused recovery codes; it is spent if so (the
    caller commits). Every stored hash is compared, in constant time each."""
    if not is_enabled(user):
        return False
    typed = _recovery_hash(code)
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    found = None
    for stored in unused:
        if hmac.compare_digest(stored.code_hash, typed) and found is None:
            found = stored
    if found is None:
        return False
    spent = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == found.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return spent.rowcount == 1


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(c)) for c in codes)
    return codes


def check_password(user: User, password: str) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, password or ""):
        raise TwoFactorRejected(WRONG_PASSWORD, field="password")


def regenerate_codes(user: User, password: str) -> list[str]:
    """Ten new recovery codes in place of the old ones (all of which stop working)."""
    if not is_enabled(user):
        raise TwoFactorRejected("Two-factor sign-in is not on for your account.")
    check_password(user, password)
    # The account's row first (locked until the commit): a second request at once waits,
    # then replaces these codes instead of adding ten more; and one turned off meanwhile
    # gets none.
    still_on = db.session.execute(
        update(User)
        .where(User.id == user.id, User.totp_enabled_at.is_not(None))
        .values(totp_enabled_at=User.totp_enabled_at)
        .execution_options(synchronize_session=False)
    )
    if still_on.rowcount != 1:
        db.session.rollback()
        raise TwoFactorRejected("Two-factor sign-in is not on for your account.")
    codes = replace_recovery_codes(user)
    audit.record(user, "two_factor.codes_renew", audit.describe("user", user))
    db.session.commit()
    return codes


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable(user: User, password: str) -> None:
    """Turn one's own two-factor sign-in off (the password again); refused while the
    site requires it, unless a passkey remains as the second factor."""
    if not is_enabled(user):
        raise TwoFactorRejected("Two-factor sign-in is not on for your account.")
    if site_settings().require_two_factor and not has_passkey(user):
        raise TwoFactorRejected(REQUIRED)
    check_password(user, password)
    _clear(user)
    audit.record(user, "two_factor.disable", audit.describe("user", user))
    account_notices.two_factor_changed(user, "disabled")
    db.session.commit()


def reset(user: User, *, actor: User | None) -> None:
    """An admin clears another account's second factor (a lost phone): its secret,
    recovery codes and passkeys go, its sessions end, and its owner is told by mail. One's
    own is turned off on the profile. With actor None it is the server's command line
    (`flask reset-two-factor`, for a sole admin locked out), audited as the system.
    TwoFactorRejected (NOTHING_TO_RESET) for an account without a second factor."""
    if actor is not None and not is_admin(actor):
        raise NotAllowed()
    if actor is not None and user.id == actor.id:
        raise TwoFactorRejected("Turn off your own two-factor sign-in on your profile.")
    if not has_second_factor(user):  # what the admin page offers the button for
        raise TwoFactorRejected(NOTHING_TO_RESET)
    _clear(user)
    db.session.execute(delete(Passkey).where(Passkey.user_id == user.id))
    user.session_version += 1
    audit.record(actor, "two_factor.reset", audit.describe("user", user))
    account_notices.two_factor_changed(user, "reset" if actor else "reset_by_system")
    db.session.commit()


# ----------------------------------------------------------------------- sign-in


def pending_account(
    user_id: object, session_version: object, issued_at: object, *, now: float | None = None
) -> User:
    """The account a correct password was given for, while its code is still awaited:
    at most PENDING_MAX_AGE seconds ago, and neither signed out, changed nor signed in
    since (a copy of the step's session cookie does not sign in a second time).
    SignInExpired otherwise (the values come from the session: any type)."""
    numbers = (user_id, session_version, issued_at)
    if any(isinstance(n, bool) or not isinstance(n, int | float) for n in numbers):
        raise SignInExpired(EXPIRED)
    age = _now(now) - issued_at
    if not 0 <= age <= PENDING_MAX_AGE or not isinstance(user_id, int):
        raise SignInExpired(EXPIRED)
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != session_version:
        raise SignInExpired(EXPIRED)
    if user.last_login_at is not None and user.last_login_at.timestamp() >= issued_at:
        raise SignInExpired(EXPIRED)
    if not has_second_factor(user):
        raise SignInExpired(EXPIRED)
    return user


def complete_sign_in(user: User, code: str, *, now: float | None = None) -> bool:
    """Check the second step's code (an authenticator code or a recovery code); write the
    sign-in, or the failure, to the audit log. True when it was a recovery code;
    TwoFactorRejected when it was neither, SecretKeyChanged when the account's secret
    cannot be opened under this SECRET_KEY (no code could be right)."""
    if check_code(user, code, now=now):
        users.record_login(user, second_factor="authenticator app")
        return False
    if TOTP_CODE.fullmatch("".join((code or "")[:MAX_CODE_INPUT].split())) is None and (
        use_recovery_code(user, code)
    ):
        left = status(user).codes_left
        audit.record(user, "two_factor.recovery_used", audit.describe("user", user), left=left)
        account_notices.two_factor_changed(user, "recovery_used", codes_left=left)
        users.record_login(user, second_factor="recovery code")
        return True
    db.session.rollback()
    key_changed = is_enabled(user) and secret_of(user) is None
    reason = "authenticator secret sealed under another SECRET_KEY" if key_changed else None
    audit.record(
        user,
        "auth.sign_in_failed",
        audit.describe("user", user),
        reason=reason or "wrong two-factor code",
    )
    db.session.commit()
    if key_changed:
        raise SecretKeyChanged(KEY_CHANGED, field="code")
    raise TwoFactorRejected(WRONG_CODE, field="code")
