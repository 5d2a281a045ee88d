"""URL converters for the public routes."""

from werkzeug.routing import BaseConverter, IntegerConverter


class SlugConverter(BaseConverter):
    """Only what our slugs can contain: anything else never reaches a view (404)."""

    regex = r"[A-Za-z0-9][A-Za-z0-9_-]{0,199}"


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a database id, so at most a 32-bit signed integer.
    A larger number is a 404 here instead of an overflow error in the database driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
