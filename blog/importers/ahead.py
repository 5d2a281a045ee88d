"""Comment bodies rendered ahead, in worker processes, while the loader writes.

A large export's comments are most of its work: each is turned into Markdown and rendered
(both pure functions of its text). For an export of more than a few entries, a pool of
worker processes (one per core but one) renders the comments of the next entries while the
loader writes the current one; a small export, or a one-core machine, renders them in
place. The results are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from blog.importers import markup
from blog.importers.records import Entry, Skipped
from blog.rendering import render_comment
from blog.services.comments import clean_body

MAX_BODY = 100_000  # characters of a comment's text kept; a longer one is cut, with a note
# Entries before a pool pays for its start; entries rendered ahead of the one being written.
POOL_FROM = 100
WINDOW = 32

Rendered = dict[str, tuple[str, str, bool]]  # source id -> (markdown, html, was cut)


def render_bodies(comments: list[tuple[str, str]]) -> Rendered:
    """Each (source id, HTML) comment as (Markdown, sanitised HTML, whether it was cut)."""
    rendered = {}
    for source_id, html in comments:
        body = clean_body(markup.comment_markdown(html))
        cut = len(body) > MAX_BODY
        body = body[:MAX_BODY] or "(empty)"
        rendered[source_id] = (body, render_comment(body), cut)
    return rendered


class Done(Future):
    """A result at hand, for when no pool is used."""

    def __init__(self, result: Rendered):
        super().__init__()
        self.set_result(result)


def pool_size(total: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 0 if total < POOL_FROM else max(0, (cores or 1) - 1)


def ahead(
    records: Iterable[Entry | Skipped],
    wanted: Callable[[Entry], list[tuple[str, str]]],
    workers: int,
) -> Iterator[tuple[Entry | Skipped, Future]]:
    """Each record with the future of its comments' renderings (`wanted` picks which)."""
    if workers <= 0:
        for record in records:
            comments = wanted(record) if isinstance(record, Entry) else []
            yield record, Done(render_bodies(comments))
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        queue: deque[tuple[Entry | Skipped, Future]] = deque()
        try:
            for record in records:
                comments = wanted(record) if isinstance(record, Entry) else []
                future = pool.submit(render_bodies, comments) if comments else Done({})
                queue.append((record, future))
                if len(queue) >= WINDOW:
                    yield queue.popleft()
            while queue:
                yield queue.popleft()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
