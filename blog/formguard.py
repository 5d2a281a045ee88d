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
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import ValidationError

from blog.domain import DomainError

SALT = "byline-reader-form"


class FormRejected(DomainError):
    """The form token or origin is wrong; the message is for the reader."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_token(purpose: str, subject: int | str) -> str:
    """A token for a form about `subject` (e.g. an article id), stamped with the time."""
    return _serializer().dumps([purpose, str(subject), int(time.time())])


def token_age(token: str, purpose: str, subject: int | str) -> float:
    """Seconds since the token was issued; FormRejected when it is not ours."""
    try:
        kind, signed_subject, issued = _serializer().loads(token or "")
    except (BadSignature, ValueError, TypeError) as exc:
        raise FormRejected("This form has expired. Please reload the page.") from exc
    if kind != purpose or signed_subject != str(subject):
        raise FormRejected("This form has expired. Please reload the page.")
    return time.time() - int(issued)


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
