"""One limit on wrong passwords typed again for a sensitive change (turning two-factor
sign-in on or off, new recovery codes, changing the password, adding a passkey): every
such page counts against the same counters, per account and per client, so moving from
page to page buys no more guesses."""

from flask import g
from flask_login import current_user

from blog.extensions import limiter

PASSWORD_RECHECK_LIMIT = "5 per 15 minutes"
TOO_MANY = "Too many wrong passwords. Please wait 15 minutes and try again."


def signed_in_account() -> str:
    return f"password-recheck:{current_user.get_id()}"


def wrong_password(response) -> bool:
    return bool(g.get("wrong_password"))


def password_rechecked(view):
    """Limit a view's wrong passwords (it sets g.wrong_password) with the shared counters."""
    for scope, key_func in (
        ("password-recheck", signed_in_account),
        ("password-recheck-client", None),
    ):
        view = limiter.shared_limit(
            PASSWORD_RECHECK_LIMIT,
            scope,
            key_func=key_func,
            methods=["POST"],
            deduct_when=wrong_password,
            error_message=TOO_MANY,
        )(view)
    return view
