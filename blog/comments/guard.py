"""The checks every reader form shares (post a comment, edit or delete one's own, report
one): a signed token instead of the session's CSRF token, a POST from this site, answers
never cached, and the refusals that stop a view with a message.

The forms sit in article pages a cache may serve to any anonymous reader, so they cannot
carry a session-bound CSRF token; they carry a signed time token (blog.formguard) instead.
A signed-in staff member's POST must also carry their session's token (cached pages are
never served to them).
"""

from typing import NoReturn

from flask import Blueprint, abort, make_response, request

from blog import formguard
from blog.comments.forms import ReaderForm
from blog.errors import render_error
from blog.extensions import csrf

FOREIGN_ORIGIN = "This form was not sent from a page of this site. Please send it again from here."
SESSION_EXPIRED = "Your session's security token has expired. Please send the form again."


def reader_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint of reader forms: its POSTs are checked by check_post() rather than by
    Flask-WTF's session token, and its answers are never cached."""
    bp = Blueprint(name, import_name)
    csrf.exempt(bp)
    bp.after_request(no_store)
    return bp


def no_store(response):
    # Answers here are personal (a reader's own text, their cookie): never cached.
    response.headers["Cache-Control"] = "no-store"
    return response


def check_post(purpose: str, subject: int) -> float:
    """Origin, signed token and (for signed-in staff) session CSRF; returns the token's
    age in seconds, or raises FormRejected with a message for the reader."""
    if not formguard.is_same_origin():
        raise formguard.FormRejected(FOREIGN_ORIGIN)
    age = formguard.token_age(request.form.get("form_token", ""), purpose, subject)
    if not formguard.has_session_token():
        raise formguard.FormRejected(SESSION_EXPIRED)
    return age


def refresh_token(form: ReaderForm, purpose: str, subject: int) -> None:
    """A new token in place of one that was missing, forged or for another form."""
    form.form_token.data = formguard.issue_token(purpose, subject)


def from_another_site() -> bool:
    """The POST says it came from another site's page: check_post() refuses it, so a
    rate limit need not count it (Flask-Limiter's exempt_when). Otherwise any page a
    reader visits could use up their limits with hidden forms."""
    return not formguard.is_same_origin()


def refuse(code: int, message: str | None = None) -> NoReturn:
    """Stop here with the error page and a message for the reader (the usual one for the
    code when None)."""
    abort(make_response(render_error(code, message)))
