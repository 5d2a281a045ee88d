"""Passkeys (WebAuthn credentials) for staff accounts: adding one on the profile, signing
in with one (in place of the password and the code, or as the second step after the
password), renaming and removing them.

Each ceremony starts with a challenge the browser's authenticator signs. The challenge
travels in the session (a signed cookie) with its purpose, its account and its time: it
answers once and for CHALLENGE_MAX_AGE seconds at most. Because a copy of an old cookie
would carry it again, a used challenge is also counted in the rate limiter's shared store
(across workers and, with Redis, servers) and refused the second time.

A passkey is bound to the site's host name (the relying-party id): SITE_URL's host when
set, else the host the request came to. Only the public key and the counter are stored.

The WebAuthn library (with the ASN.1 and certificate parsers it brings) is loaded by the
functions that use it: processes that serve only readers never do.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from blog.domain import DomainError, NotFound
from blog.extensions import db, limiter
from blog.models import Passkey, User
from blog.models.base import utcnow
from blog.permissions import STAFF_ROLES
from blog.services import account_notices, audit, two_factor, users
from blog.services.settings import load as site_settings

CHALLENGE_MAX_AGE = 300  # seconds between the options and the authenticator's answer
MAX_NAME_LENGTH = 80
MAX_PASSKEYS = 10  # per account: a bound on the allow and exclude lists
MAX_CREDENTIAL_ID = 1400  # characters of base64url (the column's size; 1,023 bytes raw)
MAX_FIELD = 16_384  # characters of any one encoded part of a browser's answer
TIMEOUT_MS = 120_000

FAILED = "That passkey could not be checked. Try again, or sign in with your password."
EXPIRED = "The passkey request took too long or was already used. Please try again."
TOO_LARGE = "The request is too large."
UNKNOWN = "This passkey is not registered on this site, or its account cannot sign in."


class PasskeyRejected(DomainError):
    """A passkey answer, name or change the rules refuse."""


@dataclass(frozen=True)
class Site:
    """The relying party: the origin the browser must report, and its host name."""

    origin: str
    rp_id: str

    @classmethod
    def at(cls, origin: str) -> Site:
        """SITE_URL when configured, else the origin the request came to."""
        origin = (current_app.config.get("SITE_URL") or origin).rstrip("/")
        return cls(origin=origin, rp_id=urlsplit(origin).hostname or "")


# ----------------------------------------------------------------------- listing


def list_for(user: User) -> list[Passkey]:
    return list(
        db.session.scalars(
            select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at)
        )
    )


def count_for(user: User) -> int:
    return db.session.scalar(select(func.count(Passkey.id)).where(Passkey.user_id == user.id))


def own(user: User, passkey_id: int) -> Passkey:
    """One of the account's passkeys; NotFound for anyone else's or none."""
    passkey = db.session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != user.id:
        raise NotFound()
    return passkey


def checked_name(name: str | None) -> str:
    name = " ".join((name or "")[: MAX_NAME_LENGTH * 4].split())
    if not name:
        raise PasskeyRejected("Give the passkey a name, like “Laptop” or “Phone”.", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise PasskeyRejected(f"At most {MAX_NAME_LENGTH} characters, please.", field="name")
    return name


def rename(user: User, passkey_id: int, name: str) -> Passkey:
    passkey = own(user, passkey_id)
    new_name = checked_name(name)
    if new_name != passkey.name:
        audit.record(
            user,
            "passkey.rename",
            audit.describe("user", user),
            name=audit.change(passkey.name, new_name),
        )
        passkey.name = new_name
        db.session.commit()
    return passkey


def remove(user: User, passkey_id: int, password: str) -> None:
    """Remove one of one's passkeys, given the account's password (a stolen session alone
    cannot take a second factor away); refused for the last second factor while the site
    requires two-factor sign-in. The owner is told by mail."""
    passkey = own(user, passkey_id)
    required = site_settings().require_two_factor
    if required and not two_factor.is_enabled(user) and count_for(user) <= 1:
        raise PasskeyRejected(
            "This site requires two-factor sign-in: add another passkey or set up an "
            "authenticator app before removing your last passkey."
        )
    if not user.password_hash or not check_password_hash(user.password_hash, password or ""):
        raise PasskeyRejected(two_factor.WRONG_PASSWORD, field="password")
    audit.record(user, "passkey.remove", audit.describe("user", user), name=passkey.name)
    db.session.delete(passkey)
    account_notices.two_factor_changed(user, "passkey_removed")
    db.session.commit()


# ----------------------------------------------------------------------- ceremonies


def user_handle(user: User) -> bytes:
    """The account's WebAuthn user id: stable, opaque (neither its e-mail nor its row id
    as such), and independent of SECRET_KEY, so passkeys survive a move to another key."""
    return hashlib.sha256(b"byline-passkey-user:%d" % user.id).digest()


def _state(purpose: str, challenge: bytes, user: User | None) -> dict:
    from webauthn.helpers import bytes_to_base64url

    return {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "at": int(time.time()),
        "user": user.id if user is not None else None,
    }


def _challenge(state: object, purpose: str, now: float | None) -> tuple[bytes, int | None]:
    """The challenge of a ceremony under way, its account id; PasskeyRejected when there
    is none, it is for something else, too old, or already answered."""
    from webauthn.helpers import base64url_to_bytes

    if not isinstance(state, dict) or state.get("purpose") != purpose:
        raise PasskeyRejected(EXPIRED)
    challenge, issued, user_id = state.get("challenge"), state.get("at"), state.get("user")
    if not isinstance(challenge, str) or isinstance(issued, bool) or not isinstance(issued, int):
        raise PasskeyRejected(EXPIRED)
    moment = time.time() if now is None else now
    if not 0 <= moment - issued <= CHALLENGE_MAX_AGE:
        raise PasskeyRejected(EXPIRED)
    if user_id is not None and (isinstance(user_id, bool) or not isinstance(user_id, int)):
        raise PasskeyRejected(EXPIRED)
    if limiter.enabled:  # the shared store: a copied cookie cannot answer it again
        key = "passkey-challenge:" + hashlib.sha256(challenge.encode()).hexdigest()
        if limiter.storage.incr(key, CHALLENGE_MAX_AGE + 60) != 1:
            raise PasskeyRejected(EXPIRED)
    return base64url_to_bytes(challenge), user_id


def _bounded(credential: object) -> dict:
    """The browser's answer as a dict of strings of bounded size; PasskeyRejected else."""
    if not isinstance(credential, dict):
        raise PasskeyRejected(FAILED)
    parts = [credential.get("id"), credential.get("rawId")]
    response = credential.get("response")
    if not isinstance(response, dict) or not all(isinstance(p, str) for p in parts):
        raise PasskeyRejected(FAILED)
    if len(parts[0]) > MAX_CREDENTIAL_ID or len(response) > 8:
        raise PasskeyRejected(FAILED)
    if any(isinstance(v, str) and len(v) > MAX_FIELD for v in response.values()):
        raise PasskeyRejected(FAILED)
    return credential


def _transports(credential: dict) -> list[str]:
    from webauthn.helpers.structs import AuthenticatorTransport

    given = credential["response"].get("transports")
    known = {t.value for t in AuthenticatorTransport}
    if not isinstance(given, list):
        return []
    return [t for t in given[:8] if isinstance(t, str) and t in known]


def registration_options(user: User, site: Site, name: str, password: str) -> tuple[str, dict]:
    """The options for navigator.credentials.create() (JSON) and the state to keep, given
    the account's password (a stolen session alone cannot add its own passkey: only a
    challenge given after the password can be answered)."""
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialDescriptor,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    checked_name(name)
    if count_for(user) >= MAX_PASSKEYS:
        raise PasskeyRejected(f"An account can have at most {MAX_PASSKEYS} passkeys.")
    if not user.password_hash or not check_password_hash(user.password_hash, password or ""):
        raise PasskeyRejected(two_factor.WRONG_PASSWORD, field="password")
    options = generate_registration_options(
        rp_id=site.rp_id,
        rp_name=site_settings().site_title or "Byline",
        user_id=user_handle(user),
        user_name=user.email,
        user_display_name=user.display_name,
        timeout=TIMEOUT_MS,
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
            for p in list_for(user)
        ],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return options_to_json(options), _state("register", options.challenge, user)


def register(
    user: User, state: object, credential: object, name: str, site: Site, *, now=None
) -> Passkey:
    """Check the authenticator's answer to the registration options and store the passkey.
    Every other session ends (the caller signs this browser in again) and the owner is
    told by mail."""
    from webauthn import verify_registration_response
    from webauthn.helpers import bytes_to_base64url

    new_name = checked_name(name)
    challenge, user_id = _challenge(state, "register", now)
    if user_id != user.id:
        raise PasskeyRejected(EXPIRED)
    credential = _bounded(credential)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=site.rp_id,
            expected_origin=site.origin,
        )
    except Exception as error:  # the library's parsers meet any input: none may be a 500
        current_app.logger.info("passkey registration refused: %s", error)
        raise PasskeyRejected(FAILED) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    if len(credential_id) > MAX_CREDENTIAL_ID:
        raise PasskeyRejected(FAILED)
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == credential_id)):
        raise PasskeyRejected("This passkey is already registered.")
    passkey = Passkey(
        user_id=user.id,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=_transports(credential),
        name=new_name,
    )
    db.session.add(passkey)
    user.session_version += 1  # other sessions and remember-me cookies end
    audit.record(user, "passkey.add", audit.describe("user", user), name=new_name)
    account_notices.two_factor_changed(user, "passkey_added")
    db.session.commit()
    return passkey


def sign_in_options(site: Site, user: User | None = None) -> tuple[str, dict]:
    """Options for navigator.credentials.get(): the account's passkeys as the second step
    after its password, or any passkey of this site (an empty allow list) without one."""
    from webauthn import generate_authentication_options, options_to_json
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.structs import (
        AuthenticatorTransport,
        PublicKeyCredentialDescriptor,
        UserVerificationRequirement,
    )

    allowed = []
    if user is not None:
        allowed = [
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(p.credential_id),
                transports=[AuthenticatorTransport(t) for t in p.transports or []],
            )
            for p in list_for(user)
        ]
    options = generate_authentication_options(
        rp_id=site.rp_id,
        timeout=TIMEOUT_MS,
        allow_credentials=allowed,
        user_verification=(
            UserVerificationRequirement.PREFERRED
            if user is not None
            else UserVerificationRequirement.REQUIRED
        ),
    )
    purpose = "second_step" if user is not None else "sign_in"
    return options_to_json(options), _state(purpose, options.challenge, user)


def find(credential: object) -> Passkey | None:
    """The stored passkey a browser's answer names (for the sign-in limits' account)."""
    if isinstance(credential, dict):
        credential_id = credential.get("id")
        if isinstance(credential_id, str) and len(credential_id) <= MAX_CREDENTIAL_ID:
            return db.session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))
    return None


def owner_email(credential: object) -> str | None:
    """The e-mail of the account whose passkey a browser's answer names, if any."""
    passkey = find(credential)
    return db.session.get(User, passkey.user_id).email if passkey is not None else None


def _refuse(user: User | None, reason: str, message: str = FAILED):
    db.session.rollback()
    target = audit.describe("user", user) if user is not None else "unknown passkey"
    audit.record(user, "auth.sign_in_failed", target, reason=reason)
    db.session.commit()
    raise PasskeyRejected(message)


def sign_in(
    state: object, credential: object, site: Site, *, pending: User | None = None, now=None
) -> User:
    """Check a passkey's answer to the sign-in options; the account it signs in. With
    `pending` (the account whose password was just given) only its own passkeys count;
    without, the passkey is both factors and must have verified the user (PIN,
    fingerprint). Failures go to the audit log; PasskeyRejected."""
    from webauthn import verify_authentication_response
    from webauthn.helpers import bytes_to_base64url

    purpose = "second_step" if pending is not None else "sign_in"
    challenge, user_id = _challenge(state, purpose, now)
    if pending is not None and user_id != pending.id:
        raise PasskeyRejected(EXPIRED)
    credential = _bounded(credential)
    passkey = find(credential)
    if passkey is None:
        _refuse(pending, "unknown passkey", UNKNOWN)
    user = db.session.get(User, passkey.user_id)
    if pending is not None and user.id != pending.id:
        _refuse(pending, "another account's passkey", UNKNOWN)
    if not user.active or user.role not in STAFF_ROLES:
        _refuse(user, "account deactivated", UNKNOWN)
    handle = credential["response"].get("userHandle")
    if handle and not (
        isinstance(handle, str)
        and hmac.compare_digest(handle.encode(), bytes_to_base64url(user_handle(user)).encode())
    ):
        _refuse(user, "passkey of another account")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=site.rp_id,
            expected_origin=site.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=pending is None,
        )
    except Exception as error:  # the library's parsers meet any input: none may be a 500
        current_app.logger.info("passkey sign-in refused: %s", error)
        _refuse(user, "passkey not verified")
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    if pending is not None:
        users.record_login(user, second_factor="passkey", passkey=passkey.name)
    else:
        users.record_login(user, method="passkey", passkey=passkey.name)
    return user


def parse_json(body: bytes, limit: int) -> dict:
    """A request body as a JSON object, at most `limit` bytes; PasskeyRejected else."""
    if len(body) > limit:
        raise PasskeyRejected(TOO_LARGE)
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        raise PasskeyRejected("The request is not valid JSON.") from None
    if not isinstance(value, dict):
        raise PasskeyRejected("The request must be a JSON object.")
    return value
