"""The editor's Preview button, in the article and the page editors alike: the banner
(the way back, and what stops a save, each led by its field's label) and the button's
rate limit."""

from flask import render_template, request, url_for
from wtforms import HiddenField

from blog.editor.preview import PREVIEW_RATE_LIMIT, preview_user_key
from blog.ratelimit import count_by_hand
from blog.services.previews import PreviewBanner

# The button's own count, per writer (the live preview beside the body keeps another).
PREVIEW_SCOPE = "editor-preview-tab"
# Where a field's label does not stand alone in a list of problems.
PROBLEM_LABELS = {"body_image_alt": "Alt text of the image for the body"}


def preview_banner(
    form, *, noun: str, is_live: bool, clipped_at: int | None, also: dict[str, str] | None = None
) -> PreviewBanner:
    """The banner above the preview of `form` ("article" or "page"), leading back to the
    editor page the form was sent from."""
    return PreviewBanner(
        noun=noun,
        is_live=is_live,
        back_url=url_for(request.endpoint, **(request.view_args or {})),
        problems=form_problems(form, also),
        clipped_at=clipped_at,
    )


def form_problems(form, also: dict[str, str] | None = None) -> tuple[str, ...]:
    """Every message the form shows, and `also` (a service's, by field name), each once and
    led by its field's label: what stops a save, for a preview's banner."""
    found = [(name, message) for name, messages in form.errors.items() for message in messages]
    found += (also or {}).items()
    return tuple(dict.fromkeys(labelled(form, name, message) for name, message in found))


def labelled(form, name: str | None, message: str) -> str:
    """ "Brief: The brief can be at most ..."; a message of no field, or of a hidden one,
    as it is."""
    field = form._fields.get(name) if name else None
    if field is None or isinstance(field, HiddenField):
        return message
    return f"{PROBLEM_LABELS.get(name, field.label.text)}: {message}"


def refused_preview():
    """The 429 page once the writer has pressed Preview PREVIEW_RATE_LIMIT times (in
    either editor); None while within it. Counted here, as the Preview is one button of
    the editor's form."""
    wait = count_by_hand(PREVIEW_RATE_LIMIT, PREVIEW_SCOPE, preview_user_key())
    if not wait:
        return None
    message = (
        f"You have pressed Preview many times in a short while. Wait {wait} seconds, then "
        "press it again. Your text is still in the editor’s tab: nothing was lost."
    )
    page = render_template(
        "errors/error.html", code=429, title="Too many previews", message=message
    )
    return page, 429, {"Retry-After": str(wait)}
