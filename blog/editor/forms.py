"""Forms and checks shared across the editor area."""

from wtforms.validators import Length

from blog.forms import BaseForm
from blog.validators import Pattern


class ActionForm(BaseForm):
    """An empty form: a CSRF-protected button for POST-only actions."""


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
