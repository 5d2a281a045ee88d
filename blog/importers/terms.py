"""An export's categories and tags as sections and topics.

A post's first category is its section (or the --default-section, else a section named
after the old site); its other categories and its tags are topics. Each is made on first
use: a category or tag no imported post uses does not come across. An existing section or
topic with the same address or name is used as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from blog.extensions import db
from blog.importers.records import Entry, ExportRejected
from blog.importers.records import Term as SourceTerm
from blog.models import Section, Topic
from blog.services.slugs import make_slug, unique_slug

if TYPE_CHECKING:
    from blog.importers.loader import Loader

UNCATEGORIZED = {"uncategorized", "uncategorised"}
SITE_SECTION = "(site)"  # starts the source id of the section named after the old site


class TermLoader:
    def __init__(self, loader: Loader, terms: list[SourceTerm], default_section: str | None):
        self.loader = loader
        self.report = loader.report
        self.site = loader.site
        self.terms = {term.source_id: term for term in terms}
        self.seen: set[tuple[str, str]] = set()  # (kind, term) counted in this run
        self.alive: set[int] = set()  # ids of sections and topics known to exist
        self.default_section_id: int | None = None
        if default_section:
            section = db.session.scalar(select(Section).where(Section.slug == default_section))
            if section is None:
                known = ", ".join(db.session.scalars(select(Section.slug))) or "none yet"
                raise ExportRejected(
                    f"No section has the address {default_section!r} (sections: {known})."
                )
            self.default_section_id = section.id

    def term_target(self, kind: str, term: SourceTerm) -> int:
        """The section or topic this category or tag became (made on first use; an
        existing one with the same address or name is used as it is)."""
        model = Section if kind == "section" else Topic
        found = self.loader.imported(kind, term.source_id)
        if found and (found in self.alive or db.session.get(model, found) is not None):
            self.alive.add(found)
            return found
        # New, or deleted here since an earlier run brought it in: made (again).
        self.seen.add((kind, term.source_id))
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
        self.loader.remember(kind, term.source_id, target.id, again=bool(found))
        self.loader.old_paths(term.old_paths, target)
        return target.id

    def section_id(self, entry: Entry) -> int:
        for source_id in entry.categories:
            term = self.terms.get(source_id)
            if term is not None and term.slug not in UNCATEGORIZED:
                return self.term_target("section", term)
        if self.default_section_id is not None:  # --default-section
            return self.default_section_id
        return self.term_target("section", self.site_term())

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

    def account_for_unused(self) -> None:
        """Count the terms an earlier run brought in, and skip the ones nothing uses."""
        for source_id in [*self.terms, self.site_term().source_id]:
            kinds = [k for k in ("section", "topic") if self.loader.imported(k, source_id)]
            for kind in kinds:
                if (kind, source_id) not in self.seen:
                    self.report.count(kind, "unchanged")
            if not kinds and source_id in self.terms:
                term = self.terms[source_id]
                self.report.skip(term.kind, term.name, "not used by any imported post")
