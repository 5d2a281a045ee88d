"""Error pages in the site's layout, for every status a reader can meet."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from blog.extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please check it and try again."),
    403: ("Forbidden", "You do not have permission to do that."),
    404: ("Page not found", "We could not find that page. It may have moved or never existed."),
    405: ("Method not allowed", "That page does not accept this kind of request."),
    413: ("Too large", "What you sent is larger than this site accepts."),
    429: ("Too many requests", "You are going a little fast. Please wait a moment and try again."),
    500: ("Something went wrong", "An error occurred on our side. It has been logged."),
}


def render_error(code: int, description: str | None = None):
    title, message = MESSAGES.get(code, ("Error", "The request could not be completed."))
    try:
        body = render_template(
            "errors/error.html", code=code, title=title, message=description or message
        )
    except Exception:  # last resort: never a stack trace, never a second 500 page
        body = f"<!doctype html><title>{code} {title}</title><h1>{title}</h1><p>{message}</p>"
    return body, code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            "This form has expired or did not come from this site. Go back, reload the page "
            "and send it again; copy any text you wrote first.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        # Our own wording: Werkzeug's default descriptions are too technical for readers.
        # A rate limit may carry its own message (e.g. the login lockout).
        limit = getattr(error, "limit", None)
        custom = error.description if getattr(limit, "error_message", None) else None
        return render_error(error.code, custom)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(InternalServerError.code)
