"""The article editor's writing aids: the live Markdown preview and the note of a save.

The preview renders with the site's own sanitiser (blog.rendering), so what the writer
sees beside the text is exactly what readers will get. The save note tells the page after
a successful save that the browser's copy of the draft may be dropped.
"""

from flask import jsonify, request, session
from flask_login import current_user

from blog.editor.access import staff_required
from blog.editor.blueprint import bp
from blog.extensions import limiter
from blog.rendering import render_article

MAX_PREVIEW_CHARACTERS = 200_000  # the body field's own limit
# JSON may escape a character into several bytes; anything larger is refused unread.
MAX_PREVIEW_BYTES = 2 * 1024 * 1024
# The page asks only after typing pauses, so a writer never comes near this.
PREVIEW_RATE_LIMIT = "120 per minute"
SAVED_KEY = "article_saved"


def preview_user_key() -> str:
    return f"preview-user:{current_user.id}"


def refuse(status: int, message: str):
    return jsonify(error=message), status


@bp.post("/preview")
@staff_required
@limiter.limit(PREVIEW_RATE_LIMIT, key_func=preview_user_key, scope="editor-preview")
def article_preview():
    """`{"body": markdown}` -> `{"html": sanitized html}`; the CSRF token comes in X-CSRFToken."""
    if (request.content_length or 0) > MAX_PREVIEW_BYTES:
        return refuse(413, "The text is too long to preview: at most 200,000 characters.")
    data = request.get_json(silent=True)
    body = data.get("body") if isinstance(data, dict) else None
    if not isinstance(body, str):
        return refuse(400, 'Send the text to preview as JSON: {"body": "..."}.')
    if len(body) > MAX_PREVIEW_CHARACTERS:
        return refuse(413, "The text is too long to preview: at most 200,000 characters.")
    return jsonify(html=render_article(body))


def note_saved(article_id: int, *, created: bool) -> None:
    """Remember, for the next page, that this article was just saved from the editor form."""
    session[SAVED_KEY] = {"id": article_id, "created": created}


def take_saved_note(article_id: int | None) -> str | None:
    """The browser draft a successful save has made redundant: "new", the article's id, or
    None. Read once, on the page of the article it names."""
    note = session.get(SAVED_KEY)
    if not isinstance(note, dict) or article_id is None or note.get("id") != article_id:
        return None
    session.pop(SAVED_KEY)
    return "new" if note.get("created") else str(article_id)
