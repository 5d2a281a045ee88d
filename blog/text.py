"""Plain-text helpers every layer may use: no Flask, no forms, no database."""

import re

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
