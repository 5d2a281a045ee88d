"""Links by e-mail that let a person choose a password: the invitation of a new account
(its token is made in blog/services/users.py), and the reset of a forgotten password.

A reset link signs the account and a fingerprint of its password and session version, so
it expires (PASSWORD_RESET_MAX_AGE), works once (the new password changes the
fingerprint, retiring every link made before), and stops working when the account signs
out everywhere or is deactivated. Asking for one answers the same, after about the same
work, whether or not an account uses the address.
"""

import hashlib
import logging

from flask import current_app
from sqlalchemy import update
from werkzeug.security import generate_password_hash

from blog import links, mail
from blog.domain import DomainError
from blog.extensions import db
from blog.models import User
from blog.services import audit, invitations, users
from blog.services.settings import load as site_settings
from blog.templating import external_url

logger = logging.getLogger("blog.mail")

PURPOSE = "password-reset"
RESET_MAX_AGE = 3600  # seconds; PASSWORD_RESET_MAX_AGE in the app config overrides

SPENT_LINK = (
    "This link has already been used or is no longer valid. "
    "Ask for a new one from the sign-in page if you still need it."
)
EXPIRED_LINK = "This link has expired. Ask for a new one from the sign-in page."


class ResetLinkInvalid(DomainError):
    """The reset link is expired, already used, or not one of ours."""


def replace_password(user: User, password: str, *, action: str, **values) -> bool:
    """Set the password of an account a link was checked for, and end its sessions, if it
    is still active and has the password and session version it had then; False (rolled
    back) when not. The write names that state, so of two requests sending the same link
    at once only one sets a password. `action` names it in the audit log."""
    unchanged = (User.password_hash == user.password_hash) & (
        User.session_version == user.session_version
    )
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.active, unchanged)
        .values(
            password_hash=generate_password_hash(password),
            session_version=User.session_version + 1,
            must_change_password=False,  # chosen by the account's owner
            **values,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return False
    audit.record(user, action, audit.describe("user", user))
    db.session.commit()
    return True


def mail_invitation(user: User) -> str:
    """Queue the invitation e-mail, sent once the caller commits; its token.

    Outside a request, without SITE_URL (or SERVER_NAME) no absolute link can be made:
    the token is still returned, to hand over, and the log says why nothing was sent."""
    token = invitations.invitation_token(user)
    if not mail.can_link():
        logger.warning("invitation of account %s not e-mailed: SITE_URL is not set", user.id)
        return token
    mail.queue(
        user.email,
        "invitation",
        subject=f"Your invitation to {site_settings().site_title}",
        kind="invitation",
        user=user,
        link=external_url("editor.invite_accept", token=token),
        valid_hours=invitations.invitation_max_age() // 3600,
    )
    return token


def reset_max_age() -> int:
    return int(current_app.config.get("PASSWORD_RESET_MAX_AGE", RESET_MAX_AGE))


def _fingerprint(user: User) -> str:
    state = f"{user.id}:{user.password_hash}:{user.session_version}"
    return hashlib.sha256(state.encode()).hexdigest()[:24]


def reset_token(user: User, **options) -> str:
    """A token for this account as it is now (options: links.make_token's issued_at)."""
    return links.make_token(PURPOSE, [user.id, _fingerprint(user)], **options)


def valid_for() -> str:
    """How long a reset link works, in words."""
    minutes = reset_max_age() // 60
    return f"{minutes} minutes" if minutes < 120 else f"{minutes // 60} hours"


def _queue_reset_mail(user: User) -> None:
    mail.queue(
        user.email,
        "password_reset",
        subject=f"Choose a new password for {site_settings().site_title}",
        kind="password_reset",
        user=user,
        link=external_url("editor.password_reset", token=reset_token(user)),
        valid_for=valid_for(),
    )


def request_reset(email: str) -> None:
    """Send a reset link to the active account using this address, if there is one.

    Nothing tells the caller which it was: without an account the same message is
    composed for a stand-in and discarded, so both answers cost about the same.
    """
    user = users.find_by_email(email)
    if user is not None and user.active:
        _queue_reset_mail(user)
        db.session.commit()
        return
    stand_in = User(id=0, email="nobody@invalid", display_name="", password_hash="")
    try:
        _queue_reset_mail(stand_in)
    finally:
        db.session.rollback()


def account_for(token: str) -> User:
    """The account this reset link is for; ResetLinkInvalid when expired, used or forged."""
    try:
        payload = links.read_token(PURPOSE, token, reset_max_age())
    except links.LinkExpired as exc:
        raise ResetLinkInvalid(EXPIRED_LINK) from exc
    except links.LinkRejected as exc:
        raise ResetLinkInvalid(exc.message) from exc
    if len(payload) != 2 or not isinstance(payload[0], int) or isinstance(payload[0], bool):
        raise ResetLinkInvalid(SPENT_LINK)
    user = db.session.get(User, payload[0])
    if user is None or not user.active or _fingerprint(user) != payload[1]:
        raise ResetLinkInvalid(SPENT_LINK)
    return user


def reset(token: str, password: str) -> User:
    """Set the account's new password (the profile's rules) and sign it out everywhere;
    the link, and any other reset or invitation link of the account, is spent."""
    user = account_for(token)
    users.check_new_password(password, field="password")
    if not replace_password(user, password, action="auth.password_reset"):  # used a moment ago
        raise ResetLinkInvalid(SPENT_LINK)
    return user
