"""The editor blueprint object; its views live in the sibling modules, one per noun."""

from flask import Blueprint

bp = Blueprint("editor", __name__, url_prefix="/editor")


@bp.after_request
def no_store(response):
    # Editor pages are personal: never kept by shared caches or the browser's back button.
    response.headers["Cache-Control"] = "no-store"
    return response
