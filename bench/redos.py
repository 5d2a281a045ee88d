"""Worst-case inputs for the checks and parsers Byline runs on typed text, timed:
`python -m bench.redos` prints a Markdown table (docs/security.md, "Bounded checks on typed
text"). Not a test: nothing fails, the figures are for reading.

Each case doubles its input from 1,000 characters up to the most a request can carry to
that code (`limit`), and stops early once a single run takes longer than the budget. The
table gives the time at the largest size measured; how the time grew with the size (1 =
linear, 2 = quadratic), for runs of half a second or more; and, when the budget stopped
it, the time that growth predicts at the limit. Runs on one core with SQLite in a
temporary folder; nothing else is needed.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask_migrate import upgrade
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from blog import create_app, formguard, rendering
from blog.comments.forms import CommentForm
from blog.editor.articles import ArticleForm
from blog.editor.auth import LoginForm
from blog.editor.moderation import QueueFilterForm
from blog.editor.site_settings import SettingsForm
from blog.editor.taxonomy import TaxonomyForm
from blog.services import comments, search, taxonomy

REQUEST_BODY = 16 * 1024 * 1024  # MAX_CONTENT_LENGTH: Werkzeug reads urlencoded forms whole
REQUEST_LINE = 8190  # gunicorn.conf.py limit_request_line: query strings and paths
ARTICLE_BODY = 200_000  # ArticleForm.body: also the most a search snippet can hold
COMMENT_BODY = 5_000  # CommentForm.body
START = 1_000


@dataclass
class Case:
    name: str
    limit: int
    build: Callable[[int], str]
    run: Callable[[str], object]


def repeat(unit: str, head: str = "", tail: str = "") -> Callable[[int], str]:
    def build(n: int) -> str:
        return head + unit * max(1, (n - len(head) - len(tail)) // len(unit)) + tail

    return build


def field_check(form_class, name: str, **other) -> Callable[[str], object]:
    """Filters and the validator chain of one form field, as a POST would run them."""

    def run(value: str) -> object:
        form = form_class(formdata=MultiDict({**other, name: value}))
        return form[name].validate(form)

    return run


def service_email(value: str) -> object:
    data = comments.CommentData(name="Rosa", email=value, body="Words.")
    try:
        return comments._checked(data)
    except comments.CommentRejected as refusal:
        return refusal


def form_token(value: str) -> object:
    try:
        return formguard.token_age(value, "comment", 1)
    except formguard.FormRejected as refusal:
        return refusal


def taxonomy_slug(value: str) -> object:
    try:
        return taxonomy.clean_slug(value)
    except taxonomy.TaxonomyError as refusal:
        return refusal


def address(app) -> Callable[[str], object]:
    urls = app.url_map.bind("byline.example")

    def run(value: str) -> object:
        try:
            return urls.match("/articles/" + value)
        except NotFound as refusal:
            return refusal

    return run


def cases(app) -> list[Case]:
    email, dashes, digits = repeat("a.", "a@", "@"), repeat("a-", tail="!"), repeat("1", tail="x")
    parens, rows = repeat("(", "http://a.co/"), repeat("|\n", "|a|\n|-|\n")
    body, line, article, comment = REQUEST_BODY, REQUEST_LINE, ARTICLE_BODY, COMMENT_BODY
    snippet, markdown, words = search.plain_snippet, rendering.render_article, rendering.count_words
    reader = rendering.render_comment
    return [
        Case("comment form: email", body, email, field_check(CommentForm, "email")),
        Case("comment form: name", body, repeat("N"), field_check(CommentForm, "name")),
        Case("comment form: body", body, dashes, field_check(CommentForm, "body")),
        Case("comment form: parent_id", body, digits, field_check(CommentForm, "parent_id")),
        Case("comment form: form_token", body, repeat("a."), form_token),
        Case("comment service: email", body, email, service_email),
        Case("sign-in form: email", body, email, field_check(LoginForm, "email")),
        Case("sign-in form: password", body, email, field_check(LoginForm, "password")),
        Case("article form: slug", body, dashes, field_check(ArticleForm, "slug")),
        Case("article form: version", body, digits, field_check(ArticleForm, "version")),
        Case("moderation filter: email", body, email, field_check(QueueFilterForm, "email")),
        Case("section/topic form: slug", body, dashes, field_check(TaxonomyForm, "slug")),
        Case("section/topic service: slug", body, dashes, taxonomy_slug),
        Case("settings form: time zone", body, dashes, field_check(SettingsForm, "timezone")),
        Case("search query", line, repeat('-"a'), search.parse),
        Case("address: article slug", line, dashes, address(app)),
        Case("search snippet: [[[", article, repeat("["), snippet),
        Case("search snippet: [](", article, repeat("[]("), snippet),
        Case("search snippet: newlines", article, repeat("\n", "a", "a"), snippet),
        Case("search snippet: a___b", article, repeat("_", "a", "b"), snippet),
        Case("comment Markdown: a-a-a", comment, dashes, reader),
        Case("comment Markdown: http://a.co/((((", comment, parens, reader),
        Case("comment Markdown: line breaks", comment, repeat("a\n"), reader),
        Case("article Markdown: a-a-a", article, dashes, markdown),
        Case("article Markdown: http://a.co/((((", article, parens, markdown),
        Case("article Markdown: `a`a`a", article, repeat("`a"), markdown),
        Case("article Markdown: table rows", article, rows, markdown),
        Case("article word count: a-a-a", article, dashes, words),
    ]


def timed(run: Callable[[str], object], value: str) -> float:
    """Seconds for one run; the best of three when a run is quick enough to repeat."""
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        run(value)
        best = min(best, time.perf_counter() - started)
        if best > 0.2:
            break
    return best


def measure(case: Case, budget: float) -> str:
    sizes, seconds = [], []
    n = min(START, case.limit)
    while True:
        sizes.append(n)
        seconds.append(timed(case.run, case.build(n)))
        if n >= case.limit or seconds[-1] > budget:
            break
        n = min(n * 2, case.limit)
    growth = slope(sizes, seconds)
    at_limit = ""
    if sizes[-1] < case.limit:
        exponent = max(growth or 1.0, 1.0)
        at_limit = "≈ " + duration(seconds[-1] * (case.limit / sizes[-1]) ** exponent)
    return (
        f"| {case.name} | {case.limit:,} | {sizes[-1]:,} | {duration(seconds[-1])} "
        f"| {'–' if growth is None else f'{growth:.1f}'} | {at_limit} |"
    )


def slope(sizes: list[int], seconds: list[float]) -> float | None:
    """The exponent k in time ~ size**k, fitted on the last three runs long enough to time
    well (the cost that dominates at the largest sizes)."""
    runs = [(math.log(n), math.log(t)) for n, t in zip(sizes, seconds, strict=True) if t > 0.05]
    points = runs[-3:]
    if len(points) < 2 or seconds[-1] < 0.5:  # quicker runs are mostly the machine's noise
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per run, at most")
    parser.add_argument("--only", default="", help="cases whose name contains this")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SECRET_KEY": "bench-redos",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'redos.db'}",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_STORAGE_URI": "memory://",
                "PAGE_CACHE": False,  # nothing written to the checkout's instance/
                "UPLOADS_DIR": str(Path(folder) / "uploads"),
            }
        )
        with app.app_context():  # the comment service reads the staff's names
            upgrade(directory=app.extensions["migrate"].directory)
        print("| input | limit (chars) | largest measured | time there | growth | at the limit |")
        print("|---|---:|---:|---:|---:|---:|")
        with app.test_request_context(method="POST"):
            for case in cases(app):
                if options.only in case.name:
                    print(measure(case, options.budget), flush=True)


if __name__ == "__main__":
    main()
