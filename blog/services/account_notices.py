"""Mail to an account's owner when the way it signs in changes: two-factor sign-in turned
on or off, reset by an administrator (or from the server's command line), a passkey
added or removed, or a recovery code used. Queued with the change (the caller commits), so a change
nobody asked for is noticed even when the person who made it controls the session."""

from __future__ import annotations

from blog import mail
from blog.models import User
from blog.services.settings import load as site_settings

CHANGES = {
    "enabled": (
        "Two-factor sign-in was turned on",
        "Two-factor sign-in was turned on for your account. Every other device signed in "
        "to it was signed out.",
    ),
    "disabled": (
        "Two-factor sign-in was turned off",
        "Two-factor sign-in was turned off for your account: its password alone signs in now.",
    ),
    "reset": (
        "Your two-factor sign-in was reset",
        "An administrator reset two-factor sign-in for your account: its authenticator app, "
        "recovery codes and passkeys no longer sign in, and every device was signed out.",
    ),
    "reset_by_system": (
        "Your two-factor sign-in was reset",
        "Two-factor sign-in for your account was reset from the server's command line: its "
        "authenticator app, recovery codes and passkeys no longer sign in, and every device "
        "was signed out.",
    ),
    "passkey_added": (
        "A passkey was added",
        "A passkey was added to your account: it signs in from now on. Every other device "
        "signed in to it was signed out.",
    ),
    "passkey_removed": (
        "A passkey was removed",
        "A passkey was removed from your account: it no longer signs in.",
    ),
    "recovery_used": (
        "A recovery code was used to sign in",
        "A recovery code was used to sign in to your account; it cannot be used again.",
    ),
}


def two_factor_changed(user: User, change: str, *, codes_left: int | None = None) -> None:
    """Queue the owner's notice of this change (one of CHANGES)."""
    subject, message = CHANGES[change]
    mail.queue(
        user.email,
        "account_security",
        subject=f"{subject} on {site_settings().site_title}",
        kind="account_security",
        user=user,
        message=message,
        codes_left=codes_left,
    )
