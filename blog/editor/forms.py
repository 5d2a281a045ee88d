"""Forms shared across the editor area."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """An empty form: a CSRF-protected button for POST-only actions."""
