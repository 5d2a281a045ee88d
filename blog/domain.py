"""The one error model of Byline's services.

A service that refuses what it was asked raises a `DomainError` (or one of its
subclasses, which add what a caller may need to tell refusals apart). The message is
for the person who asked; `field` names the form field it belongs beside, or is None
for a message about the whole form. Views show it with `blog.forms.show_error`, the
command line prints it. A service rolls back its own work before it raises.
"""


class DomainError(Exception):
    """A request the rules refuse; the message is for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict[str, str]:
        """Messages by form field name (the empty name for the whole form)."""
        return {self.field or "": self.message}


class NotAllowed(DomainError):
    """The acting user's role does not allow this (views answer 403)."""

    def __init__(self, message: str = "You are not allowed to do that.", field=None):
        super().__init__(message, field)


class NotFound(DomainError):
    """What the request names does not exist, or is not the caller's to see (views answer
    404)."""

    def __init__(self, message: str = "Not found.", field=None):
        super().__init__(message, field)
