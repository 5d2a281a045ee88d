"""Which comments this browser posted: a signed cookie, so a reader needs no account.

The cookie lists comment ids with the time each was posted. It lets the poster see their
own comment while it awaits moderation, and edit or delete it in the edit window (the
window itself is checked against the comment's stored time, not the cookie's). Through it
the device also learns that a moderator approved its comment (blog.comments.trust).
"""

import time

from flask import current_app, g, request
from flask.wrappers import Response
from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE_NAME = "byline_comments"
SALT = "byline-comment-owner"
REMEMBER_FOR = 24 * 3600  # seconds: long enough to see a held comment through moderation
MAX_REMEMBERED = 30


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def owned() -> dict[int, int]:
    """Comment id -> when it was posted (epoch seconds), from this request's cookie."""
    if "owned_comments" not in g:
        g.owned_comments = _read(request.cookies.get(COOKIE_NAME))
    return g.owned_comments


def _read(raw: str | None) -> dict[int, int]:
    if not raw:
        return {}
    try:
        entries = _serializer().loads(raw, max_age=REMEMBER_FOR)
    except BadData:
        return {}
    now = time.time()
    result: dict[int, int] = {}
    if isinstance(entries, list):
        for entry in entries:
            if (
                isinstance(entry, list)
                and len(entry) == 2
                and all(type(item) is int for item in entry)
                and now - entry[1] <= REMEMBER_FOR
            ):
                result[entry[0]] = entry[1]
    return result


def _write(response: Response, entries: dict[int, int]) -> None:
    newest = sorted(entries.items(), key=lambda item: item[1])[-MAX_REMEMBERED:]
    if not newest:
        response.delete_cookie(COOKIE_NAME, httponly=True, samesite="Lax")
        return
    response.set_cookie(
        COOKIE_NAME,
        _serializer().dumps([list(item) for item in newest]),
        max_age=REMEMBER_FOR,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def remember(response: Response, comment_id: int) -> None:
    _write(response, {**owned(), comment_id: int(time.time())})


def forget(response: Response, comment_id: int) -> None:
    _write(response, {key: value for key, value in owned().items() if key != comment_id})
