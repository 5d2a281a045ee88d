"""An imported article's reader comments: threads, names, addresses, dates and status.

Threads keep their shape up to Byline's MAX_DEPTH; a deeper reply hangs from the deepest
ancestor allowed, as a reply posted here would. Pingbacks and trackbacks are counted and
left out. The comments are written a thread level at a time in bulk (a post may have
thousands), and the article's counters are recomputed afterwards, so they are exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from blog.extensions import db
from blog.importers.ahead import Rendered, render_bodies
from blog.importers.records import CommentRecord, Entry
from blog.models import MAX_DEPTH, Article, Comment, ImportedItem
from blog.models.base import utcnow
from blog.services.comments import clean_email, clean_line
from blog.services.counters import refresh_article_counters

if TYPE_CHECKING:
    from blog.importers.loader import Loader

MAX_NAME = 80
NOT_COMMENTS = ("pingback", "trackback")


def _order(record: CommentRecord) -> tuple:
    number = record.source_id.isdigit()
    return (record.created_at, int(record.source_id) if number else 0, record.source_id)


class CommentLoader:
    def __init__(self, loader: Loader):
        self.loader = loader
        self.report = loader.report

    def load(self, article: Article, entry: Entry, bodies: Rendered, *, new: bool) -> None:
        """Write the entry's new comments; `bodies` has their renderings (blog.importers.ahead)."""
        records = []
        for record in entry.comments:
            if record.kind in NOT_COMMENTS:
                self.report.count(record.kind, "skipped")
            elif record.kind != "comment":
                self.report.skip("comment", record.source_id, f"of type {record.kind!r}")
            elif self.loader.imported("comment", record.source_id):
                self.report.count("comment", "unchanged")
            else:
                records.append(record)
        if not records:
            return
        # source id -> (comment id or None until written, depth, parent's source id)
        placed: dict[str, list] = {} if new else self._existing(article)
        by_source = {record.source_id: record for record in records}
        levels: list[list[CommentRecord]] = [[] for _ in range(MAX_DEPTH)]
        for record in sorted(records, key=_order):
            self._place(record, by_source, placed, levels)
        written = []
        for level in levels:
            if level:
                written += self._write(article, level, placed, bodies)
        self.loader.remember_many("comment", written)
        self.report.count("comment", "imported", len(written))
        refresh_article_counters([article.id])

    def _existing(self, article: Article) -> dict[str, list]:
        """This article's comments that an earlier run imported, by source id."""
        rows = db.session.execute(
            select(ImportedItem.source_id, Comment.id, Comment.depth, Comment.parent_id)
            .join(Comment, Comment.id == ImportedItem.target_id)
            .where(
                ImportedItem.source == self.loader.site.source,
                ImportedItem.kind == "comment",
                Comment.article_id == article.id,
            )
        ).all()
        source_of = {comment_id: source for source, comment_id, _, _ in rows}
        return {
            source: [comment_id, depth, source_of.get(parent_id, "")]
            for source, comment_id, depth, parent_id in rows
        }

    def _place(self, record, by_source, placed, levels) -> None:
        """Give the record (and first its unplaced ancestors, iteratively: threads can be
        long) a parent and a depth."""
        chain = [record]
        while True:
            parent_id = chain[-1].parent_id
            if not parent_id or parent_id in placed:
                break
            parent = by_source.get(parent_id)
            if parent is None or parent in chain:
                break
            chain.append(parent)
        for item in reversed(chain):
            if item.source_id in placed:
                continue
            parent = item.parent_id if item.parent_id in placed else ""
            if item.parent_id and not parent:
                self.report.problem(
                    "comment", item.source_id, "its parent is not in the export: shown at the top"
                )
            while parent and placed[parent][1] >= MAX_DEPTH:
                parent = placed[parent][2]
            depth = placed[parent][1] + 1 if parent else 1
            placed[item.source_id] = [None, depth, parent]
            levels[depth - 1].append(item)

    def _write(self, article: Article, level: list[CommentRecord], placed, bodies) -> list:
        rows = [self._row(article, record, placed, bodies) for record in level]
        ids = db.session.scalars(
            insert(Comment).returning(Comment.id, sort_by_parameter_order=True), rows
        ).all()
        pairs = [
            (record.source_id, comment_id) for record, comment_id in zip(level, ids, strict=True)
        ]
        for source_id, comment_id in pairs:
            placed[source_id][0] = comment_id
        return pairs

    def _row(self, article: Article, record: CommentRecord, placed, bodies: Rendered) -> dict:
        _, depth, parent = placed[record.source_id]
        user_id = self.loader.imported("author", record.person_id) if record.person_id else None
        body, html, cut = (
            bodies.get(record.source_id)
            or render_bodies([(record.source_id, record.body_html)])[record.source_id]
        )
        if cut:
            self.report.problem("comment", record.source_id, "longer than 100,000 characters: cut")
        return {
            "article_id": article.id,
            "parent_id": placed[parent][0] if parent else None,
            "depth": depth,
            "status": record.status,
            "author_name": clean_line(record.author_name)[:MAX_NAME] or "Anonymous",
            "author_email": _email(record.author_email),
            "body_md": body,
            "body_html": html,
            "is_staff": user_id is not None,
            "user_id": user_id,
            "client_key": "",
            "created_at": record.created_at or utcnow(),
            "updated_at": record.created_at or utcnow(),
        }


def _email(value: str) -> str:
    email = clean_email(value)
    return email if "@" in email and len(email) <= 254 else ""
