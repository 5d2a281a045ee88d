"""Invitations: an account made without a password gets a signed, expiring link to
choose its own. The token also names the account's current password state and session
version, so it stops working as soon as it is used, a newer link is made, or the
account changes."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from blog.extensions import db
from blog.models import User
from blog.models.base import utcnow
from blog.services import audit, passwords, users

INVITATION_SALT = "byline-invitation"
INVITATION_MAX_AGE = 72 * 3600  # seconds; INVITATION_MAX_AGE in the app config overrides


def is_invitation_pending(user: User) -> bool:
    """The account was invited and has not set a password yet."""
    return not user.password_hash


USED_INVITATION = (
    "This invitation link has already been used or is no longer valid. "
    "If you have set your password, sign in; otherwise ask an administrator for a new link."
)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def _fingerprint(user: User) -> str:
    state = f"{user.id}:{user.password_hash}:{user.session_version}:{int(user.active)}"
    return hashlib.sha256(state.encode()).hexdigest()[:24]


def invitation_token(user: User) -> str:
    return _serializer().dumps([user.id, _fingerprint(user)])


def invitation_max_age() -> int:
    return int(current_app.config.get("INVITATION_MAX_AGE", INVITATION_MAX_AGE))


def invited_user(token: str) -> User:
    """The account this invitation is for; users.InvitationInvalid when expired, used or forged."""
    try:
        user_id, fingerprint = _serializer().loads(token, max_age=invitation_max_age())
    except SignatureExpired as exc:
        raise users.InvitationInvalid(
            "This invitation link has expired. Please ask an administrator for a new one."
        ) from exc
    except (BadSignature, TypeError, ValueError) as exc:
        raise users.InvitationInvalid("This invitation link is not valid.") from exc
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or _fingerprint(user) != fingerprint:
        raise users.InvitationInvalid(USED_INVITATION)
    return user


def renew_invitation(user: User, *, actor: User | None = None) -> str:
    """A token for an account still without a password, also e-mailed to it; earlier
    links stop working."""
    if not user.active:
        raise users.UserRejected(f"{user.display_name} is deactivated; reactivate them first.")
    if not is_invitation_pending(user):
        raise users.UserRejected(
            f"{user.display_name} has already set a password; reset it instead."
        )
    user.session_version += 1
    token = passwords.mail_invitation(user)
    audit.record(actor, "user.invite_renew", audit.describe("user", user))
    db.session.commit()
    return token


def accept_invitation(token: str, password: str) -> User:
    """Set the invited account's first password; the link is spent afterwards (of two
    requests sending the same link at once, one gets users.InvitationInvalid)."""
    user = invited_user(token)
    users.check_new_password(password, field="password")
    if not passwords.replace_password(
        user, password, action="auth.invitation_accept", last_login_at=utcnow()
    ):
        raise users.InvitationInvalid(USED_INVITATION)
    return user
