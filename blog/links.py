"""Signed links sent by e-mail: a one-click moderation action, a password reset.

A token signs a purpose and a short payload (a list of ids and fingerprints) with the
site's SECRET_KEY and the time it was made. The link itself is the permission, so each
purpose makes its link single-use through its payload: a moderation link names a comment
that must still be pending, a reset link names the password it replaces. Tokens travel in
the path under a prefix that blog/accesslog.py redacts from the logs.
"""

import time
from datetime import datetime

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from blog.domain import DomainError

SALT_PREFIX = "byline-"


class LinkRejected(DomainError):
    """The link is not one this site signed for this purpose (forged, cut short, or for
    something else); the message is for whoever followed it."""

    def __init__(self, message: str = "This link is not valid. Check that it was copied whole."):
        super().__init__(message)


class LinkExpired(LinkRejected):
    """A genuine link, older than its purpose allows."""

    def __init__(self, message: str = "This link has expired."):
        super().__init__(message)


class _Signer(TimestampSigner):
    """Stamps the time a token was made: now, or `issued_at` for a link made earlier."""

    issued_at: float | None = None

    def get_timestamp(self) -> int:
        return int(time.time() if self.issued_at is None else self.issued_at)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=SALT_PREFIX + purpose, signer=_Signer
    )


def make_token(purpose: str, payload: list, *, issued_at: datetime | None = None) -> str:
    """A URL-safe token for this purpose carrying `payload` (JSON-able), stamped now or at
    `issued_at`."""
    serializer = _serializer(purpose)
    signer = serializer.make_signer()
    signer.issued_at = issued_at.timestamp() if issued_at is not None else None
    return signer.sign(serializer.dump_payload(list(payload))).decode("ascii")


def read_token(purpose: str, token: str, max_age: int) -> list:
    """The payload of a token made for this purpose at most `max_age` seconds ago;
    LinkExpired when older, LinkRejected when it is not a token of ours for this purpose."""
    try:
        payload = _serializer(purpose).loads(token or "", max_age=max_age)
    except SignatureExpired as exc:
        raise LinkExpired() from exc
    except (BadData, ValueError, TypeError) as exc:
        raise LinkRejected() from exc
    if not isinstance(payload, list):
        raise LinkRejected()
    return payload
