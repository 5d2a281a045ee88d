"""Forms shared across the editor area."""

from blog.forms import BaseForm


class ActionForm(BaseForm):
    """An empty form: a CSRF-protected button for POST-only actions."""
