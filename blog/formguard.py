"""Protection for the reader forms (comments, shares) that cached pages carry.

Editor forms use Flask-WTF's session-bound CSRF token. Reader forms cannot: a cached
article page is shared by every anonymous reader, so a token tied to one session would
fail for the next. They carry instead a signed token (purpose, article, time issued)
that cannot be forged, and the POST must come from this site (Origin, else Referer).
A signed-in user's POST still needs the session token as well (has_session_token):
cached pages are never served to them, so their forms carry it.
"""

import time
from urllib.parse import urlsplit

from flask import current_app, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from wtforms import ValidationError

from blog.domain import DomainError

SALT = "byline-reader-form"
EXPIRED = "This form has expired. Please reload the page."


class FormRejected(DomainError):
    """The form token or origin is wrong; the message is for the reader."""


class _Signer(TimestampSigner):
    """Stamps and ages tokens by this module's clock, so both read the same time."""

    issued_at: float | None = None  # the time to stamp instead of now

    def get_timestamp(self) -> int:
        return int(time.time() if self.issued_at is None else self.issued_at)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_Signer)


def issue_token(purpose: str, subject: int | str, issued_at: float | None = None) -> str:
    """A token for a form about `subject` (e.g. an article id), stamped with the time it
    was issued: now, or `issued_at` (a Unix time) for a form opened earlier."""
    serializer = _serializer()
    signer = serializer.make_signer()
    signer.issued_at = issued_at
    return signer.sign(serializer.dump_payload([purpose, str(subject)])).decode("ascii")


def token_age(token: str, purpose: str, subject: int | str, max_age: int | None = None) -> float:
    """Seconds since the token was issued; FormRejected when it is not ours, is for another
    form or object, or (given `max_age`) is older than that many seconds."""
    try:
        (kind, signed_subject), issued = _serializer().loads(
            token or "", max_age=max_age, return_timestamp=True
        )
    except (BadData, ValueError, TypeError) as exc:
        raise FormRejected(EXPIRED) from exc
    if kind != purpose or signed_subject != str(subject):
        raise FormRejected(EXPIRED)
    return time.time() - issued.timestamp()


def is_same_origin() -> bool:
    """The request says it came from a page of this site (or says nothing, as curl does)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return source is None
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc == request.host


def has_session_token() -> bool:
    """Anonymous readers have no session token to send; signed-in staff must send theirs."""
    if not current_user.is_authenticated or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.form.get("csrf_token") or request.headers.get("X-CSRFToken"))
    except ValidationError:
        return False
    return True
