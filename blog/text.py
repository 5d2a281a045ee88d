"""Plain-text helpers every layer may use: no Flask, no forms, no database."""

import re
import unicodedata
from datetime import timedelta

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


def clean_line(value: str | None) -> str:
    """One line of plain text: control characters dropped, whitespace collapsed."""
    return " ".join(strip_control_characters(value or "").split())


def clean_body(value: str | None) -> str:
    """Text of several lines (a comment): Unix newlines, control characters (NUL
    included) dropped, trimmed."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return strip_control_characters(text).strip()


def clean_email(value: str | None) -> str:
    """An address as typed into a reader form: one line, lower case (not validated)."""
    return clean_line(value).lower()


def duration_text(duration: timedelta) -> str:
    """ "15 minutes", "1 hour", "90 seconds": a span as readers read it."""
    seconds = int(duration.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


# Controls, invisible format characters (zero-width space and joiners, soft hyphen, bidi
# marks), spaces of every kind and non-characters (U+FFFE, U+FFFF, which the forms drop
# before a lookup): none belongs in an address, all survive a paste.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Zs", "Zl", "Zp"})


def email_identity(email: str) -> str:
    """The one spelling of an address that names an account (NFKC, case-folded, without
    controls, invisible characters or spaces). Lookups, the uniqueness check and the
    per-account sign-in limit all key on it, so every spelling of an account shares one
    failure counter."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", email).casefold())
    visible = "".join(ch for ch in folded if unicodedata.category(ch) not in INVISIBLE_CATEGORIES)
    # NFKC turns some characters into a space and a combining mark (U+00A8 into " \u0308");
    # composing again once the space is gone makes the identity of an identity itself.
    return unicodedata.normalize("NFKC", visible)
