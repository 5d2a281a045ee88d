"""Reading ?page=N safely for every paginated list."""

from flask import abort, request

MAX_PAGE = 100_000


def page_number(arg: str = "page") -> int:
    """?page=N as a positive integer; anything else is a 404, never a 500."""
    raw = request.args.get(arg, "1")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw)
