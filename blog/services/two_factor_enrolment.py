"""Setting up an authenticator app (RFC 6238 TOTP) for two-factor sign-in.

Nothing is stored until a code confirms the app: starting makes a fresh secret each time,
sealed (encrypted with a key derived from SECRET_KEY, dated, naming the account) for the
browser's session, and a sealed secret older than ENROLMENT_MAX_AGE is refused. So the page
shows a secret only to the session that started it, and a set-up left half done expires.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from markupsafe import Markup
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from blog.extensions import db
from blog.models import User
from blog.models.base import utcnow
from blog.services import account_notices, audit
from blog.services.settings import load as site_settings
from blog.services.two_factor import (
    WRONG_CODE,
    TwoFactorRejected,
    check_password,
    derived_fernet,
    is_enabled,
    matching_step,
    needs_setup,
    replace_recovery_codes,
    store_secret,
)

ENROLMENT_MAX_AGE = 600  # seconds between starting to set up an app and confirming it
MAX_SEALED = 1024  # characters of a sealed enrolment looked at, at most
ALREADY_ON = "Two-factor sign-in is already on for your account."
START_AGAIN = (
    "Setting up took more than {minutes} minutes, or was not started. Start again: your app "
    "gets a new key."
)


def minutes() -> int:
    """ENROLMENT_MAX_AGE in whole minutes, as the set-up page says it."""
    return ENROLMENT_MAX_AGE // 60


def start_again() -> str:
    return START_AGAIN.format(minutes=minutes())


def _now(now: float | None) -> float:
    return time.time() if now is None else now


@dataclass(frozen=True)
class Enrolment:
    """An enrolment under way: the secret (also grouped for typing), the otpauth://
    address and its QR code as inline SVG, and the secret sealed for the session (only a
    confirmed secret is stored on the account)."""

    secret: str
    grouped: str
    uri: str
    qr_svg: Markup
    sealed: str


def _sealer() -> Fernet:
    return derived_fernet(b"byline-two-factor-enrolment")


def start(user: User, *, now: float | None = None) -> Enrolment:
    """A new enrolment with a fresh secret, each time one is started; the secret is kept
    sealed (encrypted, dated, for this account) in the caller's session until a code
    confirms it, for at most ENROLMENT_MAX_AGE seconds. TwoFactorRejected when two-factor
    sign-in is already on."""
    if is_enabled(user):
        raise TwoFactorRejected(ALREADY_ON)
    secret = pyotp.random_base32()
    payload = json.dumps({"user": user.id, "secret": secret}).encode()
    sealed = _sealer().encrypt_at_time(payload, int(_now(now))).decode()
    audit.record(user, "two_factor.setup_begin", audit.describe("user", user))
    db.session.commit()
    return _enrolment(user, secret, sealed)


def _unsealed_secret(user: User, sealed: object, now: float | None) -> str | None:
    """The secret of this account's enrolment sealed in the session, if at most
    ENROLMENT_MAX_AGE seconds old; else None (the value comes from the session: any type)."""
    if not isinstance(sealed, str) or len(sealed) > MAX_SEALED:
        return None
    try:
        payload = _sealer().decrypt_at_time(sealed.encode(), ENROLMENT_MAX_AGE, int(_now(now)))
        opened = json.loads(payload)
    except (InvalidToken, ValueError):
        return None
    if not isinstance(opened, dict) or opened.get("user") != user.id:
        return None
    secret = opened.get("secret")
    return secret if isinstance(secret, str) else None


def _enrolment(user: User, secret: str, sealed: str) -> Enrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=_issuer())
    svg = segno.make(uri, error="m").svg_inline(
        scale=4,
        dark="#000",
        light="#fff",
        omitsize=True,
        title="QR code for your authenticator app",
    )
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return Enrolment(secret=secret, grouped=grouped, uri=uri, qr_svg=Markup(svg), sealed=sealed)


def _issuer() -> str:
    # A colon would end the issuer early in the otpauth:// label.
    return site_settings().site_title.replace(":", " ").strip() or "Byline"


def confirm(
    user: User, sealed: object, code: str, password: str, *, now: float | None = None
) -> list[str]:
    """Turn two-factor sign-in on with the enrolment sealed in the session, a code from the
    app and the account's password (a stolen session alone cannot enrol its own app); the
    ten recovery codes, shown this once. Every other session ends (the caller signs this
    browser in again) and the owner is told by mail. TwoFactorRejected for a wrong
    password or code, or no enrolment under way (none, another account's, or too old)."""
    if is_enabled(user):
        raise TwoFactorRejected(ALREADY_ON)
    secret = _unsealed_secret(user, sealed, now)
    if secret is None:
        raise TwoFactorRejected(start_again())
    check_password(user, password)
    step = matching_step(secret, code, now)
    if step is None:
        raise TwoFactorRejected(WRONG_CODE, field="code")
    # Turned on once: a second submit of the same form (or one racing it) finds it on and
    # makes no second set of recovery codes.
    enabled_at = utcnow()
    turned_on = db.session.execute(
        update(User)
        .where(User.id == user.id, User.totp_enabled_at.is_(None))
        .values(totp_enabled_at=enabled_at)
        .execution_options(synchronize_session=False)
    )
    if turned_on.rowcount != 1:
        db.session.rollback()
        raise TwoFactorRejected(ALREADY_ON)
    set_committed_value(user, "totp_enabled_at", enabled_at)
    store_secret(user, secret)
    user.totp_last_step = step
    codes = replace_recovery_codes(user)
    user.session_version += 1  # other sessions and remember-me cookies end
    audit.record(user, "two_factor.enable", audit.describe("user", user))
    account_notices.two_factor_changed(user, "enabled")
    db.session.commit()
    return codes


@dataclass(frozen=True)
class SetupPage:
    """The set-up page: whether it is on already, whether the site requires it, the
    enrolment under way (None until one is started, or once it is too old), and for how
    many minutes one lasts; after an answer, the recovery codes it earned or why it was
    refused."""

    enabled: bool
    required: bool
    enrolment: Enrolment | None
    codes: list[str] | None = None
    error: TwoFactorRejected | None = None
    minutes: int = 0


def setup_page(
    user: User,
    sealed: object,
    answer: tuple[str, str] | None = None,
    *,
    now: float | None = None,
) -> SetupPage:
    """What the set-up page shows; with answer (code, password), confirm tried first."""
    codes = error = None
    if answer is not None and not is_enabled(user):
        try:
            codes = confirm(user, sealed, *answer, now=now)
        except TwoFactorRejected as rejected:
            error = rejected
    enrolment = None
    if codes is None and not is_enabled(user):
        secret = _unsealed_secret(user, sealed, now)
        enrolment = _enrolment(user, secret, sealed) if secret is not None else None
    return SetupPage(is_enabled(user), needs_setup(user), enrolment, codes, error, minutes())
