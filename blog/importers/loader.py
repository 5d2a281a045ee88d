"""Writes an export's records into the site, one whole item per commit.

People first (each invited), then every post or page with its terms, images, comments and
old addresses. Each item's source id is remembered (ImportedItem): an item already brought
in by an earlier run of the same export is counted as unchanged and left alone, except that
comments it has gained since are added. An item that fails is rolled back alone and listed;
running the import again retries it. A dry run does the same work inside one transaction
that it rolls back at the end, with its images written to a folder it then deletes.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import insert, select, text, update

from blog.extensions import db
from blog.importers.ahead import Body, Job, Preparer, ahead, pool_size
from blog.importers.comments import CommentLoader
from blog.importers.media import ImageFiles, Media
from blog.importers.people import PeopleLoader
from blog.importers.records import Entry, EntryKind, EntryStatus, ExportRejected, Skipped
from blog.importers.report import Report
from blog.importers.terms import TermLoader
from blog.models import (
    Article,
    ArticleStatus,
    ImportedItem,
    Page,
    PageStatus,
    Section,
    Topic,
    User,
)
from blog.models.base import utcnow
from blog.rendering import plain_text, size_upload_images
from blog.services import audit, old_urls, pages, users
from blog.services.bylines import MAX_AUTHORS
from blog.services.slugs import make_slug, unique_slug

MAX_TITLE = 300
MAX_BRIEF = 300
MAX_SOURCE_ID = 100  # ImportedItem.source_id


def stored_id(source_id: str) -> str:
    """A source id as ImportedItem keeps it: itself, or a digest of one too long."""
    if len(source_id) <= MAX_SOURCE_ID:
        return source_id
    return "sha256:" + hashlib.sha256(source_id.encode()).hexdigest()


def is_held_back(target) -> bool:
    """An imported article or page that is not public (yet): its old addresses answer
    404 until it is."""
    if isinstance(target, Article):
        return target.status != ArticleStatus.PUBLISHED or target.published_at > utcnow()
    return isinstance(target, Page) and target.status != PageStatus.PUBLISHED


@dataclass
class Options:
    media_dir: Path | None = None
    default_section: str | None = None
    dry_run: bool = False


class Loader:
    def __init__(self, export, options: Options, report: Report):
        self.export = export
        self.site = export.site
        self.options = options
        self.report = report
        self.media = Media(self, options.media_dir)
        attachments = getattr(export, "attachments", {})
        self.preparer = Preparer(ImageFiles(self.site.platform, options.media_dir), attachments)
        self.people = {person.source_id: person for person in export.people}
        rows = db.session.execute(
            select(ImportedItem.kind, ImportedItem.source_id, ImportedItem.target_id).where(
                ImportedItem.source == self.site.source
            )
        )
        self.done: dict[tuple[str, str], int] = {(k, s): t for k, s, t in rows}
        self.pending: dict[tuple[str, str], int] = {}
        self.fallback_author = users.first_admin()
        if self.fallback_author is None:
            raise ExportRejected("This site has no admin yet: run `flask --app blog init` first.")
        self.terms = TermLoader(self, export.terms, options.default_section)
        self.comment_loader = CommentLoader(self)
        self.authors = PeopleLoader(self)

    # ------------------------------------------------------------ bookkeeping

    def imported(self, kind: str, source_id: str) -> int | None:
        key = (kind, stored_id(source_id))
        return self.pending.get(key) or self.done.get(key)

    def remember(self, kind: str, source_id: str, target_id: int, *, again: bool = False) -> None:
        """Record what the item became; `again`: it was brought in before and has been
        made anew (its earlier target was deleted here)."""
        source_id = stored_id(source_id)
        if again:
            db.session.execute(
                update(ImportedItem)
                .where(
                    ImportedItem.source == self.site.source,
                    ImportedItem.kind == kind,
                    ImportedItem.source_id == source_id,
                )
                .values(target_id=target_id)
            )
        else:
            db.session.add(
                ImportedItem(
                    source=self.site.source, kind=kind, source_id=source_id, target_id=target_id
                )
            )
        self.pending[kind, source_id] = target_id

    def remember_many(self, kind: str, pairs: list[tuple[str, int]]) -> None:
        """remember() for many items of one kind at once (a post's comments)."""
        if not pairs:
            return
        pairs = [(stored_id(source_id), id_) for source_id, id_ in pairs]
        rows = [
            {"source": self.site.source, "kind": kind, "source_id": source_id, "target_id": id_}
            for source_id, id_ in pairs
        ]
        db.session.execute(insert(ImportedItem), rows)
        self.pending.update(((kind, source_id), id_) for source_id, id_ in pairs)

    @contextlib.contextmanager
    def item(self, label: str) -> Iterator[None]:
        """One item, written whole or not at all."""
        kept = self.report.mark()
        savepoint = db.session.begin_nested() if self.options.dry_run else None
        try:
            yield
            if savepoint is not None:
                savepoint.commit()
            else:
                db.session.commit()
        except BaseException as error:  # one item fails, the import goes on (not on Ctrl-C)
            current_app.logger.debug("import: %s failed", label, exc_info=True)
            if savepoint is not None:
                savepoint.rollback()
            else:
                db.session.rollback()
            self.pending.clear()
            self.media.forget()
            self.report.restore(kept)
            if not isinstance(error, Exception):
                raise
            # One line, and never the SQL a database error carries.
            text = str(getattr(error, "message", error)).split("\n[SQL:", 1)[0]
            message = " ".join(text.split())[:300]
            self.report.failed.append((label, f"{type(error).__name__}: {message}"))
            return
        self.done.update(self.pending)
        self.pending.clear()
        self.media.settle()

    # ------------------------------------------------------------ the run

    def run(self, advance: Callable[[int], None] = lambda n: None) -> Report:
        with self._guarded():
            for skipped in self.export.skipped:
                self.report.skip(skipped.kind, skipped.title or skipped.source_id, skipped.reason)
            for person in self.people.values():
                self.authors.person(person)
            workers = pool_size(self.export.total)
            prepared_ahead = ahead(self.export.entries(), self.job, self.preparer, workers)
            with contextlib.closing(prepared_ahead):  # its workers stop with the run
                for record, prepared in prepared_ahead:
                    if isinstance(record, Skipped):
                        why = record.reason
                        self.report.skip(record.kind, record.title or record.source_id, why)
                    else:
                        self.entry(record, prepared)
                    advance(1)
            self._account_for_unused()
            if self.report.changed:
                with self.item("audit"):
                    audit.record(
                        None,
                        "site.import",
                        self.site.source,
                        **{f"{k}s": self.report.counts[k, "imported"] for k in ("article", "page")},
                    )
        return self.report

    @contextlib.contextmanager
    def _guarded(self) -> Iterator[None]:
        if not self.options.dry_run:
            cache = current_app.extensions.get("byline_page_cache")
            with cache.holding() if cache is not None else contextlib.nullcontext():
                yield
            return
        config = current_app.config
        kept = config["UPLOADS_DIR"]
        with tempfile.TemporaryDirectory(prefix="byline-dry-run-") as folder:
            config["UPLOADS_DIR"] = folder
            # Opens the transaction with a write, so that on SQLite each item's savepoint
            # nests inside it rather than committing when released.
            db.session.execute(text("UPDATE imported_items SET id = id WHERE 1 = 0"))
            try:
                yield
            finally:
                db.session.rollback()
                config["UPLOADS_DIR"] = kept

    def _account_for_unused(self) -> None:
        self.terms.account_for_unused()
        for source_id, image in getattr(self.export, "attachments", {}).items():
            outcome, why = self.media.outcome(image)
            if outcome == "skipped":
                self.report.skip("attachment", image.url or source_id, why)
            else:
                self.report.count("attachment", outcome)

    # ------------------------------------------------------------ posts and pages

    def job(self, entry: Entry) -> Job:
        """What to prepare ahead for this entry: its body unless an earlier run brought
        it in, and the comments still to import, as (source id, HTML)."""
        html = None if self.imported(entry.kind.value, entry.source_id) else entry.body_html
        comments = [
            (c.source_id, c.body_html)
            for c in entry.comments
            if c.kind == "comment" and not self.imported("comment", c.source_id)
        ]
        return html, comments if entry.kind is EntryKind.ARTICLE else []

    def entry(self, entry: Entry, future: Future) -> None:
        kind = entry.kind.value
        label = f"{kind} {entry.source_id} {entry.title[:60]!r}"
        existing = self.imported(kind, entry.source_id)
        if existing:
            self.report.count(kind, "unchanged")
            if entry.kind is EntryKind.ARTICLE and entry.comments:
                with self.item(label + " (new comments)"):
                    prepared = future.result()
                    article = db.session.get(Article, existing)
                    if article is not None:
                        self.comment_loader.load(article, entry, prepared.comments, new=False)
            return
        with self.item(label):
            prepared = future.result()  # a preparation that failed fails this entry alone
            make = self.article if entry.kind is EntryKind.ARTICLE else self.page
            target = make(entry, prepared.body)
            self.remember(kind, entry.source_id, target.id)
            self.old_paths(entry.old_paths, target)
            for note in entry.notes:
                self.report.problem(kind, target.title, note)
            self.report.count(kind, "imported")
            if isinstance(target, Article):
                self.comment_loader.load(target, entry, prepared.comments, new=True)
            elif comments := [c for c in entry.comments if c.kind == "comment"]:
                self.report.skip(
                    "comment", target.title, f"{len(comments)} on a page: pages take none"
                )
                self.report.count("comment", "skipped", len(comments) - 1)

    def converted(self, entry: Entry, body: Body | None) -> tuple[str, str, str]:
        """The body as Markdown and its rendering, with its images stored, and the brief
        (the excerpt, else the first paragraph)."""
        where = entry.title or entry.source_id
        body = self.with_images(body, where) if body is not None else None
        if body is None:  # an image the worker found could not be stored: again, here
            body = self.preparer.body(
                entry.body_html, lambda image: self.media.address(image, where)
            )
        for note in body.notes:
            self.report.problem(entry.kind.value, where, note)
        brief = " ".join(entry.excerpt.split()) or body.brief
        if len(brief) > MAX_BRIEF:
            brief = brief[: MAX_BRIEF - 1].rsplit(" ", 1)[0] + "…"
        return body.markdown, body.html, brief

    def with_images(self, body: Body, where: str) -> Body | None:
        """The body with each image it found stored and its placeholder replaced; None
        when one could not be stored after all."""
        markdown, html = body.markdown, body.html
        for index, (image, present) in enumerate(body.images):
            upload = self.media.store(image, where)  # a missing one is reported
            if (upload is not None) != present:  # the worker could not know (an earlier
                return None  # run's image, a file that is not an image): again, here
            if not present:
                continue
            placeholder, address = self.preparer.placeholder(index), f"/uploads/{upload.path}"
            markdown, html = (
                markdown.replace(placeholder, address),
                html.replace(placeholder, address),
            )
        # The rendering named placeholders: the stored images' sizes go in now.
        return Body(markdown, size_upload_images(html), body.brief, body.notes)

    def title(self, entry: Entry) -> str:
        title = " ".join(entry.title.split())
        if not title:
            self.report.problem(entry.kind.value, entry.source_id, "no title: called (untitled)")
            return "(untitled)"
        return title[:MAX_TITLE]

    def common(self, entry: Entry, body: Body | None, model) -> dict:
        """What an article and a page take alike."""
        title = self.title(entry)
        markdown, html, brief = self.converted(entry, body)
        slug = unique_slug(model, entry.slug or title, fallback=model.__tablename__[:-1])
        if entry.slug and make_slug(entry.slug) != slug:
            self.report.problem(
                entry.kind.value, title, f"address {entry.slug!r} taken: now {slug!r}"
            )
        cover = self.media.store(entry.cover, title)
        now = utcnow()
        published_at = entry.published_at
        if entry.status is EntryStatus.PUBLISHED and published_at is None:
            published_at = now
        return {
            "slug": slug,
            "title": title,
            "brief": brief or title,
            "markdown": markdown,
            "html": html,
            "author_ids": self.authors.author_ids(entry, MAX_AUTHORS if model is Article else 1),
            "cover_id": cover.id if cover is not None else None,
            "cover_alt": plain_text(entry.cover.alt if cover and entry.cover else "")[:300],
            "cover_caption": plain_text(entry.cover.caption if cover and entry.cover else "")[:500],
            "published_at": published_at,
            "created_at": published_at or entry.updated_at or now,
            # Never before publication (a page would read "updated" before it came out).
            "updated_at": max(filter(None, (entry.updated_at, published_at)), default=now),
        }

    def article(self, entry: Entry, body: Body | None) -> Article:
        values = self.common(entry, body, Article)
        markdown, html = values.pop("markdown"), values.pop("html")
        lead_id, *coauthor_ids = values.pop("author_ids")
        article = Article(
            author_id=lead_id,
            status=ArticleStatus(entry.status.value),
            section_id=self.terms.section_id(entry),
            is_featured=entry.featured,
            **values,
        )
        article.set_body(markdown, html)
        article.topics = [db.session.get(Topic, i) for i in self.terms.topic_ids(entry)]
        article.coauthors = [db.session.get(User, i) for i in coauthor_ids]
        db.session.add(article)
        db.session.flush()
        return article

    def page(self, entry: Entry, body: Body | None) -> Page:
        values = self.common(entry, body, Page)
        markdown, html = values.pop("markdown"), values.pop("html")
        values["summary"] = values.pop("brief")
        values["author_id"] = values.pop("author_ids")[0]
        slug = values["slug"]
        while pages.route_holding(slug):
            slug = unique_slug(Page, f"{slug}-page")
        if slug != values["slug"]:
            self.report.problem(
                "page", values["title"], f"/{values['slug']} is taken by the site: now /{slug}"
            )
            values["slug"] = slug
        live = entry.status is EntryStatus.PUBLISHED and values["published_at"] <= utcnow()
        if entry.status is EntryStatus.PUBLISHED and not live:
            self.report.problem("page", values["title"], "scheduled: kept as a draft")
        page = Page(status=PageStatus.PUBLISHED if live else PageStatus.DRAFT, **values)
        page.set_body(markdown, html)
        db.session.add(page)
        db.session.flush()
        return page

    # ------------------------------------------------------------ old addresses

    @staticmethod
    def page_at(path: str) -> Page | None:
        """The published page whose own address an old one-segment address is."""
        key = old_urls.normalise(path) or ""
        slug = key[1:]
        if "/" in slug or "?" in slug or not slug:
            return None
        return pages.get_public_page(slug)

    def old_paths(self, paths: list[str], target: Article | Page | Section | Topic | User) -> None:
        for path in paths:
            outcome = old_urls.add(path, target)
            if outcome == "added" and (page := self.page_at(path)) is not None:
                self.report.problem("redirect", path, f"the page {page.title!r} is there: it wins")
            elif outcome == "added":
                later = " (once it is published)" if is_held_back(target) else ""
                self.report.redirects.append((path, old_urls.address_of(target) + later))
            elif outcome == "taken" and isinstance(target, (Article, Page)):
                self.report.problem("redirect", path, "already leads elsewhere: left as it is")
