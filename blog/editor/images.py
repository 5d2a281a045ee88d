"""Images for an article's or a page's body, sent alone by the editor page.

static/js/body-image.js sends the image and its alt text here in the background and puts
the Markdown line that comes back at the body's cursor. Without JavaScript the same
fields go with the whole form (`stage_body_image` in blog/editor/articles.py), and the
line comes back at the end of the body. Both store through `keep_sent_image`.

Every new image the editor stores, a cover or a body image, from the article or the page
editor, with JavaScript or without, counts against one limit per writer (`count_image`).
"""

from flask import jsonify, request
from flask_login import current_user

from blog.editor.access import staff_required
from blog.editor.blueprint import bp
from blog.editor.forms import MediaFields
from blog.forms import BaseForm
from blog.ratelimit import count_by_hand
from blog.services import uploads

# The image, its alt text and the multipart framing around them; a request declaring more
# is refused before its image is looked at (MAX_CONTENT_LENGTH bounds what is parsed).
MAX_REQUEST_BYTES = uploads.MAX_BYTES + 64 * 1024
# Each image is decoded and resized (about a second for a 12-megapixel photo); a writer
# adding pictures one by one never comes near this.
IMAGE_RATE_LIMIT = "20 per minute"
TOO_MANY_IMAGES = (
    "That is many images in a short time: wait a minute, then upload this one again. "
    "Your text is safe."
)


class TooManyImages(uploads.UploadRejected):
    """The writer has stored IMAGE_RATE_LIMIT images; another in `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(TOO_MANY_IMAGES)
        self.retry_after = retry_after


class BodyImageForm(BaseForm):
    """The editor form's two fields for a body image, sent on their own."""

    class Meta:
        csrf = False  # the token comes in X-CSRFToken, checked for every POST by CSRFProtect

    body_image = MediaFields.body_image
    body_image_alt = MediaFields.body_image_alt


def keep_sent_image(form: BaseForm) -> str:
    """Store the image in `form.body_image` with the alt text of `form.body_image_alt`
    (a validated form); the Markdown line that embeds it. Raises uploads.UploadRejected."""
    file = form.body_image.data  # None when no file was chosen
    return uploads.keep_body_image(
        file.read() if file else None,
        (file.filename or "") if file else "",
        form.body_image_alt.data or "",
        uploaded_by_id=current_user.id,
        before_decoding=count_image,
    )


def count_image() -> None:
    """Count a new image from the editor against the signed-in writer's limit, just before
    it is decoded (an image they uploaded before is reused, not counted); raises
    TooManyImages past the limit, beside the field the image came in."""
    if wait := seconds_over_limit():
        raise TooManyImages(wait)


def seconds_over_limit() -> int:
    """Count an image against the writer's limit: 0 while within it, else the seconds
    until it allows another. Counted here rather than by a decorator so that every way an
    image comes in shares it, and each answers in its own way (JSON, or the form)."""
    return count_by_hand(IMAGE_RATE_LIMIT, "editor-images", f"image-user:{current_user.id}")


def refuse(status: int, errors: dict[str, str]):
    """`{"error": what to say, "errors": {field name, or "" for none: message}}`."""
    return jsonify(error=" ".join(errors.values()), errors=errors), status


def status_of(error: uploads.UploadRejected) -> int:
    if isinstance(error, uploads.UploadTooLarge):
        return 413
    if isinstance(error, uploads.UploadNotStored):
        return 503  # the server's trouble, not the image's
    return 400


@bp.post("/images")
@staff_required
def image_upload():
    """Multipart `body_image` and `body_image_alt` -> `{"markdown": "![alt](/uploads/...)"}`,
    or `{"error": ...}` with 400, 413, 429 or 503; the CSRF token comes in X-CSRFToken."""
    if (request.content_length or 0) > MAX_REQUEST_BYTES:
        return refuse(413, {"body_image": uploads.TOO_MANY_BYTES})
    form = BodyImageForm()
    if not form.validate():  # alt text too long
        return refuse(400, {name: errors[0] for name, errors in form.errors.items()})
    try:
        markdown = keep_sent_image(form)
    except TooManyImages as error:
        body, status = refuse(429, error.errors)
        return body, status, {"Retry-After": str(error.retry_after)}
    except uploads.UploadRejected as error:
        return refuse(status_of(error), error.errors)
    return jsonify(markdown=markdown)
