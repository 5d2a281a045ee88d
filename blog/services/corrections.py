"""Corrections and updates: dated, signed notes that editors add to a published article.

A note is never edited nor deleted. Retracting one keeps it where it was, marked with
when and why, so a reader can always see that the record changed and how.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from blog.domain import DomainError, NotAllowed
from blog.extensions import db
from blog.models import Article, Correction, CorrectionKind, User
from blog.models.base import utcnow
from blog.pagination import Page, paginate
from blog.permissions import can_correct
from blog.services import audit, get_by_id, publishing
from blog.services.articles import is_public_id

MAX_TEXT_LENGTH = 2000
MAX_REASON_LENGTH = 500
KIND_LABELS = {CorrectionKind.CORRECTION: "Correction", CorrectionKind.UPDATE: "Update"}


class CorrectionRejected(DomainError):
    """The note cannot be added or retracted as asked."""


def get_correction(correction_id: int) -> Correction:
    return get_by_id(Correction, correction_id)


def audit_target(correction: Correction, article: Article) -> str:
    """How the audit log names a note: its kind, id and article, not its text."""
    return f"{correction.kind.value} {correction.id} on “{article.title}”"


def _check(actor: User) -> None:
    if not can_correct(actor):
        raise NotAllowed()


def _text(value: str, *, field: str, missing: str, limit: int) -> str:
    text = (value or "").strip().replace("\r\n", "\n")
    if not text:
        raise CorrectionRejected(missing, field)
    if len(text) > limit:
        raise CorrectionRejected(f"At most {limit:,} characters, please.", field)
    return text


def add_correction(article: Article, editor: User, kind: str, text: str) -> Correction:
    """A new correction or update on a public article, signed by `editor` and dated now."""
    _check(editor)
    if publishing.state(article) != "published":
        raise CorrectionRejected(
            "Corrections and updates go on published articles; this one is not public."
        )
    try:
        kind = CorrectionKind(kind)
    except ValueError:
        raise CorrectionRejected("Choose a correction or an update.", "correction_kind") from None
    body = _text(
        text,
        field="correction_text",
        missing="Write the correction or update first.",
        limit=MAX_TEXT_LENGTH,
    )
    correction = Correction(article_id=article.id, kind=kind, editor_id=editor.id)
    correction.set_body(body)
    db.session.add(correction)
    try:
        db.session.flush()  # the audit entry names the note's id
        audit.record(editor, "correction.add", audit_target(correction, article))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return correction


def retract(correction: Correction, editor: User, reason: str) -> Correction:
    """Mark the note retracted, with who, when and why; it stays on every page it was on.
    Of two editors retracting it at once, one does: the other is told it already was."""
    _check(editor)
    why = _text(
        reason,
        field="retraction_reason",
        missing="Say why it is retracted.",
        limit=MAX_REASON_LENGTH,
    )
    claimed = db.session.execute(
        update(Correction)
        .where(Correction.id == correction.id, Correction.retracted_at.is_(None))
        .values(retracted_at=utcnow(), retracted_by_id=editor.id, retraction_reason=why)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise CorrectionRejected("This note was already retracted.")
    audit.record(
        editor, "correction.retract", audit_target(correction, correction.article), reason=why
    )
    db.session.commit()  # expires the note: it is read again as written
    return correction


def listing_page(page: int, per_page: int) -> Page[Correction]:
    """The /corrections page: every note on a public article, newest first, each with its
    article, editor and retracting editor, in one query (and one to count them). The
    notes are read in the order of their date index and each article checked by primary
    key, so the cost does not grow with the archive."""
    statement = (
        select(Correction)
        .where(is_public_id(Correction.article_id))
        .options(
            joinedload(Correction.article),
            joinedload(Correction.editor),
            joinedload(Correction.retracted_by),
        )
        .order_by(Correction.created_at.desc(), Correction.id.desc())
    )
    return paginate(statement, page, per_page)
