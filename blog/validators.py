"""Checks on what people type, each bounded: a length cap runs before any pattern.

Every Byline form stops a field's checks at its first failure (`StopOnFailure`, applied
by `blog.forms.BaseForm`), so a value that is too long never reaches a later pattern or
parser. The checks here also refuse over-long input themselves before looking at it, so
they stay cheap wherever they are used: a form, a service or a view.
"""

import re

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import StopValidation, ValidationError

# RFC 5321 allows 254 characters in a forward path: no real address is longer.
MAX_EMAIL_LENGTH = 254


class StopOnFailure:
    """Run `validator`; if it fails, the field's remaining checks do not run."""

    def __init__(self, validator):
        self.validator = validator
        # WTForms reads flags such as maxlength and required from each validator.
        self.field_flags = getattr(validator, "field_flags", {})

    def __call__(self, form, field):
        try:
            self.validator(form, field)
        except ValidationError as failure:
            raise StopValidation(*failure.args) from failure

    def __repr__(self) -> str:
        return f"StopOnFailure({self.validator!r})"


def is_email_address(value: str) -> bool:
    """One e-mail address by email-validator's syntax rules (no DNS lookup); a value
    longer than any address is refused before it is parsed."""
    if not value or len(value) > MAX_EMAIL_LENGTH:
        return False
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


class EmailAddress:
    """WTForms: the field holds one e-mail address (see `is_email_address`)."""

    def __init__(self, message: str = "That does not look like an e-mail address."):
        self.message = message
        self.field_flags = {}

    def __call__(self, form, field):
        if not is_email_address(field.data or ""):
            raise StopValidation(self.message)


class Digits:
    """WTForms: a whole number of at most `max_digits` ASCII digits, checked without a
    pattern (an id or a version number in a hidden field)."""

    def __init__(self, max_digits: int, message: str = "Not a number we sent."):
        self.max_digits = max_digits
        self.message = message
        self.field_flags = {}

    def __call__(self, form, field):
        value = field.data or ""
        if len(value) > self.max_digits or not (value.isascii() and value.isdigit()):
            raise StopValidation(self.message)


class Pattern:
    """WTForms: the whole value matches `pattern`. A value longer than `max_length` is
    refused with `too_long` before the pattern sees it."""

    def __init__(self, pattern: str | re.Pattern, *, max_length: int, message: str, too_long: str):
        self.pattern = re.compile(pattern)
        self.max_length = max_length
        self.message = message
        self.too_long = too_long
        self.field_flags = {"maxlength": max_length}

    def __call__(self, form, field):
        value = field.data or ""
        if len(value) > self.max_length:
            raise StopValidation(self.too_long)
        if not self.pattern.fullmatch(value):
            raise StopValidation(self.message)
