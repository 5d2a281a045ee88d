"""The base of every Byline form: it reads the posted form and its own file fields only,
text fields lose NUL and control characters on input, a field's checks stop at its first
failure, and `error_summary` says above a refused form what happened to what was typed;
`show_error` puts a service's refusal on the form."""

from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import (
    BooleanField,
    Field,
    FileField,
    HiddenField,
    PasswordField,
    SubmitField,
)
from wtforms.fields.choices import SelectFieldBase

from blog.domain import DomainError
from blog.text import strip_control_characters
from blog.validators import StopOnFailure


class BaseForm(FlaskForm):
    class Meta:
        def wrap_formdata(self, form, formdata):
            """What a form built from the request reads: the posted form, and a file only
            in one of the form's own file fields. Never a JSON body (Flask-WTF's default
            would read one, and fail on one that is not an object), and never a file in a
            text field: either would hand a text field's checks a value that is not text."""
            if formdata is None or hasattr(formdata, "getlist") or hasattr(formdata, "getall"):
                return super().wrap_formdata(form, formdata)  # given by the caller
            if not form.is_submitted():
                return None
            file_names = {field.name for field in form if isinstance(field, FileField)}
            files = MultiDict(
                (name, file) for name, file in request.files.items(multi=True) if name in file_names
            )
            if files:
                return CombinedMultiDict((files, request.form))
            # Nothing posted reads as no data at all, as with Flask-WTF's own default.
            return request.form or None

        def bind_field(self, form, unbound_field, options):
            own_filters = unbound_field.kwargs.get("filters", ())
            options["filters"] = [strip_control_characters, *own_filters]
            # A value that fails a check (too long, say) never reaches the next one, a
            # pattern or a parser whose cost grows with what it is given.
            own_validators = unbound_field.kwargs.get("validators")
            if own_validators:
                options["validators"] = [StopOnFailure(check) for check in own_validators]
            return unbound_field.bind(form=form, **options)

    def error_summary(self) -> str:
        """The line above the refused form: how many errors, whether the text the user
        typed is shown back (only when some was), and that a password must be typed
        again (a password field is never filled in from what was sent)."""
        count = len(self.errors)
        line = f"Please correct the {'error' if count == 1 else 'errors'} below"
        fields = list(self)
        passwords = sum(isinstance(f, PasswordField) and was_typed(f) for f in fields)
        is_text_kept = any(shows_typed_text(f) for f in fields)
        again = f"type your {'password' if passwords == 1 else 'passwords'} again"
        if passwords and is_text_kept:
            return f"{line}, and {again}: the rest of what you typed is kept."
        if passwords:
            return f"{line}, and {again}."
        if is_text_kept:
            return f"{line}; nothing you typed has been lost."
        return f"{line}."


# Fields whose value the page does not show back as typed text: hidden ones and buttons,
# passwords and files (a browser never refills them), and choices (nothing typed).
_NOT_TYPED_TEXT = (
    HiddenField,
    SubmitField,
    PasswordField,
    FileField,
    BooleanField,
    SelectFieldBase,
)


def was_typed(field: Field) -> bool:
    """The request sent this field something other than blanks."""
    return any(isinstance(v, str) and v.strip() for v in field.raw_data or ())


def shows_typed_text(field: Field) -> bool:
    """The form shows this field again with the text the user typed in it."""
    return not isinstance(field, _NOT_TYPED_TEXT) and was_typed(field)


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service refusal beside its field, or above the form when it names none (or
    a field this form does not have)."""
    for name, message in error.errors.items():
        target = getattr(form, name, None) if name else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, message]
        else:
            form.form_errors.append(message)
