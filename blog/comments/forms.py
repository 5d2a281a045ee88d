"""The reader comment forms. They carry a signed time token instead of a session CSRF
token (see blog.formguard): the article page that holds them may come from a cache."""

from wtforms import BooleanField, EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from blog.forms import BaseForm
from blog.services.comments import (
    MAX_BODY_LENGTH,
    MAX_NAME_LENGTH,
    clean_body,
    clean_email,
    clean_line,
)
from blog.validators import MAX_EMAIL_LENGTH, Digits, EmailAddress

BODY_TOO_LONG = f"A comment can be at most {MAX_BODY_LENGTH:,} characters long."


def body_field(label: str, rows: int) -> TextAreaField:
    """The comment text, as the new-comment and the edit form both take it."""
    return TextAreaField(
        label,
        id="comment-body",
        validators=[
            DataRequired("Write your comment first."),
            Length(max=MAX_BODY_LENGTH, message=BODY_TOO_LONG),
        ],
        filters=[clean_body],
        render_kw={"rows": rows, "required": True},
    )


class ReaderForm(BaseForm):
    class Meta:
        csrf = False  # the view checks the signed token, the origin and, for staff, CSRF

    form_token = HiddenField()


class CommentForm(ReaderForm):
    name = StringField(
        "Name",
        id="comment-name",
        validators=[
            DataRequired("Tell us your name."),
            Length(max=MAX_NAME_LENGTH, message=f"At most {MAX_NAME_LENGTH} characters."),
        ],
        filters=[clean_line],
        render_kw={"maxlength": MAX_NAME_LENGTH, "autocomplete": "name", "required": True},
    )
    email = EmailField(
        "E-mail (optional, never shown)",
        id="comment-email",
        validators=[
            Optional(),
            Length(max=MAX_EMAIL_LENGTH, message=f"At most {MAX_EMAIL_LENGTH} characters."),
            EmailAddress("That does not look like an e-mail address."),
        ],
        filters=[clean_email],
        render_kw={"maxlength": MAX_EMAIL_LENGTH, "autocomplete": "email"},
    )
    # Off unless ticked; the address is mailed a link to confirm first (reply_notices).
    wants_replies = BooleanField("E-mail me replies", id="comment-wants-replies")
    body = body_field("Comment", rows=7)
    parent_id = HiddenField(validators=[Optional(), Digits(9)])
    # The honeypot: hidden from people, filled in by form-filling robots.
    website = StringField(
        "Leave this field empty",
        id="comment-website",
        render_kw={"tabindex": "-1", "autocomplete": "off"},
    )

    def for_staff(self) -> "CommentForm":
        """Signed-in staff comment under their profile's name: no name or e-mail fields,
        and no "e-mail me replies" box."""
        del self.name
        del self.email
        del self.wants_replies
        return self


class CommentEditForm(ReaderForm):
    body = body_field("Your comment", rows=8)


class CommentDeleteForm(ReaderForm):
    """Only the token: a button."""
