"""The base of every Byline form: text fields lose NUL and control characters on input,
and a field's checks stop at its first failure."""

import re

from flask_wtf import FlaskForm

from blog.validators import StopOnFailure

# Everything below U+0020 except tab, newline and carriage return, plus DEL and the
# C1 range: never meaningful in a headline or a comment, and PostgreSQL refuses NUL.
# C0 and C1 controls (but tab and newlines), and the two non-characters U+FFFE and U+FFFF,
# none of which XML (the feeds) may carry.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control_characters(value):
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, list):
        return [strip_control_characters(item) for item in value]
    return value


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
