"""Long lists a page at a time: reading the page number, each page's neighbours, and
pages past the end."""

import pytest

from blog.domain import NotFound
from blog.models import Article
from blog.pagination import MAX_PAGE, Page, forgiving_page_number, paginate, parse_page
from blog.services import articles


def test_a_page_knows_its_neighbours():
    assert [parse_page(raw) for raw in (None, "1", "7", "0", "", "x", "١", "100001")] == [
        1, 1, 7, None, None, None, None, None
    ]  # fmt: skip
    middle = Page(items=["c", "d"], page=2, per_page=2, total=5)
    assert (middle.pages, middle.prev_num, middle.next_num) == (3, 1, 3)
    last = Page(items=["e"], page=3, per_page=2, total=5)
    assert (last.has_prev, last.has_next, last.next_num) == (True, False, None)
    empty = Page(items=[], page=1, per_page=2, total=0)
    assert (empty.pages, empty.has_prev, empty.has_next, empty.prev_num) == (1, False, False, None)


@pytest.mark.parametrize(
    "raw, expected", [("3", 3), ("0", 1), ("-4", 1), ("x", 1), ("", 1), ("999999999", MAX_PAGE)]
)
def test_a_forgiving_list_shows_a_page_for_any_number(app, raw, expected):
    with app.test_request_context(f"/?page={raw}"):
        assert forgiving_page_number() == expected


def test_paginate_counts_and_refuses_pages_past_the_end(app, make_article):
    made = [make_article(f"Story {n}") for n in range(3)]
    statement = articles.public_articles()
    second = paginate(statement, 2, 2)
    assert [a.id for a in second.items] == [made[2].id]  # each one made is older
    assert (second.total, second.pages, second.has_next) == (3, 2, False)
    with pytest.raises(NotFound):
        paginate(statement, 3, 2)
    assert paginate(statement, 3, 2, past_end_ok=True).items == []
    nothing = paginate(statement.where(Article.id == 0), 1, 2)  # an empty list has page 1
    assert (nothing.items, nothing.total, nothing.pages) == ([], 0, 1)
