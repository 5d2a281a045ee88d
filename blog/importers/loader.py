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
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, insert, select, text

from blog.extensions import db
from blog.importers import markup
from blog.importers.ahead import ahead, pool_size
from blog.importers.comments import CommentLoader
from blog.importers.media import Media
from blog.importers.records import Entry, EntryKind, EntryStatus, ExportRejected, Person, Skipped
from blog.importers.records import Term as SourceTerm
from blog.importers.report import Author, Report
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
from blog.rendering import plain_text
from blog.services import audit, old_urls, pages, users
from blog.services.slugs import make_slug, unique_slug
from blog.templating import external_url

MAX_TITLE = 300
MAX_BRIEF = 300
MAX_BIO = 2000
UNCATEGORIZED = {"uncategorized", "uncategorised"}
SITE_SECTION = "(site)"  # starts the source id of the section named after the old site


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
        self.people = {person.source_id: person for person in export.people}
        self.terms = {term.source_id: term for term in export.terms}
        rows = db.session.execute(
            select(ImportedItem.kind, ImportedItem.source_id, ImportedItem.target_id).where(
                ImportedItem.source == self.site.source
            )
        )
        self.done: dict[tuple[str, str], int] = {(k, s): t for k, s, t in rows}
        self.pending: dict[tuple[str, str], int] = {}
        self.default_section_id: int | None = None
        self.terms_seen: set[tuple[str, str]] = set()  # (kind, term) counted in this run
        self.fallback_author = users.first_admin()
        if self.fallback_author is None:
            raise ExportRejected("This site has no admin yet: run `flask --app blog init` first.")
        if options.default_section:
            section = db.session.scalar(
                select(Section).where(Section.slug == options.default_section)
            )
            if section is None:
                known = ", ".join(db.session.scalars(select(Section.slug))) or "none yet"
                raise ExportRejected(
                    f"No section has the address {options.default_section!r} (sections: {known})."
                )
            self.default_section_id = section.id
        self.comment_loader = CommentLoader(self)

    # ------------------------------------------------------------ bookkeeping

    def imported(self, kind: str, source_id: str) -> int | None:
        key = (kind, source_id)
        return self.pending.get(key) or self.done.get(key)

    def remember(self, kind: str, source_id: str, target_id: int) -> None:
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
        except Exception as error:  # noqa: BLE001 - one item fails, the import goes on
            current_app.logger.debug("import: %s failed", label, exc_info=True)
            if savepoint is not None:
                savepoint.rollback()
            else:
                db.session.rollback()
            self.pending.clear()
            self.media.forget()
            self.report.restore(kept)
            message = " ".join(str(getattr(error, "message", error)).split())[:300]
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
                self.person(person)
            workers = pool_size(self.export.total)
            for record, bodies in ahead(self.export.entries(), self.comments_wanted, workers):
                if isinstance(record, Skipped):
                    self.report.skip(record.kind, record.title or record.source_id, record.reason)
                else:
                    self.entry(record, bodies)
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
        for source_id in [*self.terms, self.site_term().source_id]:
            kinds = [k for k in ("section", "topic") if self.imported(k, source_id)]
            for kind in kinds:
                if (kind, source_id) not in self.terms_seen:
                    self.report.count(kind, "unchanged")
            if not kinds and source_id in self.terms:
                term = self.terms[source_id]
                self.report.skip(term.kind, term.name, "not used by any imported post")
        for source_id, image in getattr(self.export, "attachments", {}).items():
            if outcome := self.media.outcome(image):
                self.report.count("attachment", outcome)
            else:
                self.report.skip(
                    "attachment", image.url or source_id, "not used by any imported post"
                )

    # ------------------------------------------------------------ people

    def person(self, person: Person) -> None:
        if self.imported("author", person.source_id):
            self.report.count("author", "unchanged")
            return
        with self.item(f"author {person.display_name}"):
            user = users.find_by_email(person.email) if person.email else None
            if user is not None:
                self.report.count("author", "unchanged")
                self.report.problem(
                    "author", person.display_name, f"matched the account {user.email}"
                )
            else:
                try:
                    user, token = users.invite_imported(
                        person.email,
                        person.display_name,
                        person.role,
                        slug_hint=person.slug,
                        active=person.active,
                    )
                except users.UserRejected as error:
                    self.report.skip(
                        "author",
                        person.display_name or person.source_id,
                        f"{error.message} Their posts go to {self.fallback_author.display_name}.",
                    )
                    return
                user.bio = plain_text(person.bio)[:MAX_BIO]
                self.report.count("author", "imported")
                self.report.authors.append(
                    Author(user.display_name, user.email, user.role.value, self.invitation(token))
                )
            self.remember("author", person.source_id, user.id)
            self.old_paths(person.old_paths, user)

    def invitation(self, token: str | None) -> str:
        if token is None:
            return "suspended on the old site: deactivated here, not invited"
        if self.options.dry_run:
            return "would be invited by e-mail"
        if not current_app.config.get("SITE_URL") and not current_app.config.get("SERVER_NAME"):
            return (
                "not e-mailed (SITE_URL is not set); an admin can send the invitation from "
                "Editor › People"
            )
        return f"{external_url('editor.invite_accept', token=token)} (e-mailed)"

    def author_ids(self, entry: Entry) -> list[int]:
        found = [self.imported("author", source_id) for source_id in entry.author_ids]
        ids = list(dict.fromkeys(i for i in found if i))
        if not ids:
            self.report.problem(
                entry.kind.value,
                entry.title,
                f"author unknown: credited to {self.fallback_author.display_name}",
            )
            return [self.fallback_author.id]
        if len(ids) > 1:
            self.report.problem(
                entry.kind.value, entry.title, f"{len(ids)} authors: the first is credited"
            )
        return ids

    # ------------------------------------------------------------ sections and topics

    def term_target(self, kind: str, term: SourceTerm) -> int:
        """The section or topic this category or tag became (made on first use; an
        existing one with the same address or name is used as it is)."""
        found = self.imported(kind, term.source_id)
        if found:
            return found
        self.terms_seen.add((kind, term.source_id))
        model = Section if kind == "section" else Topic
        name = " ".join(term.name.split())[:80] or term.slug or "Untitled"
        slug = make_slug(term.slug or name)
        target = db.session.scalar(
            select(model).where((model.slug == slug) | (func.lower(model.name) == name.lower()))
        )
        if target is None:
            target = model(name=name, slug=unique_slug(model, slug), description=term.description)
            if model is Section:
                target.position = (db.session.scalar(select(func.max(Section.position))) or 0) + 1
            db.session.add(target)
            db.session.flush()
            self.report.count(kind, "imported")
        else:
            self.report.count(kind, "unchanged")
        self.remember(kind, term.source_id, target.id)
        self.old_paths(term.old_paths, target)
        return target.id

    def section_id(self, entry: Entry) -> int:
        for source_id in entry.categories:
            term = self.terms.get(source_id)
            if term is not None and term.slug not in UNCATEGORIZED:
                return self.term_target("section", term)
        if self.default_section_id is None:
            self.default_section_id = self.term_target("section", self.site_term())
        return self.default_section_id

    def site_term(self) -> SourceTerm:
        """The section named after the old site, for posts without a category (one per
        site title: two sites imported into one get one each)."""
        title = " ".join(self.site.title.split()) or "Archive"
        return SourceTerm("site", f"{SITE_SECTION} {title}"[:100], make_slug(title), title)

    def topic_ids(self, entry: Entry) -> list[int]:
        sources = entry.categories[1:] + entry.tags
        ids = []
        for source_id in sources:
            term = self.terms.get(source_id)
            if term is not None and term.slug not in UNCATEGORIZED:
                ids.append(self.term_target("topic", term))
        return list(dict.fromkeys(ids))

    # ------------------------------------------------------------ posts and pages

    def comments_wanted(self, entry: Entry) -> list[tuple[str, str]]:
        """The comments of this entry still to import, as (source id, HTML)."""
        return [
            (c.source_id, c.body_html)
            for c in entry.comments
            if c.kind == "comment" and not self.imported("comment", c.source_id)
        ]

    def entry(self, entry: Entry, bodies: Future) -> None:
        kind = entry.kind.value
        label = f"{kind} {entry.source_id} {entry.title[:60]!r}"
        existing = self.imported(kind, entry.source_id)
        if existing:
            self.report.count(kind, "unchanged")
            if entry.kind is EntryKind.ARTICLE and entry.comments:
                with self.item(label + " (new comments)"):
                    article = db.session.get(Article, existing)
                    if article is not None:
                        self.comment_loader.load(article, entry, bodies.result(), new=False)
            return
        with self.item(label):
            target = self.article(entry) if entry.kind is EntryKind.ARTICLE else self.page(entry)
            self.remember(kind, entry.source_id, target.id)
            self.old_paths(entry.old_paths, target)
            for note in entry.notes:
                self.report.problem(kind, target.title, note)
            self.report.count(kind, "imported")
            if isinstance(target, Article):
                self.comment_loader.load(target, entry, bodies.result(), new=True)

    def converted(self, entry: Entry) -> tuple[str, str]:
        """The body's Markdown and the brief (the excerpt, else the first paragraph)."""
        where = entry.title or entry.source_id
        result = markup.to_markdown(
            entry.body_html,
            platform=self.site.platform,
            image=lambda image: self.media.address(image, where),
            attachment=lambda source_id: getattr(self.export, "attachments", {}).get(source_id),
        )
        for note in result.notes:
            self.report.problem(entry.kind.value, where, note)
        brief = " ".join(entry.excerpt.split()) or markup.first_paragraph(result.markdown)
        if len(brief) > MAX_BRIEF:
            brief = brief[: MAX_BRIEF - 1].rsplit(" ", 1)[0] + "…"
        return result.markdown, brief

    def title(self, entry: Entry) -> str:
        title = " ".join(entry.title.split())
        if not title:
            self.report.problem(entry.kind.value, entry.source_id, "no title: called (untitled)")
            return "(untitled)"
        return title[:MAX_TITLE]

    def common(self, entry: Entry, model) -> dict:
        """What an article and a page take alike."""
        title = self.title(entry)
        markdown, brief = self.converted(entry)
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
            "author_id": self.author_ids(entry)[0],
            "cover_id": cover.id if cover is not None else None,
            "cover_alt": plain_text(entry.cover.alt if cover and entry.cover else "")[:300],
            "cover_caption": plain_text(entry.cover.caption if cover and entry.cover else "")[:500],
            "published_at": published_at,
            "created_at": published_at or entry.updated_at or now,
            "updated_at": max(entry.updated_at or published_at or now, published_at or now)
            if published_at
            else entry.updated_at or now,
        }

    def article(self, entry: Entry) -> Article:
        values = self.common(entry, Article)
        markdown = values.pop("markdown")
        article = Article(
            status=ArticleStatus(entry.status.value),
            section_id=self.section_id(entry),
            is_featured=entry.featured,
            **values,
        )
        article.set_body(markdown)
        article.topics = [db.session.get(Topic, i) for i in self.topic_ids(entry)]
        db.session.add(article)
        db.session.flush()
        return article

    def page(self, entry: Entry) -> Page:
        values = self.common(entry, Page)
        markdown = values.pop("markdown")
        values["summary"] = values.pop("brief")
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
        page.set_body(markdown)
        db.session.add(page)
        db.session.flush()
        return page

    # ------------------------------------------------------------ old addresses

    def old_paths(self, paths: list[str], target: Article | Page | Section | Topic | User) -> None:
        for path in paths:
            outcome = old_urls.add(path, target)
            if outcome == "added":
                self.report.redirects.append((path, old_urls.address_of(target)))
            elif outcome == "taken" and isinstance(target, (Article, Page)):
                self.report.problem("redirect", path, "already leads elsewhere: left as it is")
