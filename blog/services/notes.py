"""Editor's comments: signed editorial notes shown in order on an article's page."""

from blog.domain import NotAllowed
from blog.extensions import db
from blog.models import Article, EditorComment, User
from blog.models.base import utcnow
from blog.permissions import can_write_editor_comments
from blog.services import audit, get_by_id, notifications

MAX_NOTE_LENGTH = 5000


def get_note(note_id: int) -> EditorComment:
    return get_by_id(EditorComment, note_id)


def audit_target(note: EditorComment, article: Article | None = None) -> str:
    """How the audit log names a note: its id and article, not its text."""
    return f"note {note.id} on “{(article or note.article).title}”"


def _check(editor: User | None) -> None:
    if editor is not None and not can_write_editor_comments(editor):
        raise NotAllowed()


def add_note(article: Article, editor: User, markdown: str) -> EditorComment:
    """A new note, and word of it to the article's author (unless the author wrote it)."""
    _check(editor)
    note = EditorComment(article_id=article.id, editor_id=editor.id)
    note.set_body(markdown)
    db.session.add(note)
    try:
        db.session.flush()  # the audit entry names the note's id
        audit.record(editor, "note.add", audit_target(note, article))
        notifications.note_added(note, article, editor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return note


def edit_note(note: EditorComment, markdown: str, editor: User | None = None) -> EditorComment:
    """New text for a note. A note is signed: when another editor rewrites it, it carries
    their name from then on, never words put under a colleague's name."""
    _check(editor)
    resigned = editor is not None and editor.id != note.editor_id
    if resigned or markdown != note.body_md:  # nothing changed, nothing to record
        details = {}
        if resigned:
            details["signed_by"] = audit.change(note.editor.display_name, editor.display_name)
        audit.record(editor, "note.edit", audit_target(note), **details)
    note.set_body(markdown)
    if resigned:
        note.editor_id = editor.id
    note.updated_at = utcnow()
    db.session.commit()
    return note


def delete_note(note: EditorComment, *, actor: User | None = None) -> None:
    _check(actor)
    audit.record(actor, "note.delete", audit_target(note))
    db.session.delete(note)
    db.session.commit()
