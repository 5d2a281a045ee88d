"""Forms and checks shared across the editor area."""

from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from blog.forms import BaseForm
from blog.services.slugs import MAX_SLUG_LENGTH
from blog.services.taxonomy import SLUG_PATTERN
from blog.validators import Digits, Pattern


class ActionForm(BaseForm):
    """An empty form: a CSRF-protected button for POST-only actions."""


class PasswordConfirmForm(BaseForm):
    """A button that asks for the account's password again (a sensitive change)."""

    password = PasswordField("Your password", validators=[DataRequired(), Length(max=1024)])


class PasskeyNameForm(BaseForm):
    """A passkey's name: when adding one, and to rename it."""

    name = StringField(
        "Name",
        validators=[
            DataRequired("Give the passkey a name, like “Laptop” or “Phone”."),
            Length(max=80, message="At most 80 characters, please."),
        ],
    )


class NewPasskeyForm(PasskeyNameForm):
    """Adding a passkey: its name, and the account's password asked again."""

    password = PasswordField(
        "Your current password",
        validators=[DataRequired(), Length(max=1024, message="At most 1,024 characters.")],
    )


def new_passkey_form() -> NewPasskeyForm:
    """The fields of the "Add a passkey" form (sent by static/js/passkeys.js)."""
    form = NewPasskeyForm(formdata=None, prefix="new-passkey")
    form.name.label.text = "Name for the new passkey"
    return form


class UnlessKept:
    """Mixed into a check, runs it only on a value other than the one the form was filled
    with: an address saved under an earlier, longer limit stays as it is until changed."""

    def __call__(self, form, field):
        if field.object_data and field.data == field.object_data:
            return
        super().__call__(form, field)


class KeptOrLength(UnlessKept, Length):
    """Length, for a value that is new."""


class KeptOrPattern(UnlessKept, Pattern):
    """Pattern (measured first), for a value that is new."""


def stripped(value):
    return value.strip() if isinstance(value, str) else value


def one_line(value):
    return " ".join(value.split()) if isinstance(value, str) else value


def unix_newlines(value):
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def lowercased(value):
    return value.strip().lower() if isinstance(value, str) else value


def slug_field() -> StringField:
    """An article's or a page's address: optional (made from the title when left empty),
    checked only when it is new."""
    return StringField(
        "Address (slug)",
        validators=[
            Optional(),
            KeptOrPattern(
                SLUG_PATTERN,
                max_length=MAX_SLUG_LENGTH,
                message="Use lowercase letters, digits and single hyphens.",
                too_long=f"At most {MAX_SLUG_LENGTH} characters.",
            ),
        ],
        filters=[lowercased],
    )


class MediaFields(BaseForm):
    """What the article and the page editors share: a cover image with its alt text and
    caption, an image uploaded for the body, and the version a save started from."""

    cover = FileField("Cover image")
    pending_cover_id = HiddenField(validators=[Optional(), Digits(9)])
    cover_alt = StringField("Cover alt text", validators=[Length(max=300)], filters=[stripped])
    cover_caption = StringField("Cover caption", validators=[Length(max=500)], filters=[stripped])
    remove_cover = BooleanField("Remove the cover image")
    body_image = FileField("Image for the body")
    body_image_alt = StringField("Its alt text", validators=[Length(max=300)], filters=[stripped])
    version = HiddenField(validators=[Optional(), Digits(12)])
