"""URL converters for the public routes."""

from werkzeug.routing import BaseConverter


class SlugConverter(BaseConverter):
    """Only what our slugs can contain: anything else never reaches a view (404)."""

    regex = r"[A-Za-z0-9][A-Za-z0-9_-]{0,199}"
