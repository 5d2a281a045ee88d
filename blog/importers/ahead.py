"""Bodies converted and rendered ahead, in worker processes, while the loader writes.

Turning a post's HTML into Markdown and rendering it, and the same for each of its
comments, are most of an import's work, and pure functions of the text. For an export of
more than a few entries, a pool of worker processes (one per core but one) prepares the
next entries while the loader writes the current one; a small export, or a one-core
machine, prepares them in place, through the same code.

A worker cannot store images: it answers each image found in the uploads copy with a
placeholder address, unique to the run, that the loader replaces with the stored
image's address (in the Markdown and in its rendering alike). If an image the worker
found cannot be stored after all, the loader converts that entry again itself.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from blog.importers import markup
from blog.importers.media import ImageFiles
from blog.importers.records import Entry, Image, Skipped
from blog.rendering import render_article, render_comment
from blog.services.comments import clean_body

MAX_BODY = 100_000  # characters of a comment's text kept; a longer one is cut, with a note
# Entries before a pool pays for its start; entries prepared ahead of the one being written.
POOL_FROM = 100
WINDOW = 32

Rendered = dict[str, tuple[str, str, bool]]  # comment source id -> (markdown, html, was cut)


@dataclass
class Body:
    markdown: str
    html: str  # render_article(markdown)
    brief: str  # the first paragraph, for an entry without an excerpt
    notes: list[str]
    # Each image in order, and whether its file was found (then `placeholder(i)` stands
    # for its address in markdown and html).
    images: list[tuple[Image, bool]] = field(default_factory=list)


@dataclass
class Prepared:
    body: Body | None  # None for an entry imported by an earlier run
    comments: Rendered


class Preparer:
    """What a worker needs to prepare entries: the platform, the uploads copy, the
    export's attachments (for galleries) and the run's placeholder prefix."""

    def __init__(self, files: ImageFiles, attachments: dict[str, Image]):
        self.files = files
        self.attachments = attachments
        self.prefix = f"/uploads/byline-import-{secrets.token_hex(8)}-"

    def placeholder(self, index: int) -> str:
        return f"{self.prefix}{index}.image"

    def body(self, html: str, image: Callable[[Image], str | None] | None = None) -> Body:
        """The body prepared; its images answered by `image` when given (the loader's,
        which stores them), else with placeholders for the files found."""
        images: list[tuple[Image, bool]] = []

        def placeholder_for(found: Image) -> str | None:
            relative = self.files.relative_path(found.url)
            present = relative is not None and self.files.find_file(relative) is not None
            images.append((found, present))
            return self.placeholder(len(images) - 1) if present else None

        converted = markup.to_markdown(
            html,
            platform=self.files.platform,
            image=image or placeholder_for,
            attachment=self.attachments.get,
        )
        rendered = render_article(converted.markdown)
        brief = markup.first_paragraph(converted.markdown)
        return Body(converted.markdown, rendered, brief, converted.notes, images)

    def prepare(self, html: str | None, comments: list[tuple[str, str]]) -> Prepared:
        return Prepared(None if html is None else self.body(html), render_bodies(comments))


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
    """A result made at once, for when no pool is used; like a worker's, an error is
    kept for the loader to meet inside the entry's own transaction."""

    def __init__(self, make: Callable[[], Prepared]):
        super().__init__()
        try:
            self.set_result(make())
        except Exception as error:  # noqa: BLE001 - the entry fails alone, as in a worker
            self.set_exception(error)


_worker_preparer: Preparer | None = None


def _start_worker(preparer: Preparer) -> None:
    global _worker_preparer
    _worker_preparer = preparer


def _prepare_in_worker(html: str | None, comments: list[tuple[str, str]]) -> Prepared:
    assert _worker_preparer is not None
    return _worker_preparer.prepare(html, comments)


def pool_size(total: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 0 if total < POOL_FROM else max(0, (cores or 1) - 1)


Job = tuple[str | None, list[tuple[str, str]]]  # an entry's HTML (None: not needed), comments


def ahead(
    records: Iterable[Entry | Skipped],
    job: Callable[[Entry], Job],
    preparer: Preparer,
    workers: int,
) -> Iterator[tuple[Entry | Skipped, Future]]:
    """Each record with the future of what `job` asks prepared for it."""
    if workers <= 0:
        for record in records:
            work = job(record) if isinstance(record, Entry) else (None, [])
            yield record, Done(lambda work=work: preparer.prepare(*work))
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(preparer,),
    ) as pool:
        queue: deque[tuple[Entry | Skipped, Future]] = deque()
        try:
            for record in records:
                work = job(record) if isinstance(record, Entry) else (None, [])
                future = pool.submit(_prepare_in_worker, *work) if work != (None, []) else None
                queue.append((record, future or Done(lambda: Prepared(None, {}))))
                if len(queue) >= WINDOW:
                    yield queue.popleft()
            while queue:
                yield queue.popleft()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
