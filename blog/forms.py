"""The base of every Byline form: text fields lose NUL and control characters on input,
and a field's checks stop at its first failure; `show_error` puts a service's refusal
on the form."""

from flask_wtf import FlaskForm

from blog.domain import DomainError
from blog.text import strip_control_characters
from blog.validators import StopOnFailure


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            own_filters = unbound_field.kwargs.get("filters", ())
            options["filters"] = [strip_control_characters, *own_filters]
            # A value that fails a check (too long, say) never reaches the next one, a
            # pattern or a parser whose cost grows with what it is given.
            own_validators = unbound_field.kwargs.get("validators")
            if own_validators:
                options["validators"] = [StopOnFailure(check) for check in own_validators]
            return unbound_field.bind(form=form, **options)


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service refusal beside its field, or above the form when it names none (or
    a field this form does not have)."""
    for name, message in error.errors.items():
        target = getattr(form, name, None) if name else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, message]
        else:
            form.form_errors.append(message)
