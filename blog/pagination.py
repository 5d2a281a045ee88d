"""Long lists one page at a time: reading ?page=N safely, and the page every listing shows.

Services return a `Page` (from `paginate`, or built from their own query); views read
the page number with `page_number` (a bad one is a 404) or `forgiving_page_number` (a
bad one is page 1), and templates read `Page`'s items and its links to its neighbours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import abort, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import lazyload

from blog.domain import NotFound
from blog.extensions import db

MAX_PAGE = 100_000

T = TypeVar("T")


def parse_page(raw: str | None) -> int | None:
    """A page number as typed (None means the first page), or None when it is not one."""
    if raw is None:
        return 1
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        return None
    return int(raw)


def page_number(arg: str = "page") -> int:
    """?page=N as a positive integer; anything else is a 404, never a 500."""
    number = parse_page(request.args.get(arg))
    if number is None:
        abort(404)
    return number


def forgiving_page_number(arg: str = "page") -> int:
    """?page=N for lists that show their first page rather than a 404 for a bad number;
    a number past MAX_PAGE is MAX_PAGE."""
    return min(max(request.args.get(arg, 1, type=int), 1), MAX_PAGE)


@dataclass
class Page(Generic[T]):
    """One page of a list, with what its links to the pages around it need."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def paginate(statement: Select, page: int, per_page: int, *, past_end_ok: bool = False) -> Page:
    """One page of the statement's rows and their total, in two queries.

    A page past the last (other than the first) raises NotFound unless `past_end_ok`.
    """
    items = list(
        db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
        .unique()
        .scalars()
    )
    if not items and page != 1 and not past_end_ok:
        raise NotFound()
    counted = statement.options(lazyload("*")).order_by(None).subquery()
    total = db.session.scalar(select(func.count()).select_from(counted))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
